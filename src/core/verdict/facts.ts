/**
 * Everything the rules need to know about one failed exchange, computed once: the parsed
 * challenges and credentials, the token, cookies sent and held, the request's context
 * (cross-origin, cross-site, navigation), the redirect chain and the relevant timeline.
 */
import { parseChallenges, statedError, type BearerChallenge, type Challenge } from '../auth/challenges.ts';
import type { SyntaxProblem } from '../auth/auth-syntax.ts';
import { isSessionCookie, parseCookieHeader, whyNotSent, isCrossSiteRequest, type CookieContext, type CookiePair, type NotSentReason } from '../cookies/cookies.ts';
import { parseCredentials, type Credentials } from '../auth/credentials.ts';
import type { CookiePolicy, HarEntry, JarCookie, RedirectHop } from '../exchange/har-types.ts';
import { firstHeader, headerValues } from '../auth/headers.ts';
import { inspectToken, looksLikeJwt, tokenInfoFromDecoded, type TokenInfo } from '../tokens/jwt.ts';
import { redactUrl } from '../redaction/redact.ts';
import { isSameOrigin, originOf, parseUrlPath } from '../cookies/site.ts';
import { searchParamsOf } from '../exchange/url.ts';
import { parseTime } from './time.ts';
import { bodyTexts, matchBodySignals, type MatchedSignal } from './body-signals.ts';
import { responseText } from '../exchange/body.ts';
import { clientAuthOf, formOf } from '../flows/step.ts';
import type { ExchangeContext } from '../exchange/context.ts';
import type { CookieEvent } from '../exchange/timeline.ts';

export interface DiagnoseOptions {
  /** Count plain 403s as failures (the CLI's --include-403; a setting in the extension). */
  include403?: boolean;
  /** Stop counting plain 401s or 407s (a setting in the extension; both count by default). */
  exclude401?: boolean;
  exclude407?: boolean;
  /** Tolerance for token times, seconds (default 0: judge exp/nbf exactly). */
  clockSkewSeconds?: number;
}

export interface JudgedToken {
  text: string;
  info: TokenInfo;
  source: 'authorization' | 'cookie';
  cookieName?: string;
}

export interface HeldCookie {
  cookie: JarCookie;
  /** Why the browser's rules would not send it; undefined when they would. */
  reason: NotSentReason | undefined;
  session: boolean;
}

export interface WrongPlace {
  where: 'header' | 'query';
  name: string;
}

/** A request URL's origin, host (with port), host name and path. */
export interface UrlParts {
  origin: string;
  host: string;
  hostname: string;
  pathname: string;
}

export interface Facts {
  entry: HarEntry;
  /** Request time in ms (NaN when the entry has no usable startedDateTime). */
  at: number;
  url: string;
  /** The URL with secrets masked, for explanations. */
  shownUrl: string;
  /** The parts of the URL the rules read (not the parsed URL: it holds a copy of a URL that can be megabytes long, for as long as the verdict is kept). */
  urlParts: UrlParts | undefined;
  host: string;
  method: string;
  status: number;
  statusText: string;
  /** A 407: the proxy's challenge and credentials apply. */
  proxy: boolean;
  challengeHeader: 'WWW-Authenticate' | 'Proxy-Authenticate';
  hasChallengeHeader: boolean;
  /** The challenge field is there, and empty. */
  emptyChallengeField: boolean;
  challenges: Challenge[];
  challengeProblems: SyntaxProblem[];
  stated: { scheme: string; view: BearerChallenge } | undefined;
  credentialHeader: 'Authorization' | 'Proxy-Authorization';
  credentials: Credentials | null;
  /** The Bearer/DPoP (or other token68) token, or a JWT in a session cookie. */
  token: JudgedToken | undefined;
  cookieTokens: JudgedToken[];
  cookiesSent: CookiePair[];
  /** The Cookie header was hidden from the capture (its light tier): cookiesSent is inferred from the jar, or unknown cross-origin. */
  cookiesInferred: boolean;
  sessionCookiesSent: CookiePair[];
  /** The browser's jar when the request left (live capture and our HAR); undefined when unknown. */
  jar: JarCookie[] | undefined;
  heldNotSent: HeldCookie[];
  /** Cookies of the same site the browser holds whose Domain or Path leave this URL out. */
  outOfScope: HeldCookie[];
  cookieContext: CookieContext;
  /** The browser's third-party-cookie setting, when it was read (DESIGN.md: evidence, not a guess). */
  cookiePolicy: CookiePolicy | undefined;
  initiator: string | undefined;
  topLevelUrl: string | undefined;
  crossOrigin: boolean | undefined;
  crossSite: boolean | undefined;
  resourceType: string | undefined;
  navigation: boolean;
  /** fetch() or XMLHttpRequest. */
  scripted: boolean;
  preflight: boolean;
  /**
   * The grant_type of an OAuth token request (a POST whose form names one), or undefined. Its
   * client authenticates with its own credentials (RFC 6749 §2.3, §3.2), never the user's cookies:
   * the cookie rules do not speak of it, and a note sends the reader to its sign-in flow.
   */
  tokenRequest: { grant: string; clientAuth: ReturnType<typeof clientAuthOf> } | undefined;
  redirectChain: RedirectHop[];
  wrongPlace: WrongPlace[];
  dpopNonce: string | undefined;
  dpopProofSent: boolean;
  /** The server's own words: status text, error_description, a body snippet. */
  serverWords: string;
  bodySnippet: string | undefined;
  /** What the body (and error_description) says, matched against the catalogue of auth libraries' messages. */
  bodySignals: MatchedSignal[];
  /** What the timeline knew when this failure was judged: the only context a rule reads. */
  context: ExchangeContext;
  cookieEvents: CookieEvent[];
  /** Cookie names a challenge mentions (DESIGN.md: a session cookie can be "named by a challenge"). */
  namedByChallenge: Set<string>;
  skewMs: number;
}

