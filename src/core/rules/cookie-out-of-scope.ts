/** The rule for `cookie-out-of-scope` (DESIGN.md, "Causes"): when the evidence fits it, and the finding it writes. */
import { displayUrl } from '../redaction/redact-url.ts';
import { registrableDomain } from '../cookies/site.ts';
import { iso } from '../verdict/time.ts';
import type { CookieEvent } from '../exchange/timeline.ts';
import type { Facts, HeldCookie } from '../verdict/facts.ts';
import { newerThanSent } from '../exchange/relevance.ts';
import { defineRule, type RuleOutcome } from './rule.ts';
import { asksForHeader, cookieNames } from './words.ts';

/** A cookie's scope, whether it came from the jar or from a Set-Cookie the timeline saw. */
interface Scope {
  name: string;
  domain: string;
  hostOnly: boolean;
  path: string;
  /** Where we know it from. */
  source: string;
}

/** Which attribute leaves this URL out, what to set instead, in words. */
function why(c: Scope, f: Facts): { attribute: string; because: string; instead: string } | undefined {
  const host = f.host;
  const path = f.urlParts?.pathname || '/';
  // Paths are quoted: a token in one is masked like anywhere else.
  const shown = (p: string) => displayUrl(p);
  const domain = c.domain.replace(/^\./, '').toLowerCase();
  const site = registrableDomain(host);
  const domainOk = c.hostOnly ? domain === host : host === domain || host.endsWith(`.${domain}`);
  if (!domainOk) {
    if (c.hostOnly) {
      return {
        attribute: 'host-only',
        because: `it was set by ${domain} without a Domain attribute, so it is host-only: the browser sends it to ${domain} only, never to ${host}`,
        instead: `set it with \`Domain=${site}\` so every host of ${site} gets it, or call the API through ${domain}`,
      };
    }
    return {
      attribute: `Domain=${domain}`,
      because: `its Domain=${domain} does not cover ${host}`,
      instead: `set it with \`Domain=${site}\` (it covers ${host} and every other host of ${site})`,
    };
  }
  const p = c.path || '/';
  if (!(path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`))) {
    return {
      attribute: `Path=${shown(p)}`,
      because: `its Path=${shown(p)} leaves out ${shown(path)}: the browser sends it only to URLs under ${shown(p)}`,
      instead: 'set it with `Path=/` (or a path that covers the API)',
    };
  }
  return undefined;
}

function outcome(f: Facts, c: Scope, w: NonNullable<ReturnType<typeof why>>, session: boolean, others: string[]): RuleOutcome {
  return {
    confidence: session ? 'high' : 'medium',
    title: `The cookie "${c.name}" exists but is never sent to ${f.host}${displayUrl(f.urlParts?.pathname ?? '')}: ${w.attribute}`,
    explanation: `The browser holds "${c.name}" (${c.source}), but ${w.because}. So this request went without it${others.length > 0 ? ` (it carried only ${cookieNames(others)})` : ' (it carried no cookie)'} and the server treats it as signed out. The fix is where the cookie is set: ${w.instead}.`,
    plain: `You are signed in to ${c.domain.replace(/^\./, '')}, but the site does not share that sign-in with ${f.host}; this is a problem in the site.`,
    evidence: [
      { kind: 'cookie-jar', label: c.name, value: `${c.hostOnly ? c.domain : `Domain=${c.domain}`}; Path=${displayUrl(c.path)}`, note: `not sent: ${w.attribute}` },
      { kind: 'request-header', label: 'Cookie', ...(others.length > 0 ? { value: others.slice(0, 10).join(', '), note: 'names only' } : { note: 'not sent' }) },
    ],
    fixes: { developers: [`For "${c.name}": ${w.instead}.`] },
  };
}

/**
 * RFC 6265bis §5.8.3: a cookie is sent only when its domain and path match the request. A
 * session cookie of the same site whose scope leaves this URL out is the sign-in the app meant
 * to send: from the jar (live capture, our exports) or from the Set-Cookie that created it.
 */
export default defineRule('cookie-out-of-scope', (f) => {
  // A token request's client authenticates with its own credentials, never the user's cookies (Facts.tokenRequest).
  if (f.tokenRequest !== undefined) return undefined;
  if (f.preflight || f.credentials || (f.status !== 401 && f.status !== 403) || asksForHeader(f)) return undefined;
  const sent = new Set(f.cookiesSent.map((c) => c.name));
  const others = f.cookiesSent.map((c) => c.name);
  // The request had a session cookie (sent, or held for this URL and withheld): an out-of-scope
  // one counts only when it is a newer sign-in than those (they are left from an older sign-in, or
  // another app of the site, and say more about this failure).
  const applies = (h: HeldCookie) => newerThanSent(f, h.cookie.name);
  const held: HeldCookie[] = f.outOfScope.filter((h) => !sent.has(h.cookie.name) && applies(h)).sort((a, b) => Number(b.session) - Number(a.session));
  for (const h of held) {
    const c: Scope = { name: h.cookie.name, domain: h.cookie.domain, hostOnly: h.cookie.hostOnly, path: h.cookie.path, source: `${h.cookie.hostOnly ? h.cookie.domain : `Domain=${h.cookie.domain}`}; Path=${displayUrl(h.cookie.path)}` };
    const w = why(c, f);
    if (w) return outcome(f, c, w, h.session, others);
  }
  // An imported HAR has no jar: the Set-Cookie that created it, for another host or path of this site.
  const events: CookieEvent[] = (f.context.siteCookieEvents ?? []).filter((e) => e.action === 'set' && !sent.has(e.name) && newerThanSent(f, e.name));
  const e = events[events.length - 1];
  if (!e) return undefined;
  const source = e.by === 'why401' ? `restored by Why 401 (Undo) at ${iso(e.at)}` : `set by the response to ${e.method} ${e.url} at ${iso(e.at)}`;
  const c: Scope = { name: e.name, domain: e.domain, hostOnly: e.hostOnly, path: e.path, source };
  const w = why(c, f);
  return w ? outcome(f, c, w, true, others) : undefined;
});
