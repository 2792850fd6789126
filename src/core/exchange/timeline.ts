/**
 * The auth-relevant context of a tab (or a HAR file), as compact summaries: cookies set and
 * deleted by responses, session cookies sent, tokens that succeeded (by fingerprint, never the
 * token), and redirects. Plain JSON, bounded, so the background can keep it in
 * storage.session and the CLI can keep it for a million entries.
 *
 * Every URL stored here is redacted first: explanations quote these URLs.
 */
import type { HarEntry, JarCookie } from './har-types.ts';
import { parseCookieHeader, parseSetCookie, isSessionCookie, type SameSite } from '../cookies/cookies.ts';
import { firstHeader, headerValues } from '../auth/headers.ts';
import { inspectToken, looksLikeJwt } from '../tokens/jwt.ts';
import { fingerprint } from '../tokens/fingerprint.ts';
import { sameEndpoint, summarizeExchange, type ExchangeSummary } from './exchange-summary.ts';
import { endpointOf, redactUrl } from '../redaction/redact-url.ts';
import { hostOf, parseUrlPath } from '../cookies/site.ts';
import { parseTime } from '../verdict/time.ts';
import { endsSession } from '../redaction/vocabulary.ts';
import type { CookieEvent, SentCookie } from './har-types.ts';
export type { CookieEvent, SentCookie } from './har-types.ts';



export interface TokenUse {
  /** Fingerprint of the credential, never the credential itself. */
  fp: string;
  scheme: string;
  at: number;
  url: string;
  status: number;
}

export interface RedirectRecord {
  at: number;
  from: string;
  to: string;
  status: number;
  authorizationSent: boolean;
}

export interface Timeline {
  cookieEvents: CookieEvent[];
  sentCookies: SentCookie[];
  tokenUses: TokenUse[];
  redirects: RedirectRecord[];
  /** The last credentialed success of each endpoint, oldest first (core/exchange/exchange-summary.ts): "what changed since it last worked". */
  successes: ExchangeSummary[];
  /** The last top-level document the tab (or the HAR) loaded. */
  topLevelUrl?: string;
}

export const TIMELINE_CAPS = { cookieEvents: 120, sentCookies: 60, tokenUses: 60, redirects: 30, successes: 30 } as const;

export function emptyTimeline(): Timeline {
  return { cookieEvents: [], sentCookies: [], tokenUses: [], redirects: [], successes: [] };
}

/** Credentialed successes observed but not summarized yet, per timeline, in the order seen (the latest per endpoint). */
const unsummarized = new WeakMap<Timeline, Map<string, HarEntry>>();

/**
 * Fold the successes observed since the last call into `timeline.successes` (the last
 * credentialed success per endpoint, summarized). Whoever reads or writes that list calls this
 * first: the context of a failure, and the store before it writes the timeline.
 */
export function settleSuccesses(timeline: Timeline): void {
  const pending = unsummarized.get(timeline);
  if (!pending || pending.size === 0) return;
  const list = (timeline.successes ??= []);
  for (const entry of pending.values()) {
    const summary = summarizeExchange(entry);
    const k = list.findIndex((x) => sameEndpoint(x, summary));
    if (k !== -1) list.splice(k, 1);
    pushBounded(list, summary, TIMELINE_CAPS.successes);
  }
  pending.clear();
}

/** Append, dropping the oldest in batches so the cost per push stays O(1) (the list holds at most 1.5 × cap). */
function pushBounded<T>(list: T[], item: T, cap: number): void {
  list.push(item);
  if (list.length > cap + (cap >> 1)) list.splice(0, list.length - cap);
}

const endpointUrl = endpointOf;

/** The URL as summaries quote it: redacted. */
function shownUrl(url: string): string {
  return redactUrl(url);
}

export { fingerprint };

/** Whether an entry says anything the timeline keeps (cheap; the background's filter). */
export function isTimelineRelevant(entry: HarEntry): boolean {
  const res = entry.response;
  if (res.status >= 300 && res.status < 400) return true;
  if (res.cookies.length > 0 || firstHeader(res.headers, 'set-cookie') !== undefined) return true;
  if (res.status < 400 && firstHeader(entry.request.headers, 'authorization') !== undefined) return true;
  if (isDocument(entry)) return true;
  return firstHeader(entry.request.headers, 'cookie') !== undefined;
}

