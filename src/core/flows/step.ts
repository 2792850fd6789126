/**
 * One exchange read as a step of an OAuth 2.0 / OpenID Connect sign-in (RFC 6749, RFC 7636,
 * OpenID Connect Core 1.0) or of the token's life after it: discovery, the authorize request, the
 * callback at the redirect URI, the token request (a code redeemed, or a refresh) and its answer,
 * end-session, and an API call refused with a bearer token.
 *
 * What a step keeps is what the flow checks compare, and nothing secret: the state, nonce and
 * code as fingerprints (equality only, in memory), the code verifier only as its S256 (the value
 * the authorize request already sent in the clear as its challenge), and the provider's error.
 * Tokens (access and refresh) are kept as fingerprints too: the lineage that links a token to the
 * answer that issued it, a refresh to the refresh token it sent, and an API call to its token.
 */
import { fingerprint, tagOf } from '../tokens/fingerprint.ts';
import type { HarEntry, TokenTags } from '../exchange/har-types.ts';
import { responseText } from '../exchange/body.ts';
import { parseCookieHeader, parseSetCookie } from '../cookies/cookies.ts';
import { corsCheck } from '../exchange/cors.ts';
import { parseCredentials } from '../auth/credentials.ts';
import { firstHeader, headerValues } from '../auth/headers.ts';
import { inspectToken } from '../tokens/jwt.ts';
import { endpointOf, isMask, maskPairValue, redactText, redactUrl } from '../redaction/redact-url.ts';
import { parseTime } from '../verdict/time.ts';
import { originOf, parseUrl } from '../exchange/url.ts';
import { s256 } from './pkce.ts';

export type StepKind = 'discovery' | 'authorize' | 'callback' | 'token' | 'end-session' | 'api-call';

export interface FlowStep {
  kind: StepKind;
  /** The exchange's index in the log. */
  index: number;
  at: number;
  /** When its answer had come (the start plus the exchange's time). */
  end: number;
  method: string;
  /** The URL with secrets masked (explanations quote it). */
  url: string;
  status: number;
  /** Where the request went, without query or fragment: the endpoint (authorize, token) or the redirect URI (callback). */
  endpoint: string;
  clientId?: string;
  /** The redirect_uri parameter (authorize, token), secrets masked; `redirectUriFp` tells two apart exactly. */
  redirectUri?: string;
  redirectUriFp?: string;
  responseType?: string;
  responseMode?: string;
  scope?: string;
  state?: string;
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  code?: string;
  /** S256 of the code verifier the token request sent ('' when it sent none; absent when it cannot be known: masked in a redacted file). */
  verifierS256?: string;
  /** The verifier's fingerprint, for a `plain` challenge (which is the verifier itself). */
  verifierPlain?: string;
  grantType?: string;
  /** The OAuth error of a callback or a token answer (RFC 6749 §4.1.2.1, §5.2). */
  error?: string;
  errorDescription?: string;
  /** What a token answer issued (names only). */
  issued?: string[];
  /** The issued ID token's claims the checks compare: its nonce (a fingerprint), issuer and audience. */
  idToken?: {
    nonce?: string;
    iss?: string;
    aud?: string[];
    /** Read from a masked file's kept claims (Why401Fields.issuedIdToken) without a tagged nonce: its nonce is not known. */
    masked?: true;
  };
  /** Authorize: the prompt parameter (`none`: a silent renew), and the names of the cookies the request carried. */
  prompt?: string;
  cookiesSent?: string[];
  /** A refresh (grant_type=refresh_token): the refresh token it sent (a fingerprint), and that token's expiry when it is a JWT (ms). */
  refreshSent?: string;
  refreshExpiry?: number;
  /** A token answer: the access and refresh tokens it issued (fingerprints), and the access token's lifetime (expires_in, seconds). */
  accessIssued?: string;
  refreshIssued?: string;
  expiresIn?: number;
  /** A token request the page's script sent (it carried an Origin) whose answer the CORS check refuses: why, and the Origin. */
  corsRefused?: { why: string; origin: string };
  /** A token request that got no answer (HAR status 0 or -1: blocked or failed before a response, as a CORS failure is recorded). */
  noAnswer?: boolean;
  /** A token request: the client authentication it carried (a client_secret in the form, HTTP Basic, a client_assertion), when any. */
  clientAuth?: 'secret' | 'basic' | 'assertion';
  /** A token request a page's script sent: the Origin it carried (masked). */
  fromPage?: string;
  /** An API call refused: the bearer token it carried (a fingerprint) and its expiry when it says one (ms). */
  token?: string;
  tokenExpiry?: number;
  /** Discovery: the issuer and endpoints it names. */
  issuer?: string;
  authorizationEndpoint?: string;
  tokenEndpoint?: string;
}

