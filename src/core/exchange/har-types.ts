/**
 * The exchange record: a HAR 1.2 entry plus our `_why401` fields (DESIGN.md, "The exchange
 * record"). One model for live capture, export and import.
 */

export interface HarHeader {
  name: string;
  value: string;
}

export interface HarCookie {
  name: string;
  value: string;
  path?: string;
  domain?: string;
  expires?: string | null;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: string;
}

export interface HarPostData {
  mimeType: string;
  text?: string;
  params?: { name: string; value?: string }[];
}

export interface HarRequest {
  method: string;
  url: string;
  httpVersion: string;
  headers: HarHeader[];
  cookies: HarCookie[];
  queryString: { name: string; value: string }[];
  postData?: HarPostData;
  headersSize: number;
  bodySize: number;
}

export interface HarContent {
  size: number;
  mimeType: string;
  text?: string;
  encoding?: string;
}

export interface HarResponse {
  status: number;
  statusText: string;
  httpVersion: string;
  headers: HarHeader[];
  cookies: HarCookie[];
  content: HarContent;
  redirectURL: string;
  headersSize: number;
  bodySize: number;
}

/** A cookie as the browsers' cookies API describes it (chrome.cookies.Cookie / browser.cookies.Cookie). */
export interface JarCookie {
  name: string;
  /**
   * The live capture keeps no held cookie's value (the UI never shows it): '' in its records, with
   * `jwt` saying whether it looked like a JWT (a sign of a session cookie). A HAR may carry values;
   * they are redacted on export unless the user includes secrets.
   */
  value: string;
  jwt?: boolean;
  domain: string;
  hostOnly: boolean;
  path: string;
  secure: boolean;
  httpOnly: boolean;
  sameSite: 'no_restriction' | 'lax' | 'strict' | 'unspecified';
  session: boolean;
  /** Seconds since the epoch; absent for session cookies. */
  expirationDate?: number;
  storeId?: string;
  partitionKey?: { topLevelSite?: string; hasCrossSiteAncestor?: boolean };
  /** Firefox first-party isolation: the first party the cookie belongs to ('' when not isolated). */
  firstPartyDomain?: string;
}

/**
 * What the browser does with cookies in a cross-site (third-party) request, from its own settings:
 * Chrome's privacy.websites.thirdPartyCookiesAllowed, Firefox's privacy.websites.cookieConfig.
 * Evidence, not a guess: only set when read from the browser (site exceptions may still apply).
 */
export interface CookiePolicy {
  /**
   * allowed: sent as the cookie's own rules say; blocked: never sent cross-site (unless partitioned);
   * partitioned: cross-site requests use a separate jar per top-level site (Firefox Total Cookie
   * Protection); visited-only and trackers-blocked: blocked for some sites only.
   */
  thirdParty: 'allowed' | 'blocked' | 'partitioned' | 'visited-only' | 'trackers-blocked';
  /** The setting as the browser names it, e.g. "thirdPartyCookiesAllowed: false", "cookieConfig.behavior: reject_trackers_and_partition_foreign". */
  setting: string;
  /** When it was read (ms since the epoch): when the request left, or later when the user allowed reading it. */
  at: number;
}

export interface RedirectHop {
  url: string;
  status: number;
  /** The Location the hop pointed to. */
  location: string;
  /** Whether the request to `url` carried an Authorization header. */
  authorizationSent: boolean;
}

export interface Why401Fields {
  tabId?: number;
  frameId?: number;
  /** Origin of the document that started the request (webRequest `initiator` / `originUrl`). */
  initiator?: string;
  /** The cookie store of the tab (Firefox containers and private windows, Chrome incognito): where cookie actions apply. */
  storeId?: string;
  /** URL of the tab's top-level document when the request left (site for cookies). */
  topLevelUrl?: string;
  /** The cookies the browser held for the URL when the request left. */
  cookieJar?: JarCookie[];
  /**
   * "light": captured by the light tier (Chrome without extraHeaders), which does not see the
   * Cookie and Set-Cookie headers: the cookies sent are inferred from the jar, and the failure
   * says so. Absent: every header was seen.
   */
  capture?: 'light';
  /** The browser's third-party-cookie setting, read where the user allowed it (optional `privacy` permission). */
  cookiePolicy?: CookiePolicy;
  redirectChain?: RedirectHop[];
  fromCache?: boolean;
  /** webRequest resource type (`xmlhttprequest`, `main_frame`, …). */
  type?: string;
  /** Diagnosis the extension showed for this entry (export only). */
  findings?: unknown[];
  /** Notes beside it (export only): the 401 the page's script never saw. */
  notes?: unknown[];
  /**
   * What the timeline knew when this failure was judged (cookies set or deleted earlier and by
   * which exchange, sessions cookies sent earlier, credentials that succeeded earlier, redirect
   * hops): the only context the rules read. A reader that finds it uses it instead of rebuilding
   * one from the entries before, so an exported failure re-reads to the same verdict.
   */
  context?: ExchangeContext;
  /** The settings the verdict was made with (the user's clock-skew tolerance). */
  options?: JudgeSettings;
  /** What the export masked, for the receipt. */
  redacted?: string[];
  /**
   * What the Authorization token was (a JWT's decoded header and claims, or that it was a
   * broken JWT and why), kept when an export masks the token: claims are not the secret (the
   * signature is), and they carry the diagnosis.
   */
  token?: DecodedToken;
  /** The same for JWTs in the Cookie header, by cookie name. */
  cookieTokens?: Record<string, DecodedToken>;
  /** What masked Basic credentials were: the user name (not a secret) or why they were unreadable. */
  basic?: { username: string } | { error: 'empty' | 'invalid-base64' | 'no-colon' };
  /**
   * A token request's PKCE code_verifier as its S256 (RFC 7636 §4.2), kept when an export masks
   * the verifier: it is the challenge the authorize request already sent in the clear, and the
   * sign-in flow's PKCE check needs nothing else (core/flows).
   */
  pkceVerifierS256?: string;
  /**
   * The tags (core/tokens/fingerprint.ts `tagOf`, keyed per install) of the tokens a masked exchange
   * carried, kept so the token's lineage (core/flows) still links a refresh to the answer that
   * issued its refresh token and an API call to the answer that issued its access token: the
   * bearer token sent, the access and refresh tokens a token answer issued, and the refresh token
   * a refresh sent. A tag is what a mask already shows; it never gives the value back.
   */
  tokenTags?: TokenTags;
  /**
   * The public claims of the ID token a token answer issued — its issuer and audience — kept when
   * an export masks the ID token, so the flow's issuer check reads a masked file as the original.
   */
  issuedIdToken?: { iss?: string; aud?: string[]; nonce?: string };
}