function isDocument(entry: HarEntry): boolean {
  const t = entry._why401?.type ?? entry._resourceType;
  return t === 'main_frame' || t === 'document';
}

/** The credential string a success is remembered by: the whole Authorization value, fingerprinted. */
export function credentialFingerprint(entry: HarEntry): { fp: string; scheme: string } | undefined {
  const auth = firstHeader(entry.request.headers, 'authorization')?.trim();
  if (auth === undefined || auth === '') return undefined;
  const space = auth.search(/[\s:=]/);
  const word = space === -1 ? auth : auth.slice(0, space);
  // Only a word that can be a scheme name is kept: a bare token here would be the secret itself.
  const scheme = space !== -1 && word.length <= 24 && /^[A-Za-z][A-Za-z0-9-]*$/.test(word) ? word.toLowerCase() : '';
  return { fp: fingerprint(auth), scheme };
}

/** Fold one exchange into the timeline (after it has been diagnosed: a failure is judged on what came before). */
export function observe(timeline: Timeline, entry: HarEntry): void {
  const req = entry.request;
  const res = entry.response;
  const status = res.status;
  const at = parseTime(entry.startedDateTime);
  // Computed only when something is kept: redaction parses the URL.
  let url: string | undefined;

  if (status < 400 && isDocument(entry) && (entry._why401?.frameId ?? 0) === 0) timeline.topLevelUrl = url ??= shownUrl(req.url);

  // Cookies set or deleted by the response: Set-Cookie headers when the tool kept them, else
  // HAR's parsed response.cookies.
  const setCookies = headerValues(res.headers, 'set-cookie');
  if (setCookies.length > 0 || res.cookies.length > 0) {
    const date = parseTime(firstHeader(res.headers, 'date'));
    const receivedAt = Number.isNaN(date) ? at : date;
    const parsed =
      setCookies.length > 0
        ? setCookies.flatMap((v) => v.split('\n')).map((v) => parseSetCookie(v, req.url, receivedAt))
        : res.cookies.map((c) =>
            parseSetCookie(
              `${c.name}=${c.value}${c.domain ? `; Domain=${c.domain}` : ''}${c.path ? `; Path=${c.path}` : ''}${c.expires ? `; Expires=${new Date(c.expires).toUTCString()}` : ''}${c.secure ? '; Secure' : ''}${c.httpOnly ? '; HttpOnly' : ''}${c.sameSite ? `; SameSite=${c.sameSite}` : ''}`,
              req.url,
              receivedAt,
            ),
          );
    for (const c of parsed) {
      if (!c) continue;
      if (!c.rejected && !isSessionCookie(c.name, c.value, c.httpOnly)) continue;
      const event: CookieEvent = {
        // When the exchange happened (the client's clock, as every other event); the server's
        // Date only anchors Max-Age, above.
        at: Number.isNaN(at) ? receivedAt : at,
        url: (url ??= shownUrl(req.url)),
        method: req.method,
        status,
        name: c.name,
        domain: c.domain,
        hostOnly: c.hostOnly,
        path: c.path,
        action: c.rejected ? 'rejected' : c.deletes ? 'delete' : 'set',
        expiresAt: c.expiresAt,
        secure: c.secure,
        httpOnly: c.httpOnly,
        sameSite: c.sameSite,
        partitioned: c.partitioned,
      };
      if (c.rejected) event.rejected = c.rejected;
      if (looksLikeJwt(c.value)) {
        const info = inspectToken(c.value);
        if (info.exp !== undefined) event.jwtExp = info.exp;
      }
      pushBounded(timeline.cookieEvents, event, TIMELINE_CAPS.cookieEvents);
    }
  }

  // Session cookies the request carried: "seen earlier" for session-cookie-missing.
  const cookieHeader = firstHeader(req.headers, 'cookie') === undefined ? '' : headerValues(req.headers, 'cookie').join('; ');
  if (cookieHeader !== '' || req.cookies.length > 0) {
    const sent = cookieHeader ? parseCookieHeader(cookieHeader) : req.cookies.map((c) => ({ name: c.name, value: c.value }));
    let host: string | undefined;
    for (const c of sent) {
      if (!isSessionCookie(c.name, c.value)) continue;
      host ??= hostOf(req.url) ?? '';
      const endpoint = endpointUrl(req.url);
      const existing = timeline.sentCookies.find((s) => s.name === c.name && s.host === host);
      if (existing) {
        existing.at = at;
        existing.url = endpoint;
      } else {
        pushBounded(timeline.sentCookies, { name: c.name, host, at, url: endpoint }, TIMELINE_CAPS.sentCookies);
      }
    }
  }

  // Credentials that worked.
  if (status >= 200 && status < 400) {
    const cred = credentialFingerprint(entry);
    // A revocation or sign-out that succeeded ended the credential: it is not a use that worked.
    if (cred && !endsSession(req.url)) pushBounded(timeline.tokenUses, { ...cred, at, url: endpointUrl(req.url), status }, TIMELINE_CAPS.tokenUses);
    // The last credentialed success of this endpoint, as it was sent.
    if (cred || cookieHeader !== '') {
      // Summarized only when read (settleSuccesses): most are replaced by the next success of
      // their endpoint first, and summarizing each was half of `why401 explain`'s time.
      let pending = unsummarized.get(timeline);
      if (!pending) unsummarized.set(timeline, (pending = new Map()));
      const key = `${req.method.toUpperCase()} ${req.url.split(/[?#]/, 1)[0]}`;
      pending.delete(key);
      pending.set(key, entry);
      // The newest `successes` endpoints always survive the fold, so an older pending one
      // would be summarized only to be dropped: forget it now.
      if (pending.size > TIMELINE_CAPS.successes) pending.delete(pending.keys().next().value!);
    }
  }

  // Redirects.
  if (status >= 300 && status < 400) {
    const location = res.redirectURL || firstHeader(res.headers, 'location') || '';
    if (location) {
      let to = location;
      try {
        to = new URL(location, req.url).toString();
      } catch {
        // keep as written
      }
      pushBounded(
        timeline.redirects,
        { at, from: (url ??= shownUrl(req.url)), to: redactUrl(to), status, authorizationSent: firstHeader(req.headers, 'authorization') !== undefined },
        TIMELINE_CAPS.redirects,
      );
    }
  }
}

