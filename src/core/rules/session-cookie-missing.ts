/** The rule for `session-cookie-missing` (DESIGN.md, "Causes"): when the evidence fits it, and the finding it writes. */
import type { CookieEvent } from '../exchange/timeline.ts';
import { iso, relative } from '../verdict/time.ts';
import { setAfter } from '../exchange/relevance.ts';
import { defineRule } from './rule.ts';
import { timeKnown } from './words.ts';

/** A session cookie deleted by a response (logout) or gone since it was last sent. */
export default defineRule('session-cookie-missing', (f) => {
  // A token request's client authenticates with its own credentials, never the user's cookies (Facts.tokenRequest).
  if (f.tokenRequest !== undefined) return undefined;
  const sent = new Set(f.cookiesSent.map((c) => c.name));
  const latest = new Map<string, CookieEvent>();
  for (const e of f.cookieEvents) {
    if (timeKnown(f) && !Number.isNaN(e.at) && e.at > f.at) continue;
    latest.set(`${e.name}\u0000${e.domain}\u0000${e.path}`, e);
  }
  // History counts only where it still applies (a busy tab): a deletion is superseded by a later
  // sign-in on the site (any session cookie set after it), and by the live jar holding the
  // cookie again; a newer event beats an older one.
  const heldNow = f.jar ? new Set(f.jar.map((c) => c.name)) : undefined;
  // The most recent deletion (by time: the map keeps each cookie's first position).
  const deleted = [...latest.values()]
    .filter((e) => e.action === 'delete' && !sent.has(e.name) && !heldNow?.has(e.name) && !setAfter(f, e.at))
    .sort((a, b) => (Number.isNaN(a.at) || Number.isNaN(b.at) ? 0 : a.at - b.at));
  const d = deleted[deleted.length - 1];
  if (d?.by === 'why401') {
    const when = timeKnown(f) ? ` ${relative(d.at, f.at, 'this request')}` : '';
    return {
      confidence: 'high',
      title: `The session cookie "${d.name}" was cleared by Why 401 ("Clear site cookies")${when}`,
      explanation: `You cleared the cookies of ${d.url} with Why 401 at ${iso(d.at)}, "${d.name}" among them. Requests after it, this one included, go without the cookie: sign in again (or use Undo in the panel to restore the cookies as they were).`,
      plain: `You're signed out of ${f.host || 'this site'}: Why 401 cleared its cookies when you asked it to.`,
      evidence: [
        { kind: 'timeline', label: `Cookie ${d.name} cleared`, value: `${iso(d.at)} by Why 401 (Clear site cookies)` },
        { kind: 'cookie', label: d.name, note: 'not sent: cleared' },
      ],
    };
  }
  if (d) {
    const path = (() => {
      try {
        return new URL(d.url).pathname;
      } catch {
        return d.url;
      }
    })();
    return {
      confidence: 'high',
      title: `The session cookie "${d.name}" was deleted by the response to ${d.method} ${path}${timeKnown(f) ? ` ${relative(d.at, f.at, 'this request')}` : ''}`,
      explanation: `The response to ${d.method} ${d.url} (${d.status}) at ${iso(d.at)} deleted "${d.name}" with a Set-Cookie that had already expired (Max-Age=0 or a past Expires): that is how servers sign you out. Requests after it, this one included, go without the cookie.`,
      plain: `You're signed out of ${f.host || 'this site'}: the site removed your session (${d.method} ${path} signed you out).`,
      evidence: [
        { kind: 'timeline', label: `Set-Cookie ${d.name} (deletion)`, value: `${iso(d.at)} ${d.method} ${d.url}` },
        { kind: 'cookie', label: d.name, note: 'not sent: deleted' },
      ],
    };
  }
  // Sent before to this host, not sent now, and not held (when the jar is known).
  const held = f.jar ? new Set(f.jar.map((c) => c.name)) : undefined;
  const gone = f.context.sentCookies.filter((s) => !sent.has(s.name) && (held === undefined || !held.has(s.name)));
  const g = gone[gone.length - 1];
  if (!g) return undefined;
  const expiredEvent = [...latest.values()].some((e) => e.name === g.name && e.expiresAt !== null && timeKnown(f) && e.expiresAt <= f.at);
  if (expiredEvent) return undefined; // session-cookie-expired says it better
  return {
    confidence: held === undefined ? 'low' : 'medium',
    title: `The session cookie "${g.name}" was sent earlier but is gone now`,
    explanation: `"${g.name}" was sent to ${g.host} at ${iso(g.at)} (${g.url}), but not with this request${held ? ', and the browser no longer holds it' : ''}. Something removed it: a sign-out in another tab, the user clearing site data, or the browser's cookie settings.`,
    plain: `You're signed out of ${f.host || 'this site'}: your session cookie is gone.`,
    evidence: [
      { kind: 'timeline', label: `Cookie ${g.name} last sent`, value: `${iso(g.at)} ${g.url}` },
      { kind: 'cookie', label: g.name, note: 'not sent now' },
    ],
  };
});
