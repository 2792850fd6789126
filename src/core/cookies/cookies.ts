/**
 * Cookies: Set-Cookie parsing (RFC 6265bis §5.6), the Cookie header, matching a held cookie to
 * a request, and why a held cookie was not sent (SameSite, Secure, partitioning).
 */
import type { CookiePolicy, JarCookie } from '../exchange/har-types.ts';
import { looksLikeJwt } from '../tokens/jwt.ts';
import { displayUrl } from '../redaction/redact-url.ts';
import { isPublicSuffix, isSameSite, isSecureUrl, parseUrl, parseUrlPath, siteOf } from './site.ts';
import { iso } from '../verdict/time.ts';
import type { SameSite } from '../exchange/har-types.ts';
export type { SameSite } from '../exchange/har-types.ts';


export interface SetCookie {
  name: string;
  value: string;
  /** The cookie's domain: the Domain attribute without its leading dot, or the request host. */
  domain: string;
  hostOnly: boolean;
  path: string;
  secure: boolean;
  httpOnly: boolean;
  sameSite: SameSite;
  partitioned: boolean;
  /** Milliseconds since the epoch; null for a session cookie. Max-Age wins over Expires. */
  expiresAt: number | null;
  /** The cookie was set already expired: the browser deletes any cookie it matches. */
  deletes: boolean;
  /** Why a browser would refuse to store it, when it would. */
  rejected?: string;
}

export interface CookiePair {
  name: string;
  value: string;
}

/** Default-path (RFC 6265bis §5.1.4). */
function defaultPath(url: URL | undefined): string {
  const path = url?.pathname ?? '/';
  if (!path.startsWith('/')) return '/';
  const last = path.lastIndexOf('/');
  return last <= 0 ? '/' : path.slice(0, last);
}

/**
 * Parse one Set-Cookie value received in the response to `requestUrl` at `receivedAt` (ms).
 * Returns undefined when there is no cookie in it at all.
 */
export function parseSetCookie(header: string, requestUrl: string, receivedAt: number): SetCookie | undefined {
  const parts = header.split(';');
  const pair = parts[0] ?? '';
  const eq = pair.indexOf('=');
  const name = (eq === -1 ? '' : pair.slice(0, eq)).trim();
  const value = (eq === -1 ? pair : pair.slice(eq + 1)).trim();
  if (name === '' && value === '') return undefined;
  const url = parseUrlPath(requestUrl);
  const host = url?.hostname.toLowerCase() ?? '';
  const cookie: SetCookie = {
    name,
    value,
    domain: host,
    hostOnly: true,
    path: defaultPath(url),
    secure: false,
    httpOnly: false,
    sameSite: 'unspecified',
    partitioned: false,
    expiresAt: null,
    deletes: false,
  };
  let maxAge: number | undefined;
  let expires: number | undefined;
  for (let k = 1; k < parts.length; k++) {
    const attr = parts[k]!;
    const aeq = attr.indexOf('=');
    const key = (aeq === -1 ? attr : attr.slice(0, aeq)).trim().toLowerCase();
    const val = aeq === -1 ? '' : attr.slice(aeq + 1).trim();
    switch (key) {
      case 'expires': {
        const t = Date.parse(val);
        if (!Number.isNaN(t)) expires = t;
        break;
      }
      case 'max-age':
        if (/^-?\d+$/.test(val)) maxAge = Number(val);
        break;
      case 'domain': {
        const d = val.replace(/^\./, '').toLowerCase();
        if (d !== '') {
          cookie.domain = d;
          cookie.hostOnly = false;
        }
        break;
      }
      case 'path':
        if (val.startsWith('/')) cookie.path = val;
        break;
      case 'secure':
        cookie.secure = true;
        break;
      case 'httponly':
        cookie.httpOnly = true;
        break;
      case 'samesite': {
        const s = val.toLowerCase();
        cookie.sameSite = s === 'strict' || s === 'lax' || s === 'none' ? s : 'unspecified';
        break;
      }
      case 'partitioned':
        cookie.partitioned = true;
        break;
      default:
        break;
    }
  }
  if (maxAge !== undefined) {
    cookie.expiresAt = maxAge <= 0 ? receivedAt - 1 : receivedAt + maxAge * 1000;
  } else if (expires !== undefined) {
    cookie.expiresAt = expires;
  }
  cookie.deletes = cookie.expiresAt !== null && cookie.expiresAt <= receivedAt;

  if (!cookie.hostOnly && host && !domainMatches(host, cookie.domain)) {
    cookie.rejected = `its Domain=${cookie.domain} does not contain the host ${host}`;
  } else if (!cookie.hostOnly && isPublicSuffix(cookie.domain) && cookie.domain !== host) {
    cookie.rejected = `its Domain=${cookie.domain} is a public suffix`;
  } else if (cookie.sameSite === 'none' && !cookie.secure) {
    cookie.rejected = 'it has SameSite=None without Secure';
  } else if (cookie.secure && !isSecureUrl(requestUrl)) {
    cookie.rejected = 'it is Secure but was set over http';
  } else if (cookie.partitioned && !cookie.secure) {
    cookie.rejected = 'it is Partitioned without Secure';
  } else if (name.startsWith('__Host-') && (!cookie.secure || !cookie.hostOnly || cookie.path !== '/')) {
    cookie.rejected = 'a __Host- cookie must be Secure, without Domain, with Path=/';
  } else if (name.startsWith('__Secure-') && !cookie.secure) {
    cookie.rejected = 'a __Secure- cookie must be Secure';
  }
  return cookie;
}

