/**
 * webRequest event details → the captured exchange core builds records from (core/exchange/exchange.ts).
 * One shape per step: the listener's details, what is remembered of a request until its response
 * (`InFlight`, headers as webRequest gave them), then `CapturedExchange`. Pure functions.
 */
import type { CapturedExchange } from '../core/exchange/exchange.ts';
import type { CookiePolicy, HarHeader, JarCookie, RedirectHop } from '../core/exchange/har-types.ts';
import { headerText, type RequestDetails, type WebRequestHeader } from '../platform/types.ts';

/** What the capture remembers of a request between its events (kept small: one per request in flight). */
export interface InFlight {
  startedAt: number;
  /** The tab it belongs to (a closed tab's requests are forgotten). */
  tabId?: number;
  /** As webRequest gave them; converted only if the response fails. */
  headers?: WebRequestHeader[];
  chain?: RedirectHop[];
  /** Heard by the light tier: the Cookie header was not visible. */
  light?: boolean;
}

export function toHarHeaders(list: readonly WebRequestHeader[] | undefined): HarHeader[] {
  if (!list) return [];
  const out: HarHeader[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const h = list[i]!;
    out[i] = { name: h.name, value: headerText(h) };
  }
  return out;
}

export interface CaptureContext {
  topLevelUrl?: string | undefined;
  jar?: JarCookie[] | undefined;
  /** The tab's cookie store when webRequest does not name it (Chrome). */
  storeId?: string | undefined;
  cookiePolicy?: CookiePolicy | undefined;
}

/** The captured exchange of a response, from its details and what was remembered of its request. */
export function capturedOf(d: RequestDetails, pending: InFlight | undefined, ctx: CaptureContext = {}): CapturedExchange {
  const c: CapturedExchange = {
    startedAt: pending?.startedAt ?? d.timeStamp,
    receivedAt: d.timeStamp,
    method: d.method,
    url: d.url,
    status: d.statusCode ?? 0,
    requestHeaders: toHarHeaders(pending?.headers),
    responseHeaders: toHarHeaders(d.responseHeaders),
    tabId: d.tabId,
    frameId: d.frameId,
    type: d.type,
  };
  if (d.statusLine !== undefined) c.statusLine = d.statusLine;
  if (d.redirectUrl) c.redirectURL = d.redirectUrl;
  if (d.ip) c.ip = d.ip;
  // Chrome names the initiating origin; Firefox the initiating document's URL.
  const initiator = d.initiator ?? d.originUrl;
  if (initiator) c.initiator = initiator;
  if (ctx.topLevelUrl) c.topLevelUrl = ctx.topLevelUrl;
  const storeId = d.cookieStoreId ?? ctx.storeId;
  if (storeId) c.storeId = storeId;
  if (ctx.jar) c.jar = ctx.jar;
  if (ctx.cookiePolicy) c.cookiePolicy = ctx.cookiePolicy;
  if (pending?.chain && pending.chain.length > 0) c.redirectChain = pending.chain;
  if (pending?.light) c.light = true;
  if (d.fromCache !== undefined) c.fromCache = d.fromCache;
  return c;
}
