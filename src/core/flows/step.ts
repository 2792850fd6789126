/**
 * One exchange read as a step of an OAuth 2.0 / OpenID Connect sign-in (RFC 6749, RFC 7636,
 * OpenID Connect Core 1.0): discovery, the authorize request, the callback at the redirect URI,
 * the token request and its answer, and end-session.
 *
 * What a step keeps is what the flow checks compare, and nothing secret: the state, nonce and
 * code as fingerprints (equality only, in memory), the code verifier only as its S256 (the value
 * the authorize request already sent in the clear as its challenge), and the provider's error.
 */
import { decodeBase64 } from '../base64.ts';
import { fingerprint } from '../fingerprint.ts';
import type { HarEntry } from '../har-types.ts';
import { firstHeader } from '../headers.ts';
import { inspectToken } from '../jwt.ts';
import { endpointOf, isMask, redactText, redactUrl } from '../redact-url.ts';
import { parseTime } from '../time.ts';
import { parseUrl } from '../url.ts';
import { s256 } from './pkce.ts';

export type StepKind = 'discovery' | 'authorize' | 'callback' | 'token' | 'end-session';

export interface FlowStep {
  kind: StepKind;
  /** The exchange's index in the log. */
  index: number;
  at: number;
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
  idToken?: { nonce?: string; iss?: string; aud?: string[] };
  /** Discovery: the issuer and endpoints it names. */
  issuer?: string;
  authorizationEndpoint?: string;
  tokenEndpoint?: string;
}

/** A fingerprint for equality of values that must not be kept (state, nonce, code). */
function fp(value: string | null | undefined): string | undefined {
  return value ? fingerprint(value) : undefined;
}

/** A request's form-encoded body (HAR `postData.params` or its text), or undefined. */
export function formOf(entry: HarEntry): URLSearchParams | undefined {
  const post = entry.request.postData;
  if (!post) return undefined;
  if (post.params && post.params.length > 0) {
    const form = new URLSearchParams();
    for (const p of post.params) form.append(p.name, p.value ?? '');
    return form;
  }
  const type = (post.mimeType || firstHeader(entry.request.headers, 'content-type') || '').toLowerCase();
  if (typeof post.text !== 'string' || !type.includes('application/x-www-form-urlencoded')) return undefined;
  return new URLSearchParams(post.text);
}

/** The response body as text (decoded when the HAR stored it in base64), or undefined. */
function bodyText(entry: HarEntry): string | undefined {
  const c = entry.response.content;
  if (typeof c.text !== 'string') return undefined;
  if (c.encoding !== 'base64') return c.text;
  const bytes = decodeBase64(c.text);
  if (!bytes) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** A JSON object body, or undefined (bodies over 64 KiB are not read: no provider answers that much). */
function jsonBody(entry: HarEntry): Record<string, unknown> | undefined {
  const text = bodyText(entry);
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

/** The step this exchange is, or undefined when it is none. */
export function stepOf(entry: HarEntry, index: number): FlowStep | undefined {
  const req = entry.request;
  // Most exchanges are none: a look at the URL and the body's presence rules them out unparsed.
  if (req.postData === undefined && !/[?&](?:response_type|state|id_token_hint|post_logout_redirect_uri)=|\/\.well-known\//.test(req.url)) return undefined;
  const url = parseUrl(req.url);
  if (!url) return undefined;
  const method = req.method.toUpperCase();
  const base = { index, at: parseTime(entry.startedDateTime), method, url: redactUrl(req.url), status: entry.response.status, endpoint: endpointOf(req.url) };
  const q = url.searchParams;

  if (url.pathname.endsWith('/.well-known/openid-configuration') || url.pathname.endsWith('/.well-known/oauth-authorization-server')) {
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
      const id = str(answer['id_token']);
      const info = id === undefined ? undefined : inspectToken(id);
      if (info?.kind === 'jwt' && info.claims) {
        const nonce = info.claims['nonce'];
        step.idToken = { ...(typeof nonce === 'string' ? { nonce: fingerprint(nonce) } : {}), ...(info.iss !== undefined ? { iss: info.iss } : {}), ...(info.aud !== undefined ? { aud: info.aud } : {}) };
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
    set('scope', 'scope');
    set('codeChallenge', 'code_challenge');
    set('codeChallengeMethod', 'code_challenge_method');
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
