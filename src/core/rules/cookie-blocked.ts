/** The rule for `cookie-blocked` (DESIGN.md, "Causes"): when the evidence fits it, and the finding it writes. */
import { NOT_SENT_REASON_TEXT, cookieAttributes } from '../cookies/cookie-words.ts';
import type { HeldCookie } from '../verdict/facts.ts';
import { iso } from '../verdict/time.ts';
import type { CookieEvent } from '../exchange/timeline.ts';
import { originOf, siteOf } from '../cookies/site.ts';
import { defineRule } from './rule.ts';
import { asksForHeader } from './words.ts';
import { timeKnown } from './words.ts';

const PLAIN: Record<string, string> = {
  'secure-on-http': 'the page uses an insecure (http) address',
  'samesite-strict': 'it comes from another site',
  'samesite-lax': 'it comes from another site',
  'samesite-unspecified-lax': 'it comes from another site',
  'samesite-none-insecure': 'the cookie is not marked secure',
  'partitioned-elsewhere': 'the cookie belongs to another site you visited',
  'third-party': 'your browser blocks third-party cookies',
  'partitioned-by-browser': 'your browser keeps each site\'s cookies apart (Total Cookie Protection)',
};

function attrs(h: HeldCookie): string {
  return cookieAttributes(h.cookie);
}

/** Why a held cookie stayed home (RFC 6265bis §5.8.3 SameSite, §5.8 Secure; CHIPS partitioning). */
export default defineRule('cookie-blocked', (f) => {
  // A token request's client authenticates with its own credentials, never the user's cookies (Facts.tokenRequest).
  if (f.tokenRequest !== undefined) return undefined;
  // With an Authorization header, or a server that asks for one (Bearer, Basic…), the credential is
  // not a cookie: a held-back cookie is a side note.
  if (f.credentials || asksForHeader(f)) return undefined;
  const blocked = f.heldNotSent.filter((h) => h.reason !== undefined && h.reason !== 'expired');
  blocked.sort((a, b) => Number(b.session) - Number(a.session));
  const h = blocked[0];
  if (h) {
    const reason = h.reason!;
    const from = f.initiator ? `the page at ${f.initiator} (site ${siteOf(f.initiator) ?? f.initiator})` : 'another site';
    // A frame of the cookie's own site, inside a page of another site: the top-level site decides.
    const topSite = f.topLevelUrl ? siteOf(f.topLevelUrl) : undefined;
    const cookieSite = siteOf(f.url) ?? f.host;
    const inFrame = topSite !== undefined && f.initiator !== undefined && siteOf(f.initiator) === cookieSite && topSite !== cookieSite;
    const context =
      reason.startsWith('samesite')
        ? inFrame
          ? ` The request comes from a frame of ${cookieSite} inside a page of ${topSite} (the tab's top-level site): for SameSite, that context is cross-site.`
          : ` The request comes from ${from}, while the cookie belongs to ${cookieSite}.`
        : reason === 'secure-on-http'
          ? ` The request went to ${originOf(f.url) ?? f.url}; a Secure cookie only travels over https.`
          : reason === 'partitioned-elsewhere'
            ? ` It was stored while ${h.cookie.partitionKey?.topLevelSite ?? 'another site'} was the top-level site; here the top-level site is ${siteOf(f.topLevelUrl ?? f.initiator ?? f.url) ?? 'different'}.`
            : reason === 'third-party' || reason === 'partitioned-by-browser'
              ? ` The request comes from ${from}. The browser's setting, read ${f.cookiePolicy ? iso(f.cookiePolicy.at) : 'from it'}: ${f.cookiePolicy?.setting ?? 'third-party cookies restricted'}. Sites the user allowed, and the Storage Access API, are exceptions.`
              : '';
    const others = blocked.length > 1 ? ` ${blocked.length - 1} other held cookie(s) were held back too.` : '';
    const bySetting = reason === 'third-party' || reason === 'partitioned-by-browser';
    return {
      // A setting can have per-site exceptions the extension cannot see: never more than medium.
      confidence: h.session && !bySetting ? 'high' : 'medium',
      title: `The cookie "${h.cookie.name}" was not sent: ${NOT_SENT_REASON_TEXT[reason]}`,
      explanation: `The browser holds "${h.cookie.name}" (${attrs(h)}) but did not attach it to this request because ${NOT_SENT_REASON_TEXT[reason]}.${context}${others}`,
      plain: `Your browser did not send your sign-in cookie to ${f.host || 'this site'} because ${PLAIN[reason] ?? 'of its privacy rules'}.`,
      evidence: [
        ...blocked.slice(0, 6).map((b) => ({ kind: 'cookie-jar' as const, label: b.cookie.name, value: attrs(b), note: `not sent: ${NOT_SENT_REASON_TEXT[b.reason!]}` })),
        ...(bySetting && f.cookiePolicy ? [{ kind: 'cookie-jar' as const, label: 'Browser setting', value: f.cookiePolicy.setting, note: `third-party cookies ${f.cookiePolicy.thirdParty}, read ${iso(f.cookiePolicy.at)}` }] : []),
      ],
      ...(bySetting
        ? {
            fixes: {
              developers: [
                'Do not rely on third-party cookies: serve the API from the same site as the app, use a token in Authorization, or use a partitioned (CHIPS) cookie; the Storage Access API can ask the user for access.',
              ],
            },
          }
        : {}),
    };
  }
  // A session cookie the browser refused to store, so it never held it.
  const sent = new Set(f.cookiesSent.map((c) => c.name));
  const rejected = f.cookieEvents.filter(
    (e: CookieEvent) => e.action === 'rejected' && !sent.has(e.name) && (!timeKnown(f) || Number.isNaN(e.at) || e.at <= f.at),
  );
  const r = rejected[rejected.length - 1];
  if (!r) return undefined;
  return {
    confidence: 'high',
    title: `The cookie "${r.name}" was never stored: ${r.rejected ?? 'the browser refused it'}`,
    explanation: `The response to ${r.method} ${r.url} at ${iso(r.at)} tried to set "${r.name}", but the browser refused to store it because ${r.rejected ?? 'of its attributes'}. So the browser never held it and could not send it with this request.`,
    plain: `Your browser refused the sign-in cookie from ${f.host || 'this site'} (${r.rejected ?? 'invalid cookie'}); this is a problem in the site.`,
    evidence: [{ kind: 'timeline', label: `Set-Cookie ${r.name} (refused)`, value: `${iso(r.at)} ${r.method} ${r.url}`, note: r.rejected ?? '' }],
  };
});