/** Headers that carry tokens but are not Authorization (DESIGN.md credentials-wrong-place). */
const TOKEN_HEADERS = new Set([
  'x-auth-token',
  'x-access-token',
  'x-api-key',
  'api-key',
  'apikey',
  'x-token',
  'token',
  'access-token',
  'access_token',
  'x-jwt',
  'jwt',
  'auth',
  'x-auth',
  'authentication',
  'x-authorization',
  'x-id-token',
  'bearer',
]);

const TOKEN_QUERY = new Set(['access_token', 'token', 'jwt', 'api_key', 'apikey', 'auth_token', 'id_token', 'auth', 'bearer']);

const SCRIPTED = new Set(['xmlhttprequest', 'xhr', 'fetch']);

function resourceTypeOf(entry: HarEntry): string | undefined {
  return entry._why401?.type ?? entry._resourceType;
}

function initiatorOf(entry: HarEntry): string | undefined {
  const w = entry._why401?.initiator;
  if (w && w !== 'null') return w;
  const origin = firstHeader(entry.request.headers, 'origin');
  if (origin && origin !== 'null') return origin;
  const init = entry._initiator as { url?: unknown } | undefined;
  if (init && typeof init.url === 'string') return originOf(init.url);
  const referer = firstHeader(entry.request.headers, 'referer');
  return referer ? originOf(referer) : undefined;
}

/** The head of the response body (8 KiB): what the body catalogue and the quotes read. */
function bodySnippetOf(entry: HarEntry): string | undefined {
  return responseText(entry, 8192) || undefined;
}

/** Facts.tokenRequest: the grant of an OAuth token request, and the client authentication it carried. */
function tokenRequestOf(entry: HarEntry): Facts['tokenRequest'] {
  if (entry.request.method.toUpperCase() !== 'POST') return undefined;
  const form = formOf(entry);
  const grant = form?.get('grant_type');
  if (!form || !grant) return undefined;
  return { grant: grant.slice(0, 64), clientAuth: clientAuthOf(entry, form) };
}

/**
 * The facts of a failure, from its entry and its context alone (contextFor builds the context
 * from a timeline; a record carries its own).
 */