/** The Cookie request header: "a=1; b=2". */
export function parseCookieHeader(header: string): CookiePair[] {
  const out: CookiePair[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    const name = (eq === -1 ? '' : part.slice(0, eq)).trim();
    const value = (eq === -1 ? part : part.slice(eq + 1)).trim();
    if (name === '' && value === '') continue;
    out.push({ name, value });
  }
  return out;
}

/** RFC 6265bis §5.1.3 domain-match. */
export function domainMatches(host: string, domain: string): boolean {
  const h = host.toLowerCase();
  const d = domain.toLowerCase().replace(/^\./, '');
  return h === d || (h.endsWith(`.${d}`) && !/^\d+\.\d+\.\d+\.\d+$/.test(h));
}

/** RFC 6265bis §5.4 step 1: a cookie's domain includes this host (exactly, when it is host-only). The one domain test. */
export function cookieMatchesHost(cookie: { hostOnly: boolean; domain: string }, host: string): boolean {
  return cookie.hostOnly ? host.toLowerCase() === cookie.domain.replace(/^\./, '').toLowerCase() : domainMatches(host, cookie.domain);
}

/** RFC 6265bis §5.1.4 path-match. */
export function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath.charAt(cookiePath.length) === '/';
}

/** The context a request left in, as far as cookies care. */
export interface CookieContext {
  url: string;
  method: string;
  /** A top-level navigation (main_frame / document). */
  navigation: boolean;
  /** Origin of the document that started the request. */
  initiator?: string | undefined;
  /** URL of the top-level document (site for cookies). */
  topLevelUrl?: string | undefined;
  /** Request time, ms. */
  at: number;
  /** The browser's third-party-cookie setting, when it was read. */
  thirdParty?: CookiePolicy['thirdParty'] | undefined;
}

export type NotSentReason =
  | 'domain'
  | 'path'
  | 'expired'
  | 'secure-on-http'
  | 'samesite-strict'
  | 'samesite-lax'
  | 'samesite-unspecified-lax'
  | 'samesite-none-insecure'
  | 'partitioned-elsewhere'
  | 'third-party'
  | 'partitioned-by-browser';


/**
 * The browser's third-party-cookie setting as evidence, from the setting as each browser names it
 * (the platform reads it; this is the one place that says what it means).
 */
