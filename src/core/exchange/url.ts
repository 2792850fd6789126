/**
 * URLs and origins, without the Public Suffix List (site.ts adds registrable domains): what
 * the panel's list and other first-paint code need, kept out of the tldts data.
 */

let lastInput: string | undefined;
let lastParsed: Readonly<URL> | undefined;

/**
 * The parsed URL, or undefined when it does not parse. The last result is kept and returned
 * again for the same text (one judgement asks for the same URL many times, and a HAR's URL can
 * be megabytes long): it is shared, hence read-only.
 */
export function parseUrl(url: string | undefined): Readonly<URL> | undefined {
  if (typeof url !== 'string' || url.length === 0) return undefined;
  if (url === lastInput) return lastParsed;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  lastInput = url;
  lastParsed = parsed;
  return parsed;
}

/** Past this length a URL is cut before it is parsed for its origin, host or path (what the cut keeps parses the same). */
const LONG_URL = 2048;

/**
 * A long URL cut where what `part` needs ends — after its authority (`https://user@host:port`)
 * or after its path (before `?` or `#`) — so that a query or path of megabytes is neither parsed
 * nor copied to read a host. Short URLs, and URLs without `scheme://`, are returned whole.
 */
function urlHead(url: string, part: 'authority' | 'path'): string {
  if (url.length <= LONG_URL) return url;
  const at = url.indexOf('://');
  if (at === -1 || at > 64) return url;
  for (let i = at + 3; i < url.length; i++) {
    const c = url.charCodeAt(i);
    // ? and #, and for the authority also / and \ (a path separator in http(s) URLs).
    if (c === 63 || c === 35 || (part === 'authority' && (c === 47 || c === 92))) return url.slice(0, i);
  }
  return url;
}

/** The parsed URL up to its path (no query, no fragment): its scheme, host and path, for cookie scope and sites. */
export function parseUrlPath(url: string | undefined): Readonly<URL> | undefined {
  return typeof url === 'string' ? parseUrl(urlHead(url, 'path')) : undefined;
}

/**
 * The URL's query parameters. A long URL's query is read on its own (from its first `?` to its
 * `#`), not by parsing the whole URL: the URL parser copies its input several times over, and a
 * query of megabytes would be copied with it. The names and values are the same either way (the
 * parser only percent-encodes what the query's own decoding reads back).
 */
export function searchParamsOf(url: string | undefined): URLSearchParams | undefined {
  if (typeof url !== 'string' || url.length <= LONG_URL) return parseUrl(url)?.searchParams;
  if (!parseUrlPath(url)) return undefined;
  const q = url.indexOf('?');
  const h = url.indexOf('#');
  if (q === -1 || (h !== -1 && h < q)) return new URLSearchParams();
  const query = url.slice(q + 1, h === -1 ? url.length : h);
  // URLSearchParams drops one leading "?" of its text (the URL's own would have gone already).
  return new URLSearchParams(query.startsWith('?') ? `&${query}` : query);
}

export function originOf(url: string | undefined): string | undefined {
  if (typeof url !== 'string') return undefined;
  let origin = origins.get(url);
  if (origin === undefined) {
    const u = parseUrl(urlHead(url, 'authority'));
    origin = !u || u.origin === 'null' ? null : u.origin;
    remember(origins, url, origin);
  }
  return origin ?? undefined;
}

/** Recent origins by URL (a context compares one URL with the same few dozen many times). */
const origins = new Map<string, string | null>();
const MEMO_SIZE = 512;
/** Only short keys: a URL of megabytes is not kept alive to save one parse. */
const MEMO_KEY = 2048;

/** Keep an answer in a small memo, emptied when full. */
export function remember<V>(memo: Map<string, V>, key: string, value: V): void {
  if (key.length > MEMO_KEY) return;
  if (memo.size >= MEMO_SIZE) memo.clear();
  memo.set(key, value);
}

/**
 * A match pattern for an origin's requests (`https://api.example.com/*`; ports match any, as
 * the browsers' patterns do): what the capture's full tier listens to and what site access grants.
 */
export function originPattern(origin: string): string | undefined {
  const m = /^(https?):\/\/(\[[0-9a-f:.]+\]|[^/:]+)(?::\d+)?$/i.exec(origin);
  return m ? `${m[1]!.toLowerCase()}://${m[2]!.toLowerCase()}/*` : undefined;
}

export function hostOf(url: string | undefined): string | undefined {
  return typeof url === 'string' ? parseUrl(urlHead(url, 'authority'))?.hostname.toLowerCase() : undefined;
}

export function isSameOrigin(a: string | undefined, b: string | undefined): boolean {
  const oa = originOf(a);
  return oa !== undefined && oa === originOf(b);
}

/**
 * Whether a URL is "potentially trustworthy" for cookies: https, or loopback http
 * (browsers let http://localhost hold Secure cookies).
 */
export function isSecureUrl(url: string | undefined): boolean {
  const u = typeof url === 'string' ? parseUrl(urlHead(url, 'authority')) : undefined;
  if (!u) return false;
  if (u.protocol === 'https:' || u.protocol === 'wss:') return true;
  const h = u.hostname.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

function isPrivateV4(a: number, b: number): boolean {
  return a === 10 || a === 127 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
}

/**
 * A private, loopback or link-local address or name (called out before re-running an imported
 * request): localhost and *.localhost (a trailing dot or not), .local/.internal/.home.arpa names,
 * the private IPv4 ranges, IPv6 loopback, unique-local and link-local addresses, and IPv4 mapped
 * into IPv6 (`[::ffff:7f00:1]` is 127.0.0.1, as the URL parser writes it).
 */
export function isPrivateHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.+$/, '');
  if (h === '') return false;
  if (h === 'localhost' || h.endsWith('.localhost') || h.endsWith('.local') || h.endsWith('.internal') || h.endsWith('.home.arpa')) return true;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  if (v4) return isPrivateV4(Number(v4[1]), Number(v4[2]));
  if (!h.includes(':')) return false;
  if (h === '::1' || h === '::' || /^f[cd][0-9a-f]{0,2}:/.test(h) || /^fe[89ab][0-9a-f]?:/.test(h)) return true;
  // IPv4-mapped IPv6: ::ffff:a.b.c.d, or ::ffff:HHHH:HHHH.
  const mappedDotted = /^(?:0{0,4}:){0,5}:?ffff:(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(h);
  if (mappedDotted) return isPrivateV4(Number(mappedDotted[1]), Number(mappedDotted[2]));
  const mappedHex = /^(?:0{0,4}:){0,5}:?ffff:([0-9a-f]{1,4}):[0-9a-f]{1,4}$/.exec(h);
  if (mappedHex) {
    const hi = parseInt(mappedHex[1]!, 16);
    return isPrivateV4(hi >> 8, hi & 0xff);
  }
  return false;
}
