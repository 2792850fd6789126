/**
 * Which of a tab's history applies to a failure (a busy tab): the rules ask here, so "a newer
 * event beats an older one" and "Why 401's own clears are not the site's" are written once.
 */
import { cookieMatchesHost, isSessionCookie, pathMatches } from '../cookies/cookies.ts';
import type { Facts } from '../verdict/facts.ts';
import type { CookieEvent } from './har-types.ts';

/** The cookie events before this request: the tab's, and the site's from other tabs. */
function eventsBefore(f: Facts): CookieEvent[] {
  const known = !Number.isNaN(f.at);
  return [...f.cookieEvents, ...(f.context.siteCookieEvents ?? [])].filter((e) => !Number.isNaN(e.at) && (!known || e.at <= f.at));
}

/** Whether the site set any cookie after `at` (a sign-in that supersedes an earlier sign-out). Why 401's own Undo does not count. */
export function setAfter(f: Facts, at: number): boolean {
  if (Number.isNaN(at)) return false;
  return eventsBefore(f).some((e) => e.action === 'set' && e.by !== 'why401' && e.at > at);
}

/** When the site last set a cookie of this name, by the tab's history (undefined: before the history began). */
export function lastSetAt(f: Facts, name: string): number | undefined {
  let last: number | undefined;
  for (const e of eventsBefore(f)) if (e.action === 'set' && e.by !== 'why401' && e.name === name && (last === undefined || e.at > last)) last = e.at;
  return last;
}

/** Whether a cookie's scope (host-only or Domain, and Path) includes this request's URL. */
export function coversRequest(f: Facts, c: { hostOnly: boolean; domain: string; path: string }): boolean {
  if (!f.host) return true; // an unreadable URL: scope cannot rule it out
  return cookieMatchesHost(c, f.host) && pathMatches(f.urlParts?.pathname || '/', c.path || '/');
}

/**
 * The session cookies this request had: the ones it carried, and the ones the browser held for
 * this URL and withheld (credentials mode, SameSite, Secure) — not the ones out of its scope.
 */
function sessionCookiesFor(f: Facts): string[] {
  return [...f.sessionCookiesSent.map((c) => c.name), ...f.heldNotSent.filter((h) => h.session).map((h) => h.cookie.name)];
}

/**
 * Whether a cookie is a newer sign-in than every session cookie this request had (sent or held
 * for this URL): then it is the one the app meant, and those are left from an older sign-in or
 * another app of the site. With no such cookie, it is.
 */
export function newerThanSent(f: Facts, name: string): boolean {
  const at = lastSetAt(f, name);
  const others = sessionCookiesFor(f).filter((n) => n !== name);
  if (others.length === 0) return true;
  if (at === undefined) return false;
  return others.every((n) => {
    const sentAt = lastSetAt(f, n);
    return sentAt === undefined || sentAt < at;
  });
}

/**
 * Whether a sign-in came after a cookie was set: the site set another session cookie later (by
 * its name), so an earlier session that expired or ended is history, not this failure's cause.
 */
export function supersededBySignIn(f: Facts, name: string, at: number): boolean {
  if (Number.isNaN(at)) return false;
  return eventsBefore(f).some((e) => e.action === 'set' && e.by !== 'why401' && e.name !== name && e.at > at && isSessionCookie(e.name, '', e.httpOnly));
}