export function cookiePolicyFrom(setting: { thirdPartyCookiesAllowed: boolean } | { cookieBehavior: string }, at: number): CookiePolicy | undefined {
  if ('thirdPartyCookiesAllowed' in setting) {
    if (typeof setting.thirdPartyCookiesAllowed !== 'boolean') return undefined;
    return { thirdParty: setting.thirdPartyCookiesAllowed ? 'allowed' : 'blocked', setting: `thirdPartyCookiesAllowed: ${setting.thirdPartyCookiesAllowed}`, at };
  }
  const thirdParty = Object.hasOwn(FIREFOX_BEHAVIOR, setting.cookieBehavior) ? FIREFOX_BEHAVIOR[setting.cookieBehavior] : undefined;
  return thirdParty ? { thirdParty, setting: `cookieConfig.behavior: ${setting.cookieBehavior}`, at } : undefined;
}

/** Firefox's privacy.websites.cookieConfig behaviours (MDN: privacy.websites). */
const FIREFOX_BEHAVIOR: Record<string, CookiePolicy['thirdParty']> = {
  allow_all: 'allowed',
  reject_third_party: 'blocked',
  reject_all: 'blocked',
  allow_visited: 'visited-only',
  reject_trackers: 'trackers-blocked',
  reject_trackers_and_partition_foreign: 'partitioned',
};

/** Whether the request is cross-site for cookie purposes (initiator and top-level site both count). */
export function isCrossSiteRequest(ctx: CookieContext): boolean | undefined {
  const refs = ctx.navigation ? [ctx.initiator] : [ctx.topLevelUrl, ctx.initiator];
  let known = false;
  for (const ref of refs) {
    if (!ref) continue;
    known = true;
    if (!isSameSite(ref, ctx.url)) return true;
  }
  return known ? false : undefined;
}

/**
 * Whether a cookie lives in the partition of this top-level page: an unpartitioned cookie always
 * does; a partitioned (CHIPS, Total Cookie Protection) one when its top-level site is the page's
 * (schemeful site). What "not sent: partitioned elsewhere" and "Clear site cookies" both mean.
 */
export function inPartitionOf(cookie: Pick<JarCookie, 'partitionKey'>, topLevelUrl: string | undefined): boolean {
  if (!cookie.partitionKey?.topLevelSite) return true;
  const top = siteOf(topLevelUrl);
  return top === undefined || siteOf(cookie.partitionKey.topLevelSite) === top;
}

/**
 * Why a cookie the browser holds would not be attached to this request; undefined when the
 * browser's own rules would send it (then only the credentials mode or a browser setting can
 * have held it back).
 */
export function whyNotSent(cookie: JarCookie, ctx: CookieContext): NotSentReason | undefined {
  const url = parseUrlPath(ctx.url);
  if (!url) return undefined;
  const host = url.hostname.toLowerCase();
  if (!cookieMatchesHost(cookie, host)) return 'domain';
  if (!pathMatches(url.pathname || '/', cookie.path || '/')) return 'path';
  if (!cookie.session && cookie.expirationDate !== undefined && cookie.expirationDate * 1000 <= ctx.at) return 'expired';
  if (cookie.secure && !isSecureUrl(ctx.url)) return 'secure-on-http';
  if (!inPartitionOf(cookie, ctx.topLevelUrl ?? ctx.initiator ?? ctx.url)) return 'partitioned-elsewhere';
  const crossSite = isCrossSiteRequest(ctx);
  if (crossSite) {
    const safeTopLevel = ctx.navigation && /^(GET|HEAD|OPTIONS|TRACE)$/i.test(ctx.method);
    switch (cookie.sameSite) {
      case 'strict':
        return 'samesite-strict';
      case 'lax':
        if (!safeTopLevel) return 'samesite-lax';
        break;
      case 'unspecified':
        if (!safeTopLevel) return 'samesite-unspecified-lax';
        break;
      case 'no_restriction':
        if (!cookie.secure) return 'samesite-none-insecure';
        break;
    }
    // The browser's own setting (read from it, not assumed). A partitioned (CHIPS) cookie is
    // made for this case and still travels; a navigation is first-party for its target.
    if (!cookie.partitionKey?.topLevelSite && !ctx.navigation) {
      if (ctx.thirdParty === 'blocked') return 'third-party';
      if (ctx.thirdParty === 'partitioned') return 'partitioned-by-browser';
    }
  }
  return undefined;
}

