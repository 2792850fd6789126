/**
 * The exchange record (DESIGN.md): the one builder of HAR entries. Live capture, the HAR reader,
 * re-runs and tests all make their entries here, so every path fills the same fields the same
 * way (HAR 1.2 §4: unknown sizes are -1, a missing redirect is "").
 */
import type { CookiePolicy, HarContent, HarCookie, HarEntry, HarHeader, HarPostData, JarCookie, RedirectHop, Why401Fields } from './har-types.ts';
import { firstHeader } from '../auth/headers.ts';
import { looksLikeJwt } from '../tokens/jwt.ts';
import { originOf } from './url.ts';
import { iso } from '../verdict/time.ts';

/** What an entry is made of; everything not given takes HAR's "unknown" value. */
export interface EntryParts {
  startedDateTime: string;
  time?: number;
  method: string;
  url: string;
  httpVersion?: string;
  requestHeaders?: HarHeader[];
  postData?: HarPostData;
  status: number;
  statusText?: string;
  responseHeaders?: HarHeader[];
  /** The response's Location (defaults to the Location header). */
  redirectURL?: string;
  mimeType?: string;
  serverIPAddress?: string;
  why?: Why401Fields;
  /** What a HAR file may add (its reader passes them on). */
  requestCookies?: HarCookie[];
  responseCookies?: HarCookie[];
  queryString?: { name: string; value: string }[];
  content?: HarContent;
  sizes?: { requestHeaders: number; requestBody: number; responseHeaders: number; responseBody: number };
  timings?: HarEntry['timings'];
  resourceType?: string;
  initiator?: HarEntry['_initiator'];
}

/** HAR's `request.queryString`: the URL's parameters, in order (at most 200; a URL that cannot be read has none). */
function queryStringOf(url: string): { name: string; value: string }[] {
  const at = url.indexOf('?');
  if (at === -1) return [];
  try {
    const out: { name: string; value: string }[] = [];
    for (const [name, value] of new URL(url).searchParams) {
      if (out.length >= 200) break;
      out.push({ name, value });
    }
    return out;
  } catch {
    return [];
  }
}

/** A HAR 1.2 entry from its parts: the only place an entry object literal is written. */
export function harEntry(p: EntryParts): HarEntry {
  const requestHeaders = p.requestHeaders ?? [];
  const responseHeaders = p.responseHeaders ?? [];
  const time = Math.max(0, Math.round(p.time ?? 0));
  const entry: HarEntry = {
    startedDateTime: p.startedDateTime,
    time,
    request: {
      method: p.method,
      url: p.url,
      httpVersion: p.httpVersion ?? '',
      headers: requestHeaders,
      cookies: p.requestCookies ?? [],
      queryString: p.queryString ?? queryStringOf(p.url),
      headersSize: p.sizes?.requestHeaders ?? -1,
      bodySize: p.sizes?.requestBody ?? -1,
    },
    response: {
      status: p.status,
      statusText: p.statusText ?? '',
      httpVersion: p.httpVersion ?? '',
      headers: responseHeaders,
      cookies: p.responseCookies ?? [],
      content: p.content ?? { size: -1, mimeType: p.mimeType ?? firstHeader(responseHeaders, 'content-type') ?? '' },
      redirectURL: p.redirectURL ?? firstHeader(responseHeaders, 'location') ?? '',
      headersSize: p.sizes?.responseHeaders ?? -1,
      bodySize: p.sizes?.responseBody ?? -1,
    },
    cache: {},
    timings: p.timings ?? { send: 0, wait: time, receive: 0 },
  };
  if (p.postData) entry.request.postData = p.postData;
  if (p.serverIPAddress !== undefined) entry.serverIPAddress = p.serverIPAddress;
  if (p.resourceType !== undefined) entry._resourceType = p.resourceType;
  if (p.initiator !== undefined) entry._initiator = p.initiator;
  if (p.why) entry._why401 = p.why;
  return entry;
}

/** What the background captured of one exchange (webRequest details, already plain data). */
export interface CapturedExchange {
  /** When the request's headers left, ms since the epoch. */
  startedAt: number;
  /** When the response's headers arrived. */
  receivedAt: number;
  method: string;
  url: string;
  /** "HTTP/1.1 401 Unauthorized" as the browser reported it. */
  statusLine?: string;
  status: number;
  requestHeaders: HarHeader[];
  responseHeaders: HarHeader[];
  redirectURL?: string;
  body?: HarPostData;
  ip?: string;
  tabId: number;
  frameId: number;
  type: string;
  /** The origin that started the request (Chrome's `initiator`, or Firefox's `originUrl`). */
  initiator?: string;
  topLevelUrl?: string;
  /** The tab's cookie store (Firefox containers and private windows, Chrome incognito). */
  storeId?: string;
  jar?: JarCookie[];
  /** The browser's third-party-cookie setting, when the user allowed reading it. */
  cookiePolicy?: CookiePolicy;
  /** Heard by the light capture tier (no Cookie or Set-Cookie header visible). */
  light?: boolean;
  redirectChain?: RedirectHop[];
  fromCache?: boolean;
}