export interface TokenTags {
  bearer?: string;
  access?: string;
  refresh?: string;
  sentRefresh?: string;
}

/** Settings that change a verdict (not only which responses count as failures). */
export interface JudgeSettings {
  /** Tolerance for token times, seconds. */
  clockSkewSeconds?: number;
}

export interface DecodedToken {
  kind: 'jwt' | 'jwe' | 'opaque' | 'broken-jwt';
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  problem?: string;
}

export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: HarRequest;
  response: HarResponse;
  cache: Record<string, unknown>;
  timings: { send: number; wait: number; receive: number; [k: string]: number };
  serverIPAddress?: string;
  _resourceType?: string;
  _initiator?: unknown;
  _why401?: Why401Fields;
}

export interface HarLog {
  version: string;
  creator: { name: string; version: string };
  pages?: unknown[];
  entries: HarEntry[];
  comment?: string;
}

export interface Har {
  log: HarLog;
}

// ---- What the timeline knew when a verdict was made (`_why401.context`): data only, declared here
// with the record they travel on, so the record's types depend on no module that computes them.

export type SameSite = 'strict' | 'lax' | 'none' | 'unspecified';

export interface CookieEvent {
  at: number;
  url: string;
  method: string;
  status: number;
  name: string;
  domain: string;
  hostOnly: boolean;
  path: string;
  action: 'set' | 'delete' | 'rejected';
  expiresAt: number | null;
  secure: boolean;
  httpOnly: boolean;
  sameSite: SameSite;
  partitioned: boolean;
  rejected?: string;
  /** The `exp` of a JWT cookie value, seconds. */
  jwtExp?: number;
  /** Not a response: Why 401's own "Clear site cookies" removed it (the user asked). */
  by?: 'why401';
}

export interface SentCookie {
  name: string;
  host: string;
  at: number;
  url: string;
}

/** An earlier exchange that succeeded with credentials (never the credentials themselves). */
export interface PriorSuccess {
  at: number;
  /** The endpoint (query and fragment left out). */
  url: string;
  status: number;
  /** The Authorization scheme it used, lower-case. */
  scheme: string;
}

export interface ExchangeSummary {
  at: number;
  method: string;
  /** The endpoint (origin and path; query and fragment left out). */
  url: string;
  status: number;
  /** Request headers by lower-case name: the value (masked when secret), bounded. */
  headers: Record<string, string>;
  /** Cookies sent, by name: a tag of the value ("#1a2b3c4d"), or its length when too short to tag. */
  cookies: Record<string, string>;
  /** The Authorization credential: scheme, tag, and what a JWT said (claims are not the secret). */
  auth?: { scheme: string; tag: string; claims?: Record<string, string> };
  /** Redirect hops that led to it. */
  redirects?: string[];
}

export interface ExchangeContext {
  /** Session-cookie events by earlier responses (set, deleted, refused) that apply to this URL, oldest first. */
  cookieEvents: CookieEvent[];
  /** Session cookies sent earlier to this host, oldest first. */
  sentCookies: SentCookie[];
  /**
   * Session cookies set earlier for other hosts or paths of the same site (a host-only cookie of
   * a sibling, a Path that leaves this URL out): the latest of each, for cookie-out-of-scope.
   */
  siteCookieEvents?: CookieEvent[];
  /** The latest earlier success that carried an Authorization header, on this origin. */
  lastCredentialed?: PriorSuccess;
  /** The latest earlier success with these very credentials (same fingerprint), on this site. */
  sameCredentials?: PriorSuccess;
  /** Redirect hops that led here, rebuilt from earlier exchanges (only when the entry has no chain of its own). */
  redirects?: RedirectHop[];
  /** The tab's top-level document, when the entry does not name it. */
  topLevelUrl?: string;
  /**
   * The last time this endpoint worked with credentials (else the origin's latest credentialed
   * success): what was sent then, summarised without secret values, for "what changed since".
   */
  lastSuccess?: ExchangeSummary;
}
