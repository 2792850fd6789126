/** The rule for `session-cookie-expired` (DESIGN.md, "Causes"): when the evidence fits it, and the finding it writes. */
import { cookieAttributes } from '../cookies/cookie-words.ts';
import type { CookieEvent } from '../exchange/timeline.ts';
import { duration, iso, when } from '../verdict/time.ts';
import { coversRequest, lastSetAt, supersededBySignIn } from '../exchange/relevance.ts';
import { defineRule } from './rule.ts';
import { clockTime, cookieNames, timeKnown } from './words.ts';

function key(e: CookieEvent): string {
  return `${e.name}\u0000${e.domain}\u0000${e.path}`;
}

/**
 * An expired cookie is already gone from the jar when the request leaves; only the Set-Cookie
 * that gave it its lifetime shows what happened (the timeline keeps it).
 */
export default defineRule('session-cookie-expired', (f) => {
  // A token request's client authenticates with its own credentials, never the user's cookies (Facts.tokenRequest).
  if (f.tokenRequest !== undefined) return undefined;
  if (!timeKnown(f)) return undefined;
  const sent = new Set(f.cookiesSent.map((c) => c.name));
  const latest = new Map<string, CookieEvent>();
  for (const e of f.cookieEvents) {
    if (Number.isNaN(e.at) || e.at > f.at) continue;
    latest.set(key(e), e);
  }
  // History counts only where it applies (a busy tab): the expired cookie's scope includes this
  // URL, and no later sign-in (another session cookie set after it) superseded it.
  const expired = [...latest.values()].filter(
    (e) => e.action === 'set' && e.expiresAt !== null && e.expiresAt <= f.at && !sent.has(e.name) && coversRequest(f, e) && !supersededBySignIn(f, e.name, e.at),
  );
  const e = expired[expired.length - 1];
  if (!e) {
    // A jar that still lists it (an imported HAR, or Firefox, which can list a cookie past its
    // expiry): its own expiry is the evidence.
    // Superseded too when the tab saw it set, then a later sign-in.
    const held = f.heldNotSent.find((h) => h.reason === 'expired' && h.session && h.cookie.expirationDate !== undefined && !supersededBySignIn(f, h.cookie.name, lastSetAt(f, h.cookie.name) ?? Number.NaN));
    if (!held) return undefined;
    const at = held.cookie.expirationDate! * 1000;
    return {
      confidence: 'high',
      title: `The session cookie "${held.cookie.name}" expired ${when(at, f.at, 'this request')}`,
      explanation: `The cookie jar lists "${held.cookie.name}" (${cookieAttributes(held.cookie)}) with an expiry of ${iso(at)}, before this request at ${iso(f.at)}. A browser does not send an expired cookie, so the request went ${f.cookiesSent.length > 0 ? `with only ${cookieNames(f.cookiesSent.map((c) => c.name))}` : 'without any cookie'} and the server treats you as signed out.`,
      plain: `You're signed out of ${f.host || 'this site'}: your session cookie expired at ${clockTime(at)}.`,
      evidence: [
        { kind: 'cookie-jar', label: held.cookie.name, value: `expires ${iso(at)}`, note: 'not sent: expired' },
        { kind: 'timeline', label: 'Request time', value: iso(f.at) },
      ],
    };
  }
  const lifetime = e.expiresAt! - e.at;
  const others = f.cookiesSent.map((c) => c.name);
  return {
    confidence: 'high',
    title: `The session cookie "${e.name}" expired ${when(e.expiresAt!, f.at, 'this request')}`,
    explanation: `The cookie "${e.name}" was set by the response to ${e.method} ${e.url} at ${iso(e.at)} with a lifetime of ${duration(lifetime)} (Max-Age or Expires). It expired at ${iso(e.expiresAt!)}, so the browser no longer held it, and this request went ${others.length > 0 ? `with only ${cookieNames(others)}` : 'without any cookie'}. The server then treats you as signed out.`,
    plain: `You're signed out of ${f.host || 'this site'}: your session cookie expired at ${clockTime(e.expiresAt!)}.`,
    evidence: [
      { kind: 'timeline', label: `Set-Cookie ${e.name}`, value: `${iso(e.at)} ${e.method} ${e.url}`, note: `expires ${iso(e.expiresAt!)}` },
      { kind: 'cookie', label: e.name, note: 'not sent: expired' },
      { kind: 'timeline', label: 'Request time', value: iso(f.at) },
    ],
  };
});