/** "HTTP/1.1 401 Unauthorized" → ["HTTP/1.1", "Unauthorized"]. */
export function splitStatusLine(line: string | undefined): { httpVersion: string; statusText: string } {
  if (!line) return { httpVersion: '', statusText: '' };
  const m = /^(\S+)\s+\d{3}\s?(.*)$/.exec(line.slice(0, 2048));
  return m ? { httpVersion: m[1]!, statusText: m[2]! } : { httpVersion: '', statusText: '' };
}

/**
 * The most of a header value the diagnosis reads from live capture (a page can send megabytes):
 * every parser is linear, and this keeps one hostile page from holding the worker for long.
 */
export const MAX_JUDGED_HEADER = 65_536;
/** The most headers of one side the diagnosis reads. */
export const MAX_JUDGED_HEADERS = 256;

function bounded(headers: HarHeader[]): HarHeader[] {
  const list = headers.length > MAX_JUDGED_HEADERS ? headers.slice(0, MAX_JUDGED_HEADERS) : headers;
  return list.some((h) => h.value.length > MAX_JUDGED_HEADER) ? list.map((h) => (h.value.length > MAX_JUDGED_HEADER ? { name: h.name, value: h.value.slice(0, MAX_JUDGED_HEADER) } : h)) : list;
}

/** The exchange record of a captured response (header values bounded for the diagnosis). */
export function entryFromCapture(c: CapturedExchange): HarEntry {
  const { httpVersion, statusText } = splitStatusLine(c.statusLine);
  const initiator = c.initiator === undefined || c.initiator === 'null' ? undefined : (originOf(c.initiator) ?? c.initiator);
  const why: Why401Fields = { tabId: c.tabId, frameId: c.frameId, type: c.type };
  if (initiator) why.initiator = initiator;
  if (c.topLevelUrl) why.topLevelUrl = c.topLevelUrl;
  if (c.storeId) why.storeId = c.storeId;
  if (c.jar) why.cookieJar = c.jar;
  if (c.cookiePolicy) why.cookiePolicy = c.cookiePolicy;
  if (c.light) why.capture = 'light';
  if (c.redirectChain && c.redirectChain.length > 0) why.redirectChain = c.redirectChain;
  if (c.fromCache !== undefined) why.fromCache = c.fromCache;
  return harEntry({
    startedDateTime: iso(c.startedAt),
    time: c.receivedAt - c.startedAt,
    method: c.method,
    url: c.url,
    httpVersion,
    requestHeaders: bounded(c.requestHeaders),
    ...(c.body ? { postData: c.body } : {}),
    status: c.status,
    statusText,
    responseHeaders: bounded(c.responseHeaders),
    ...(c.redirectURL ? { redirectURL: c.redirectURL } : {}),
    ...(c.ip ? { serverIPAddress: c.ip } : {}),
    why,
  });
}

/** Values longer than this are cut when stored (after diagnosis): records stay small. */
export const MAX_STORED_HEADER = 8192;

export function trimHeaders(headers: HarHeader[]): HarHeader[] {
  return headers.map((h) => (h.value.length > MAX_STORED_HEADER ? { name: h.name, value: `${h.value.slice(0, MAX_STORED_HEADER)} …[${h.value.length - MAX_STORED_HEADER} more characters not kept]` } : h));
}

/**
 * What is kept of an exchange once it is judged: long header values cut, and no value of a cookie
 * the browser held (the UI never shows one; whether it looked like a JWT is kept as `jwt`).
 */
export function keptEntry(entry: HarEntry): HarEntry {
  const out: HarEntry = { ...entry, request: { ...entry.request, headers: trimHeaders(entry.request.headers) }, response: { ...entry.response, headers: trimHeaders(entry.response.headers) } };
  const jar = entry._why401?.cookieJar;
  if (jar) out._why401 = { ...entry._why401, cookieJar: jar.map(({ value, ...c }) => ({ ...c, value: '', ...(c.jwt || looksLikeJwt(value) ? { jwt: true } : {}) })) };
  return out;
}
