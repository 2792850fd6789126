/**
 * Turning webRequest events into exchange records (HAR entries with our `_why401` fields).
 * Pure functions: tested in Node with recorded event details.
 */
import type { HarEntry, HarHeader, HarPostData, JarCookie, RedirectHop } from '../core/har-types.ts';
import { firstHeader } from '../core/headers.ts';
import { originOf } from '../core/site.ts';
import { iso } from '../core/time.ts';
import { headerText, type RequestDetails, type WebRequestHeader } from '../platform/types.ts';

/** What the capture remembers about a request between its events (kept small: one per request in flight). */
export interface Pending {
  startedAt: number;
  requestHeaders?: HarHeader[];
  body?: HarPostData;
  chain?: RedirectHop[];
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

/** "HTTP/1.1 401 Unauthorized" → ["HTTP/1.1", "Unauthorized"]. */
export function splitStatusLine(line: string | undefined): { httpVersion: string; statusText: string } {
  if (!line) return { httpVersion: '', statusText: '' };
  const m = /^(\S+)\s+\d{3}\s?(.*)$/.exec(line.slice(0, 2048));
  return m ? { httpVersion: m[1]!, statusText: m[2]! } : { httpVersion: '', statusText: '' };
}

/** Values longer than this are cut when stored (after diagnosis): records stay small. */
export const MAX_STORED_HEADER = 8192;

export function trimHeaders(headers: HarHeader[]): HarHeader[] {
  return headers.map((h) => (h.value.length > MAX_STORED_HEADER ? { name: h.name, value: `${h.value.slice(0, MAX_STORED_HEADER)} …[${h.value.length - MAX_STORED_HEADER} more characters not kept]` } : h));
}

export interface EntryContext {
  topLevelUrl?: string | undefined;
  jar?: JarCookie[] | undefined;
}

/** The exchange record of a response, from its details and what was remembered of its request. */
export function buildEntry(d: RequestDetails, pending: Pending | undefined, ctx: EntryContext): HarEntry {
  const requestHeaders = pending?.requestHeaders ?? [];
  const responseHeaders = toHarHeaders(d.responseHeaders);
  const { httpVersion, statusText } = splitStatusLine(d.statusLine);
  const started = pending?.startedAt ?? d.timeStamp;
  const entry: HarEntry = {
    startedDateTime: iso(started),
    time: Math.max(0, Math.round(d.timeStamp - started)),
    request: {
      method: d.method,
      url: d.url,
      httpVersion,
      headers: requestHeaders,
      cookies: [],
      queryString: [],
      headersSize: -1,
      bodySize: -1,
    },
    response: {
      status: d.statusCode ?? 0,
      statusText,
      httpVersion,
      headers: responseHeaders,
      cookies: [],
      content: { size: -1, mimeType: firstHeader(responseHeaders, 'content-type') ?? '' },
      redirectURL: firstHeader(responseHeaders, 'location') ?? '',
      headersSize: -1,
      bodySize: -1,
    },
    cache: {},
    timings: { send: 0, wait: Math.max(0, Math.round(d.timeStamp - started)), receive: 0 },
  };
  if (pending?.body) entry.request.postData = pending.body;
  if (d.ip) entry.serverIPAddress = d.ip;
  const initiator = d.initiator ?? originOf(d.originUrl);
  entry._why401 = {
    tabId: d.tabId,
    frameId: d.frameId,
    type: d.type,
    ...(initiator ? { initiator } : {}),
    ...(ctx.topLevelUrl ? { topLevelUrl: ctx.topLevelUrl } : {}),
    ...(ctx.jar ? { cookieJar: ctx.jar } : {}),
    ...(pending?.chain && pending.chain.length > 0 ? { redirectChain: pending.chain } : {}),
    ...(d.fromCache !== undefined ? { fromCache: d.fromCache } : {}),
  };
  return entry;
}