/** When an exchange's answer had come: its start plus its time (HAR `time`, ms). */
function endOf(entry: HarEntry, at: number): number {
  return at + (typeof entry.time === 'number' && entry.time > 0 ? entry.time : 0);
}

/** A fingerprint for equality of values that must not be kept (state, nonce, code). */
function fp(value: string | null | undefined): string | undefined {
  return value ? fingerprint(value) : undefined;
}

/**
 * A token's identity in the lineage: its tag (keyed per install, as masks show it). A masked
 * value has none of its own; the tag kept beside it (`_why401.tokenTags`, written by the redactor)
 * stands for it, so a masked file links its tokens as the original did.
 */
function lineageId(value: string | null | undefined, kept: string | undefined): string | undefined {
  if (!value) return undefined;
  if (isMask(value)) return kept === undefined ? undefined : `#${kept}`;
  return `#${tagOf(value)}`;
}

/** The bearer token of an Authorization header (Bearer or DPoP, read by core/auth/credentials.ts), or undefined when it is none or malformed. */
function bearerOf(entry: HarEntry): string | undefined {
  const header = firstHeader(entry.request.headers, 'authorization');
  const creds = header === undefined ? null : parseCredentials(header);
  if (!creds || (creds.scheme !== 'bearer' && creds.scheme !== 'dpop') || creds.repeatedScheme || creds.problems.length > 0 || !creds.token) return undefined;
  return creds.token;
}

/**
 * The issuer and audience of the ID token a token answer issued, and its nonce as the mask the
 * authorize request's nonce gets (tagged: core/redaction/redact-url.ts `maskPairValue`), for a
 * masked export to keep (Why401Fields.issuedIdToken).
 */
