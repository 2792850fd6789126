/**
 * The context of one failure: what the tab's (or the HAR's) timeline knew when the failure was
 * judged, cut down to exactly what the rules read. The rules never see the timeline itself, only
 * this, so a failure's verdict is a function of its entry and its context alone. The context
 * travels with the record (`_why401.context`) into storage, every export and back through
 * `why401 explain` and the panel's import: the same failure gets the same verdict on every path,
 * and no export ever has to invent an exchange to carry it (DESIGN.md, "The exchange record and the export format").
 *
 * It holds no secret: cookie names and attributes, URLs already redacted by the timeline, times
 * and statuses. Bounded: a few dozen items at most.
 */
import type { HarEntry, RedirectHop } from './har-types.ts';
import { isSameOrigin, isSameSite, registrableDomain } from '../cookies/site.ts';
import { parseTime } from '../verdict/time.ts';
import { parseUrlPath } from './url.ts';
import { cookieEventsFor, credentialFingerprint, settleSuccesses, type CookieEvent, type SentCookie, type Timeline } from './timeline.ts';
import { endpointOf, redactUrl } from '../redaction/redact-url.ts';
import { sameEndpoint, type ExchangeSummary } from './exchange-summary.ts';
import type { ExchangeContext, PriorSuccess } from './har-types.ts';
export type { ExchangeContext, PriorSuccess } from './har-types.ts';



/** The most of each list a context keeps (the rules read the latest). */
export const CONTEXT_CAPS = { cookieEvents: 40, sentCookies: 20, redirects: 20, siteCookieEvents: 10 } as const;

export function emptyContext(): ExchangeContext {
  return { cookieEvents: [], sentCookies: [] };
}

/** Known and not after the request (an unknown time on either side counts as before). */
function notAfter(t: number, at: number): boolean {
  return Number.isNaN(at) || Number.isNaN(t) || t <= at;
}

/** Walk back through recorded redirects that led to this URL (consecutive HAR entries). */
function redirectsTo(entry: HarEntry, timeline: Timeline, at: number): RedirectHop[] {
  const chain: RedirectHop[] = [];
  let target = redactUrl(entry.request.url);
  const seen = new Set<string>();
  for (let guard = 0; guard < CONTEXT_CAPS.redirects; guard++) {
    let hop: Timeline['redirects'][number] | undefined;
    for (let k = timeline.redirects.length - 1; k >= 0; k--) {
      const r = timeline.redirects[k]!;
      if (r.to === target && (Number.isNaN(at) || Number.isNaN(r.at) || (r.at <= at + 1000 && at - r.at < 120_000))) {
        hop = r;
        break;
      }
    }
    if (!hop || seen.has(hop.from)) break;
    seen.add(hop.from);
    chain.unshift({ url: hop.from, status: hop.status, location: hop.to, authorizationSent: hop.authorizationSent });
    target = hop.from;
  }
  return chain;
}

/** What the rules may know of the timeline for this exchange. */
export function contextFor(timeline: Timeline, entry: HarEntry): ExchangeContext {
  const at = parseTime(entry.startedDateTime);
  const url = entry.request.url;
  const host = parseUrlPath(url)?.hostname.toLowerCase() ?? '';
  const context: ExchangeContext = {
    // Copies: the timeline updates some of its items in place as the tab goes on.
    cookieEvents: cookieEventsFor(timeline, url)
      .filter((e) => notAfter(e.at, at))
      .slice(-CONTEXT_CAPS.cookieEvents)
      .map((e) => ({ ...e })),
    sentCookies: timeline.sentCookies
      .filter((s) => s.host === host && notAfter(s.at, at))
      .slice(-CONTEXT_CAPS.sentCookies)
      .map((s) => ({ ...s })),
  };
  // Session cookies set for the site but not for this URL: the latest of each, still set.
  if (host !== '') {
    const site = registrableDomain(host);
    const applies = new Set(context.cookieEvents);
    const latest = new Map<string, CookieEvent>();
    // Why 401's own clear before a restore (Undo): the story shows the pair, not a restore alone.
    const clearedBefore = new Map<string, CookieEvent>();
    for (const e of timeline.cookieEvents) {
      if (!notAfter(e.at, at) || registrableDomain(e.domain) !== site) continue;
      const key = `${e.name}\u0000${e.domain}\u0000${e.path}`;
      const prev = latest.get(key);
      if (prev?.by === 'why401' && prev.action === 'delete' && e.by === 'why401' && e.action === 'set') clearedBefore.set(key, prev);
      else clearedBefore.delete(key);
      latest.set(key, e);
    }
    const inScope = new Set([...applies].map((e) => `${e.name}\u0000${e.domain}\u0000${e.path}`));
    const nearby = [...latest.entries()]
      .filter(([k, e]) => e.action === 'set' && !inScope.has(k) && (e.expiresAt === null || Number.isNaN(at) || e.expiresAt > at))
      .flatMap(([k, e]) => [clearedBefore.get(k), e].filter((x): x is CookieEvent => x !== undefined).map((x) => ({ ...x })));
    if (nearby.length > 0) context.siteCookieEvents = nearby.slice(-CONTEXT_CAPS.siteCookieEvents);
  }
  const cred = credentialFingerprint(entry);
  for (let k = timeline.tokenUses.length - 1; k >= 0 && (!context.lastCredentialed || (cred && !context.sameCredentials)); k--) {
    const u = timeline.tokenUses[k]!;
    if (!notAfter(u.at, at)) continue;
    const prior: PriorSuccess = { at: u.at, url: u.url, status: u.status, scheme: u.scheme };
    if (!context.lastCredentialed && isSameOrigin(u.url, url)) context.lastCredentialed = prior;
    if (cred && !context.sameCredentials && u.fp === cred.fp && isSameSite(u.url, url)) context.sameCredentials = prior;
  }
  if (!(entry._why401?.redirectChain && entry._why401.redirectChain.length > 0)) {
    const chain = redirectsTo(entry, timeline, at);
    if (chain.length > 0) context.redirects = chain;
  }
  if (!entry._why401?.topLevelUrl && timeline.topLevelUrl) context.topLevelUrl = timeline.topLevelUrl;
  const here = { method: entry.request.method.toUpperCase(), url: endpointOf(url) };
  let success: ExchangeSummary | undefined;
  settleSuccesses(timeline);
  for (let k = (timeline.successes ?? []).length - 1; k >= 0; k--) {
    const x = timeline.successes[k]!;
    if (!notAfter(x.at, at)) continue;
    if (sameEndpoint(x, here)) {
      success = x;
      break;
    }
    if (!success && isSameOrigin(x.url, url)) success = x;
  }
  if (success) context.lastSuccess = structuredCloneSummary(success);
  return context;
}

function structuredCloneSummary(x: ExchangeSummary): ExchangeSummary {
  const out: ExchangeSummary = { at: x.at, method: x.method, url: x.url, status: x.status, headers: { ...x.headers }, cookies: { ...x.cookies } };
  if (x.auth) out.auth = { ...x.auth, ...(x.auth.claims ? { claims: { ...x.auth.claims } } : {}) };
  if (x.redirects) out.redirects = [...x.redirects];
  return out;
}
