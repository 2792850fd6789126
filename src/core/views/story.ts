/**
 * The tab's auth story up to a failure, from what the failure's context kept (never the live
 * timeline): sign-ins that set cookies, requests that worked with credentials, sign-outs that
 * deleted them, Why 401's own clears, redirects, then the failure itself. The panel draws it as a
 * strip and a list; the events are decided here, once.
 */
import type { ExchangeContext } from '../exchange/context.ts';
import { relative } from '../verdict/time.ts';

export type StoryKind = 'cookie-set' | 'cookie-deleted' | 'cookie-refused' | 'cleared' | 'restored' | 'worked' | 'cookie-sent' | 'redirect' | 'sign-in' | 'sign-in-broken' | 'failure';

export interface StoryEvent {
  at: number;
  kind: StoryKind;
  /** A few words for the strip ("sid set", "200", "401 Token expired"). */
  short: string;
  /** One sentence for the list and the detail of a clicked event. */
  text: string;
  /** The exchange it came from, when there is one. */
  exchange?: { method: string; url: string; status: number };
}

/** The most events before the failure a story shows (the latest). */
export const STORY_MAX = 14;

function notAfter(t: number, at: number): boolean {
  return Number.isNaN(at) || Number.isNaN(t) || t <= at;
}

export function authStory(context: ExchangeContext, failure: { at: number; method: string; url: string; status: number; label: string }): StoryEvent[] {
  const events: StoryEvent[] = [];
  for (const e of [...context.cookieEvents, ...(context.siteCookieEvents ?? [])]) {
    if (e.by === 'why401') {
      events.push({ at: e.at, kind: e.action === 'delete' ? 'cleared' : 'restored', short: `${e.name} ${e.action === 'delete' ? 'cleared' : 'restored'}`, text: `Why 401 ${e.action === 'delete' ? 'cleared' : 'restored (Undo)'} the cookie "${e.name}" of ${e.url}.` });
      continue;
    }
    const exchange = { method: e.method, url: e.url, status: e.status };
    if (e.action === 'delete') events.push({ at: e.at, kind: 'cookie-deleted', short: `${e.name} deleted`, text: `The response to ${e.method} ${e.url} (${e.status}) deleted the cookie "${e.name}".`, exchange });
    else if (e.action === 'rejected') events.push({ at: e.at, kind: 'cookie-refused', short: `${e.name} refused`, text: `The browser refused the cookie "${e.name}" set by ${e.method} ${e.url}: ${e.rejected ?? 'invalid'}.`, exchange });
    else events.push({ at: e.at, kind: 'cookie-set', short: `${e.name} set`, text: `The response to ${e.method} ${e.url} (${e.status}) set the cookie "${e.name}"${e.domain ? ` for ${e.domain}${e.path && e.path !== '/' ? e.path : ''}` : ''}.`, exchange });
  }
  const worked = new Set<string>();
  const success = context.lastSuccess;
  if (success) {
    worked.add(`${success.at}|${success.url}`);
    events.push({ at: success.at, kind: 'worked', short: String(success.status), text: `${success.method} ${success.url} worked (${success.status}) with ${success.auth ? `${success.auth.scheme || 'an'} Authorization` : 'its cookies'}.`, exchange: { method: success.method, url: success.url, status: success.status } });
  }
  for (const p of [context.lastCredentialed, context.sameCredentials]) {
    if (!p || worked.has(`${p.at}|${p.url}`)) continue;
    worked.add(`${p.at}|${p.url}`);
    events.push({ at: p.at, kind: 'worked', short: String(p.status), text: `A request to ${p.url} worked (${p.status}) with ${p.scheme ? `${p.scheme} ` : ''}credentials${p === context.sameCredentials ? ', these same ones' : ''}.`, exchange: { method: 'GET', url: p.url, status: p.status } });
  }
  // A cookie last sent with a request the story already shows working says nothing more.
  const workedAt = events.filter((e) => e.kind === 'worked').map((e) => e.at);
  for (const s of context.sentCookies) {
    if (workedAt.some((t) => Math.abs(t - s.at) < 1000)) continue;
    events.push({ at: s.at, kind: 'cookie-sent', short: `${s.name} sent`, text: `The cookie "${s.name}" was last sent to ${s.host} (${s.url}).` });
  }
  for (const h of context.redirects ?? []) events.push({ at: Number.NaN, kind: 'redirect', short: String(h.status), text: `${h.url} redirected (${h.status}) to ${h.location}${h.authorizationSent ? ', with Authorization' : ''}.`, exchange: { method: 'GET', url: h.url, status: h.status } });
  const before = events.filter((e) => notAfter(e.at, failure.at));
  // In time order; events of unknown time (redirect hops) stay just before the failure, in their order.
  const timed = before.filter((e) => !Number.isNaN(e.at)).sort((a, b) => a.at - b.at);
  const untimed = before.filter((e) => Number.isNaN(e.at));
  const story = [...timed, ...untimed].slice(-STORY_MAX);
  story.push({ at: failure.at, kind: 'failure', short: `${failure.status} ${failure.label}`, text: `${failure.method} ${failure.url} failed (${failure.status}): ${failure.label}.`, exchange: { method: failure.method, url: failure.url, status: failure.status } });
  return story;
}

/** "5 minutes before the failure", or "" when either time is unknown. */
export function storyTime(e: StoryEvent, failureAt: number): string {
  if (e.kind === 'failure') return 'the failure';
  if (Number.isNaN(e.at) || Number.isNaN(failureAt)) return '';
  return relative(e.at, failureAt, 'the failure');
}