export function issuedIdTokenOf(entry: HarEntry): { iss?: string; aud?: string[]; nonce?: string } | undefined {
  const text = responseText(entry);
  if (text === undefined || !text.includes('"id_token"')) return undefined;
  const id = str(jsonBody(entry)?.['id_token']);
  const info = id === undefined || isMask(id) ? undefined : inspectToken(id);
  if (info?.kind !== 'jwt') return undefined;
  const nonce = info.claims?.['nonce'];
  const nonceMask = typeof nonce === 'string' ? maskPairValue('nonce', nonce) : undefined;
  const out = { ...(info.iss !== undefined ? { iss: info.iss } : {}), ...(info.aud !== undefined ? { aud: info.aud } : {}), ...(nonceMask !== undefined && nonceMask.includes('#') ? { nonce: nonceMask } : {}) };
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * The tags of the tokens an exchange carries, for a masked export to keep (core/redaction/redact.ts): the
 * bearer token sent, the tokens a token answer issued, the refresh token a refresh sent.
 */
export function tokenTagsOf(entry: HarEntry): TokenTags {
  const tags: TokenTags = {};
  const bearer = bearerOf(entry);
  if (bearer && !isMask(bearer)) tags.bearer = tagOf(bearer);
  const sent = entry.request.method.toUpperCase() === 'POST' ? formOf(entry)?.get('refresh_token') : undefined;
  if (sent && !isMask(sent)) tags.sentRefresh = tagOf(sent);
  const text = responseText(entry);
  if (text !== undefined && /"(?:access|refresh)_token"/.test(text)) {
    const answer = jsonBody(entry);
    const access = str(answer?.['access_token']);
    const refresh = str(answer?.['refresh_token']);
    if (access && !isMask(access)) tags.access = tagOf(access);
    if (refresh && !isMask(refresh)) tags.refresh = tagOf(refresh);
  }
  return tags;
}

/** The names of the cookies a request carried (HAR `cookies`, else its Cookie header), at most 32. */
function cookieNames(entry: HarEntry): string[] {
  const names = entry.request.cookies?.length ? entry.request.cookies.map((c) => c.name) : parseCookieHeader(firstHeader(entry.request.headers, 'cookie') ?? '').map((c) => c.name);
  return [...new Set(names)].slice(0, 32);
}

/**
 * The names of the cookies a response set and the browser would keep (core/cookies/cookies.ts reads each
 * Set-Cookie; one that deletes or that a browser refuses is not held), else HAR's parsed
 * `response.cookies`; at most 32.
 */
export function cookiesSetBy(entry: HarEntry): string[] {
  const lines = headerValues(entry.response.headers, 'set-cookie').flatMap((v) => v.split('\n'));
  const at = parseTime(entry.startedDateTime);
  const names =
    lines.length > 0
      ? lines.map((v) => parseSetCookie(v, entry.request.url, Number.isNaN(at) ? 0 : at)).flatMap((c) => (c && !c.deletes && c.rejected === undefined ? [c.name] : []))
      : (entry.response.cookies ?? []).map((c) => c.name);
  return [...new Set(names.filter(Boolean))].slice(0, 32);
}

/** The seconds-since-epoch `exp` of a JWT as ms, or undefined. */
function expiryOf(token: string): number | undefined {
  const info = inspectToken(token);
  return info.kind === 'jwt' && info.exp !== undefined ? info.exp * 1000 : undefined;
}

/**
 * A request's form-encoded body, or undefined: its text when the HAR has it (the body as sent,
 * decoded here), else HAR `postData.params`. Chrome writes those params still percent-encoded (a
 * redirect_uri reads "https%3A%2F%2F…"), so a param value with an escape and none of the
 * characters a form encoder escapes is decoded.
 */
export function formOf(entry: HarEntry): URLSearchParams | undefined {
  const post = entry.request.postData;
  if (!post) return undefined;
  const type = (post.mimeType || firstHeader(entry.request.headers, 'content-type') || '').toLowerCase();
  if (typeof post.text === 'string' && post.text !== '' && type.includes('application/x-www-form-urlencoded')) return new URLSearchParams(post.text);
  if (post.params && post.params.length > 0) {
    const form = new URLSearchParams();
    for (const p of post.params) form.append(stillEncoded(p.name) ? decodeParam(p.name) : p.name, stillEncoded(p.value ?? '') ? decodeParam(p.value ?? '') : (p.value ?? ''));
    return form;
  }
  return undefined;
}

/** A form value as the encoder left it: an escape, and no character the encoder would have escaped. */
function stillEncoded(v: string): boolean {
  return /%[0-9A-Fa-f]{2}/.test(v) && !/[\s:/?#&=@]/.test(v);
}

function decodeParam(v: string): string {
  try {
    return decodeURIComponent(v.replace(/\+/g, ' '));
  } catch {
    return v;
  }
}

/** A JSON object body, or undefined (bodies over 64 KiB are not read: no provider answers that much). */
function jsonBody(entry: HarEntry): Record<string, unknown> | undefined {
  const text = responseText(entry);
  if (text === undefined || text.length > 65_536) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The S256 of a token request's code verifier: computed from the verifier, or read from what a
 * masked export kept (`_why401.pkceVerifierS256`); undefined when it cannot be known, '' when the
 * request sent no verifier.
 */
export function verifierS256Of(entry: HarEntry, form: URLSearchParams | undefined = formOf(entry)): string | undefined {
  const verifier = form?.get('code_verifier');
  if (!verifier) return '';
  if (!isMask(verifier)) return s256(verifier);
  return entry._why401?.pkceVerifierS256;
}

function setRedirectUri(step: FlowStep, value: string | null): void {
  if (value === null) return;
  step.redirectUri = redactUrl(value);
  step.redirectUriFp = fingerprint(value);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A provider's metadata document (OpenID Connect Discovery §4, RFC 8414 §3): its issuer and endpoints. */
const DISCOVERY = /^[^?#]*\/\.well-known\/(?:openid-configuration|oauth-authorization-server)(?:[?#]|$)/;

/** Whether a URL (or a path) is a discovery document's. */
export function isDiscoveryUrl(url: string): boolean {
  return DISCOVERY.test(url);
}

/** Whether a URL-encoded form is a token request's (RFC 6749 §3.2: it names a grant_type). */
export function isTokenForm(text: string): boolean {
  return /(?:^|&)grant_type=/.test(text);
}

/**
 * Whether a flow reads this exchange's response body (a token answer: what it issued; a discovery
 * document: the issuer), so a reader that fetches bodies one by one (DevTools) fetches only these.
 */
export function flowNeedsBody(method: string, url: string, postText: string | undefined): boolean {
  if (method.toUpperCase() === 'POST' && postText !== undefined && isTokenForm(postText)) return true;
  return isDiscoveryUrl(url);
}

/**
 * Whether a reader of a recorded log (DevTools' network log: read once, or followed) fetches this
 * exchange's body: an auth failure's (401, 403, 407: its verdict reads the body) or a sign-in
 * step's (flowNeedsBody).
 */
export function logNeedsBody(method: string, url: string, postText: string | undefined, status: number): boolean {
  return status === 401 || status === 403 || status === 407 || flowNeedsBody(method, url, postText);
}

/**
 * The client authentication a token request carried (RFC 6749 §2.3, RFC 7523): a client_secret in
 * its form, HTTP Basic, or a client_assertion — presence only, never the value.
 */
export function clientAuthOf(entry: HarEntry, form: URLSearchParams): 'secret' | 'basic' | 'assertion' | undefined {
  if (form.get('client_secret')) return 'secret';
  if (/^\s*basic\s/i.test(firstHeader(entry.request.headers, 'authorization') ?? '')) return 'basic';
  return form.get('client_assertion') ? 'assertion' : undefined;
}

/** Whether a request without a body may be a step, by its URL alone (the background asks before it builds an entry). */
export function mayBeStep(url: string): boolean {
  return /[?&](?:response_type|state|id_token_hint|post_logout_redirect_uri)=|\/\.well-known\//.test(url);
}

/** The lineage id of the bearer token an exchange carried (its tag, or the tag kept beside its mask), or undefined. */
export function carriedToken(entry: HarEntry): string | undefined {
  return lineageId(bearerOf(entry), entry._why401?.tokenTags?.bearer);
}

/** The step this exchange is, or undefined when it is none. */
export function stepOf(entry: HarEntry, index: number): FlowStep | undefined {
  const req = entry.request;
  const status = entry.response.status;
  if (status === 401 || status === 403) {
    const bearer = bearerOf(entry);
    const token = carriedToken(entry);
    if (bearer !== undefined && token !== undefined) {
      const at = parseTime(entry.startedDateTime);
      const step: FlowStep = { kind: 'api-call', index, at, end: endOf(entry, at), method: req.method.toUpperCase(), url: redactUrl(req.url), status, endpoint: endpointOf(req.url), token };
      const expiry = isMask(bearer) ? entry._why401?.token?.claims?.['exp'] : undefined;
      const known = isMask(bearer) ? (typeof expiry === 'number' ? expiry * 1000 : undefined) : expiryOf(bearer);
      if (known !== undefined) step.tokenExpiry = known;
      return step;
    }
  }
  // Most exchanges are none: a look at the URL and the body's presence rules them out unparsed.
  if (req.postData === undefined && !mayBeStep(req.url)) return undefined;
  const url = parseUrl(req.url);
  if (!url) return undefined;
  const method = req.method.toUpperCase();
  const at = parseTime(entry.startedDateTime);
  const base = { index, at, end: endOf(entry, at), method, url: redactUrl(req.url), status: entry.response.status, endpoint: endpointOf(req.url) };
  const q = url.searchParams;

  if (isDiscoveryUrl(url.pathname)) {
    const doc = entry.response.status === 200 ? jsonBody(entry) : undefined;
    const step: FlowStep = { kind: 'discovery', ...base };
    if (doc) {
      if (str(doc['issuer'])) step.issuer = str(doc['issuer']);
      if (str(doc['authorization_endpoint'])) step.authorizationEndpoint = str(doc['authorization_endpoint']);
      if (str(doc['token_endpoint'])) step.tokenEndpoint = str(doc['token_endpoint']);
    }
    return step;
  }

  const form = method === 'POST' ? formOf(entry) : undefined;
  const grant = form?.get('grant_type');
  if (form && grant) {
    const step: FlowStep = { kind: 'token', ...base, grantType: grant };
    const clientId = form.get('client_id');
    if (clientId) step.clientId = redactText(clientId.slice(0, 256));
    setRedirectUri(step, form.get('redirect_uri'));
    const code = fp(form.get('code'));
    if (code) step.code = code;
    if (entry.response.status <= 0) step.noAnswer = true;
    const auth = clientAuthOf(entry, form);
    if (auth) step.clientAuth = auth;
    // A script's request carries its Origin: the browser gives the page the answer only if the CORS check passes.
    const origin = firstHeader(req.headers, 'origin')?.trim();
    if (origin && origin !== 'null') step.fromPage = redactUrl(origin.slice(0, 512));
    if (origin && origin !== 'null' && origin !== originOf(req.url) && entry.response.status > 0) {
      const refused = corsCheck(entry.response.headers, origin, (entry.request.cookies?.length ?? 0) > 0 || firstHeader(req.headers, 'cookie') !== undefined);
      if (refused) step.corsRefused = { why: redactText(refused.why), origin: redactUrl(origin) };
    }
    if (grant === 'refresh_token') {
      const sent = form.get('refresh_token');
      const fpSent = lineageId(sent, entry._why401?.tokenTags?.sentRefresh);
      if (fpSent) step.refreshSent = fpSent;
      const expiry = sent && !isMask(sent) ? expiryOf(sent) : undefined;
      if (expiry !== undefined) step.refreshExpiry = expiry;
    }
    if (grant === 'authorization_code') {
      const verifier = form.get('code_verifier');
      const hashed = verifierS256Of(entry, form);
      if (hashed !== undefined) step.verifierS256 = hashed;
      if (verifier && !isMask(verifier)) step.verifierPlain = fingerprint(verifier);
    }
    const answer = jsonBody(entry);
    if (answer) {
      if (str(answer['error'])) step.error = redactText(str(answer['error'])!.slice(0, 200));
      if (str(answer['error_description'])) step.errorDescription = redactText(str(answer['error_description'])!.slice(0, 500));
      const issued = ['access_token', 'id_token', 'refresh_token'].filter((k) => str(answer[k]));
      if (issued.length > 0) step.issued = issued;
      const access = lineageId(str(answer['access_token']), entry._why401?.tokenTags?.access);
      if (access) step.accessIssued = access;
      const refresh = lineageId(str(answer['refresh_token']), entry._why401?.tokenTags?.refresh);
      if (refresh) step.refreshIssued = refresh;
      const lifetime = answer['expires_in'];
      const seconds = typeof lifetime === 'number' ? lifetime : typeof lifetime === 'string' && /^\d{1,9}$/.test(lifetime) ? Number(lifetime) : undefined;
      if (seconds !== undefined && Number.isFinite(seconds) && seconds >= 0) step.expiresIn = seconds;
      if (typeof answer['scope'] === 'string') step.scope = redactText(answer['scope'].slice(0, 500));
      const id = str(answer['id_token']);
      const info = id === undefined ? undefined : inspectToken(id);
      if (info?.kind === 'jwt' && info.claims) {
        const nonce = info.claims['nonce'];
        step.idToken = { ...(typeof nonce === 'string' ? { nonce: fingerprint(nonce) } : {}), ...(info.iss !== undefined ? { iss: info.iss } : {}), ...(info.aud !== undefined ? { aud: info.aud } : {}) };
      } else if (id !== undefined && isMask(id) && entry._why401?.issuedIdToken) {
        // A masked file: the public claims kept beside the mask, and the nonce as its tagged mask
        // (compared with the authorize request's masked nonce); without it, the nonce is not known.
        const kept = entry._why401.issuedIdToken;
        step.idToken = { ...(kept.iss !== undefined ? { iss: kept.iss } : {}), ...(kept.aud !== undefined ? { aud: kept.aud } : {}), ...(kept.nonce !== undefined ? { nonce: fingerprint(kept.nonce) } : { masked: true as const }) };
      }
    }
    return step;
  }

  // The authorize request: a navigation with the client and the response it asks for (also a
  // form_post of the same parameters, as some clients send it).
  const params = q.has('response_type') ? q : form?.has('response_type') ? form : undefined;
  if (params && params.get('client_id')) {
    const step: FlowStep = { kind: 'authorize', ...base, clientId: redactText(params.get('client_id')!.slice(0, 256)) };
    const set = (key: keyof FlowStep, name: string) => {
      const v = params.get(name);
      if (v !== null) (step as unknown as Record<string, string>)[key] = v;
    };
    setRedirectUri(step, params.get('redirect_uri'));
    set('responseType', 'response_type');
    set('responseMode', 'response_mode');
    const scope = params.get('scope');
    if (scope !== null) step.scope = redactText(scope.slice(0, 500));
    set('codeChallenge', 'code_challenge');
    const method = params.get('code_challenge_method');
    if (method !== null) step.codeChallengeMethod = redactText(method.slice(0, 32));
    set('prompt', 'prompt');
    const cookies = cookieNames(entry);
    if (cookies.length > 0) step.cookiesSent = cookies;
    const state = fp(params.get('state'));
    if (state) step.state = state;
    const nonce = fp(params.get('nonce'));
    if (nonce) step.nonce = nonce;
    return step;
  }

  // The callback: the provider sent the browser back with a code or an error, and the state
  // (query, or a form_post body).
  const back = q.has('state') && (q.has('code') || q.has('error')) ? q : form && form.has('state') && (form.has('code') || form.has('error')) ? form : undefined;
  if (back) {
    const step: FlowStep = { kind: 'callback', ...base, state: fp(back.get('state'))! };
    const code = fp(back.get('code'));
    if (code) step.code = code;
    const error = back.get('error');
    if (error) step.error = redactText(error.slice(0, 200));
    const description = back.get('error_description');
    if (description) step.errorDescription = redactText(description.slice(0, 500));
    return step;
  }

  if (/\/(end_?session|session\/end|logout)$/i.test(url.pathname) && (q.has('id_token_hint') || q.has('post_logout_redirect_uri'))) {
    return { kind: 'end-session', ...base };
  }
  return undefined;
}