/**
 * Why 401 cleared cookies for the user ("Clear site cookies"): the session cookies among them are
 * deletions on the tab's timeline, so the next failure says who removed them and when. Undo puts
 * them back: "restored" records them as set again, so nothing blames the clear any more.
 */
export function observeClearedCookies(timeline: Timeline, cleared: readonly JarCookie[], at: number, url: string, how: 'cleared' | 'restored' = 'cleared'): void {
  const shown = shownUrl(url);
  for (const c of cleared) {
    if (!(c.jwt === true || isSessionCookie(c.name, c.value, c.httpOnly))) continue;
    pushBounded(
      timeline.cookieEvents,
      {
        at,
        url: shown,
        method: '',
        status: 0,
        name: c.name,
        domain: c.domain.replace(/^\./, '').toLowerCase(),
        hostOnly: c.hostOnly,
        path: c.path || '/',
        action: how === 'cleared' ? 'delete' : 'set',
        // A restored cookie's expiry is the jar's evidence (session-cookie-expired reads the jar).
        expiresAt: null,
        secure: c.secure,
        httpOnly: c.httpOnly,
        sameSite: c.sameSite === 'no_restriction' ? 'none' : c.sameSite,
        partitioned: c.partitionKey !== undefined,
        by: 'why401',
      },
      TIMELINE_CAPS.cookieEvents,
    );
  }
}

/** Session-cookie events that apply to a URL (domain and path match), oldest first. */
export function cookieEventsFor(timeline: Timeline, url: string): CookieEvent[] {
  const u = parseUrlPath(url);
  if (!u) return [];
  const host = u.hostname.toLowerCase();
  const path = u.pathname || '/';
  return timeline.cookieEvents.filter((e) => {
    const domainOk = e.hostOnly ? host === e.domain : host === e.domain || host.endsWith(`.${e.domain}`);
    if (!domainOk) return false;
    return path === e.path || path.startsWith(e.path.endsWith('/') ? e.path : `${e.path}/`) || e.path === '/';
  });
}