/** Cookie names that usually carry a session or a credential. */
const SESSION_NAMES = new Set([
  'sid',
  'ssid',
  'session',
  'sessionid',
  'session_id',
  'sess',
  'jsessionid',
  'connect.sid',
  'phpsessid',
  'asp.net_sessionid',
  'aspsessionid',
  '.aspnetcore.session',
  '.aspnetcore.cookies',
  '.aspxauth',
  'laravel_session',
  '_session_id',
  'auth',
  'auth_token',
  'authtoken',
  'access_token',
  'accesstoken',
  'id_token',
  'refresh_token',
  'token',
  'jwt',
  'remember_token',
  'remember_me',
  'rememberme',
  'login',
  'user_session',
  'appsession',
]);

const SESSION_PATTERN = /(^|[_.\-])(sess(ion)?(id)?|s?id|auth\w*|token|jwt|login)([_.\-]|$)|session$/;

/** Whether a cookie looks like it carries the session (DESIGN.md: by name, by JWT value, by HttpOnly, or named by a challenge). */
export function isSessionCookie(name: string, value?: string, httpOnly?: boolean, namedByChallenge?: ReadonlySet<string>): boolean {
  const bare = name.replace(/^__(Host|Secure)-/, '').toLowerCase();
  if (SESSION_NAMES.has(bare) || SESSION_PATTERN.test(bare)) return true;
  if (namedByChallenge?.has(name)) return true;
  if (value !== undefined && looksLikeJwt(value)) return true;
  return httpOnly === true;
}


// ---- a cookie's identity (what the browser keys it by) ----

/**
 * The key the browser stores a cookie under: name, domain, path, cookie store (a container, a
 * private window, incognito), partition (CHIPS) and first party (Firefox first-party isolation).
 * Two cookies with the same key are the same cookie; clear and undo act by it.
 */
export function cookieIdentity(c: Pick<JarCookie, 'name' | 'domain' | 'path' | 'storeId' | 'partitionKey' | 'firstPartyDomain'>): string {
  return [c.name, c.domain.replace(/^\./, '').toLowerCase(), c.path, c.storeId ?? '', c.partitionKey?.topLevelSite ?? '', c.partitionKey?.hasCrossSiteAncestor === true ? '1' : '', c.firstPartyDomain ?? ''].join('\u0000');
}

/** What of a cookie changed between two readings of the same cookie (empty: nothing). */
export function cookieChanges(a: JarCookie, b: JarCookie): string[] {
  const out: string[] = [];
  if (a.value !== b.value) out.push('value');
  if ((a.session ? undefined : a.expirationDate) !== (b.session ? undefined : b.expirationDate)) out.push('expiry');
  if (a.secure !== b.secure) out.push('Secure');
  if (a.httpOnly !== b.httpOnly) out.push('HttpOnly');
  if (a.sameSite !== b.sameSite) out.push('SameSite');
  if (a.hostOnly !== b.hostOnly) out.push('Domain');
  return out;
}

/** The most cookies of the site a record keeps beside those the browser considered for its URL. */
export const MAX_OUT_OF_SCOPE = 10;

/**
 * What a record keeps of the site's jar: every cookie the browser would consider for this URL
 * (domain and path match; the reasons it did not send one are the diagnosis), and the session
 * cookies of the same site whose Domain or Path leave this URL out (cookie-out-of-scope), at most
 * MAX_OUT_OF_SCOPE of them.
 */
export function jarForRecord(cookies: readonly JarCookie[], url: string): JarCookie[] {
  const u = parseUrlPath(url);
  if (!u) return [];
  const host = u.hostname.toLowerCase();
  const path = u.pathname || '/';
  const inScope: JarCookie[] = [];
  const outOfScope: JarCookie[] = [];
  for (const c of cookies) {
    const domainOk = cookieMatchesHost(c, host);
    if (domainOk && pathMatches(path, c.path || '/')) inScope.push(c);
    else if (outOfScope.length < MAX_OUT_OF_SCOPE && (c.jwt === true || isSessionCookie(c.name, c.value, c.httpOnly))) outOfScope.push(c);
  }
  return [...inScope, ...outOfScope];
}