export function computeFacts(entry: HarEntry, context: ExchangeContext, options: DiagnoseOptions = {}): Facts {
  const req = entry.request;
  const res = entry.response;
  const at = parseTime(entry.startedDateTime);
  const proxy = res.status === 407;
  const challengeHeader = proxy ? 'Proxy-Authenticate' : 'WWW-Authenticate';
  const credentialHeader = proxy ? 'Proxy-Authorization' : 'Authorization';
  const challengeFields = headerValues(res.headers, challengeHeader);
  const { challenges, problems } = parseChallenges(challengeFields);
  const credentialFields = headerValues(req.headers, credentialHeader);
  const credentials = parseCredentials(credentialFields);
  // A masked export kept what Basic credentials were (user name, or why they were unreadable).
  const keptBasic = entry._why401?.basic;
  if (credentials?.redacted && credentials.scheme === 'basic' && keptBasic) {
    credentials.basic = 'error' in keptBasic ? { error: keptBasic.error } : { username: keptBasic.username, password: '[redacted]' };
  }
  const parsedUrl = parseUrlPath(req.url);
  const initiator = initiatorOf(entry);
  const topLevelUrl = entry._why401?.topLevelUrl ?? context.topLevelUrl;
  const resourceType = resourceTypeOf(entry);
  const navigation = resourceType === 'main_frame' || resourceType === 'document' || resourceType === 'sub_frame';
  const namedByChallenge = new Set<string>();
  for (const c of challenges) {
    for (const key of ['cookie-name', 'cookie', 'session-cookie']) {
      const v = Object.hasOwn(c.params, key) ? c.params[key] : undefined;
      if (v) namedByChallenge.add(v);
    }
  }

  // Cookies sent: the Cookie header as sent, else HAR's parsed request.cookies.
  const cookieHeader = headerValues(req.headers, 'cookie').join('; ');
  const cookiesSent = cookieHeader ? parseCookieHeader(cookieHeader) : req.cookies.map((c) => ({ name: c.name, value: c.value }));
  const sessionCookiesSent = cookiesSent.filter((c) => isSessionCookie(c.name, c.value, undefined, namedByChallenge));

  const cookieTokens: JudgedToken[] = [];
  const maskedCookieTokens = entry._why401?.cookieTokens;
  for (const c of cookiesSent) {
    if (looksLikeJwt(c.value)) cookieTokens.push({ text: c.value, info: inspectToken(c.value), source: 'cookie', cookieName: c.name });
    else if (maskedCookieTokens && Object.hasOwn(maskedCookieTokens, c.name)) {
      // A masked export kept what the JWT said.
      cookieTokens.push({ text: c.value, info: tokenInfoFromDecoded(maskedCookieTokens[c.name]!), source: 'cookie', cookieName: c.name });
    }
  }
  let token: JudgedToken | undefined;
  if (credentials && credentials.scheme !== 'basic' && credentials.token !== null && credentials.token !== '') {
    const kept = entry._why401?.token;
    const info = credentials.redacted && kept ? tokenInfoFromDecoded(kept) : inspectToken(credentials.token);
    token = { text: credentials.token, info, source: 'authorization' };
  } else if (!credentials) {
    token = cookieTokens.find((t) => t.info.kind === 'jwt');
  }

  const cookiePolicy = entry._why401?.cookiePolicy;
  const cookieContext: CookieContext = {
    url: req.url,
    method: req.method,
    navigation: resourceType === 'main_frame' || resourceType === 'document',
    initiator,
    topLevelUrl,
    at: Number.isNaN(at) ? Date.now() : at,
    thirdParty: cookiePolicy?.thirdParty,
  };
  const jar = entry._why401?.cookieJar;
  const preflight =
    req.method.toUpperCase() === 'OPTIONS' && (firstHeader(req.headers, 'access-control-request-method') !== undefined || resourceType === 'preflight');
  // The light capture does not see the Cookie header: infer it from the jar where the browser's
  // own rules decide (a navigation, a same-origin request: credentials are sent), and say so.
  // Cross-origin, the request's credentials mode decides, and that is not known.
  const cookiesInferred = entry._why401?.capture === 'light' && cookieHeader === '' && req.cookies.length === 0;
  if (cookiesInferred && jar && !preflight && (navigation || (initiator !== undefined && isSameOrigin(initiator, req.url)))) {
    for (const c of jar) {
      if (whyNotSent(c, cookieContext) !== undefined) continue;
      cookiesSent.push({ name: c.name, value: c.value });
      if (c.jwt === true || isSessionCookie(c.name, c.value, c.httpOnly, namedByChallenge)) sessionCookiesSent.push({ name: c.name, value: c.value });
    }
  }
  const sentNames = new Set(cookiesSent.map((c) => c.name));
  // A preflight carries no cookies whatever their attributes (Fetch: credentials mode "omit"):
  // nothing was held back from it.
  const notSent: HeldCookie[] = preflight
    ? []
    : (jar ?? [])
        .filter((c) => !sentNames.has(c.name))
        .map((cookie) => ({
          cookie,
          reason: whyNotSent(cookie, cookieContext),
          session: cookie.jwt === true || isSessionCookie(cookie.name, cookie.value, cookie.httpOnly, namedByChallenge),
        }));
  const heldNotSent = notSent.filter((h) => h.reason !== 'domain' && h.reason !== 'path');
  const outOfScope = notSent.filter((h) => h.reason === 'domain' || h.reason === 'path');

  const wrongPlace: WrongPlace[] = [];
  for (const h of req.headers) {
    const n = h.name.toLowerCase();
    if (n === 'authorization' || n === 'proxy-authorization' || n === 'cookie' || n === 'dpop') continue;
    if (h.value.trim() === '') continue;
    if (TOKEN_HEADERS.has(n) || /^bearer\s+\S/i.test(h.value) || (looksLikeJwt(h.value.trim()) && !n.startsWith('sec-'))) {
      wrongPlace.push({ where: 'header', name: h.name });
    }
  }
  const query = searchParamsOf(req.url);
  if (query) {
    for (const [name, value] of query) {
      if (value !== '' && (TOKEN_QUERY.has(name.toLowerCase()) || looksLikeJwt(value))) wrongPlace.push({ where: 'query', name });
    }
  }

  const stated = statedError(challenges);
  const bodySnippet = bodySnippetOf(entry);
  const serverWords = [res.statusText, stated?.view.errorDescription ?? '', bodySnippet ?? ''].join('\n');
  const said = [...(stated?.view.errorDescription ? [stated.view.errorDescription] : []), ...(bodySnippet ? bodyTexts(bodySnippet) : [])];
  const bodySignals = said.length > 0 ? matchBodySignals(said) : [];
  const crossOrigin = initiator === undefined ? undefined : !isSameOrigin(initiator, req.url);

  return {
    entry,
    at,
    url: req.url,
    shownUrl: redactUrl(req.url),
    urlParts: parsedUrl && { origin: parsedUrl.origin, host: parsedUrl.host, hostname: parsedUrl.hostname, pathname: parsedUrl.pathname },
    host: parsedUrl?.hostname.toLowerCase() ?? '',
    method: req.method.toUpperCase(),
    status: res.status,
    statusText: res.statusText,
    proxy,
    challengeHeader,
    // A field that is present but empty holds no challenge (RFC 9110 §11.6.1: at least one).
    hasChallengeHeader: challengeFields.some((v) => v.trim() !== ''),
    emptyChallengeField: challengeFields.length > 0 && challengeFields.every((v) => v.trim() === ''),
    challenges,
    challengeProblems: problems,
    stated,
    credentialHeader,
    credentials,
    token,
    cookieTokens,
    cookiesSent,
    cookiesInferred,
    sessionCookiesSent,
    jar,
    heldNotSent,
    outOfScope,
    cookieContext,
    cookiePolicy,
    initiator,
    topLevelUrl,
    crossOrigin,
    crossSite: isCrossSiteRequest(cookieContext),
    resourceType,
    navigation,
    scripted: resourceType !== undefined && SCRIPTED.has(resourceType),
    preflight,
    tokenRequest: tokenRequestOf(entry),
    redirectChain: entry._why401?.redirectChain && entry._why401.redirectChain.length > 0 ? entry._why401.redirectChain : (context.redirects ?? []),
    wrongPlace,
    dpopNonce: firstHeader(res.headers, 'dpop-nonce'),
    dpopProofSent: firstHeader(req.headers, 'dpop') !== undefined,
    serverWords,
    bodySnippet,
    bodySignals,
    context,
    cookieEvents: context.cookieEvents,
    namedByChallenge,
    skewMs: Math.max(0, options.clockSkewSeconds ?? 0) * 1000,
  };
}

/** Whether a response counts as an auth failure (DESIGN.md, "What counts as a failure"). */
export function isFailure(entry: HarEntry, options: DiagnoseOptions = {}): boolean {
  return isFailureResponse(entry.response.status, entry.response.headers, options);
}

/** The same test on a status and response headers (the background's hot path). */
export function isFailureResponse(status: number, headers: readonly { name: string }[], options: DiagnoseOptions = {}): boolean {
  if (status < 400) return false;
  if (status === 401) return !options.exclude401;
  if (status === 407) return !options.exclude407;
  if (status === 403 && options.include403) return true;
  // Any other error that carries an auth challenge or DPoP-Nonce (RFC 6750's 403
  // insufficient_scope and 400 invalid_request; RFC 9449's 400 use_dpop_nonce). A 2xx with a
  // fresh DPoP-Nonce (RFC 9449 §8.2) is not a failure.
  for (const h of headers) {
    const n = h.name.length === 16 || h.name.length === 10 ? h.name.toLowerCase() : '';
    if (n === 'www-authenticate' || n === 'dpop-nonce') return true;
  }
  return false;
}
