/**
 * Every scenario of the 401 lab: a real failure produced through a real browser mechanism,
 * and the cause Why 401 must name for it. The start page lists them; the browser suites run
 * them one by one and check the verdict.
 */
import type { CauseId } from '../../src/core/verdict/causes.ts';

export interface Scenario {
  id: string;
  title: string;
  /** The cause the recorded failure's first finding must name. */
  cause: CauseId;
  /** What happens, for the start page. */
  how: string;
  /** Failures it records (most make one). */
  failures?: number;
  /** Where the scenario starts: the https start page (default) or the http one. */
  origin?: 'https' | 'http';
  /** The browser shows a sign-in dialog for it (Basic, Digest, proxy): headless tests cancel it. */
  dialog?: boolean;
  /** Browsers where webRequest can see it (Chrome reports CORS preflights only with extraHeaders). */
  browsers?: ('chromium' | 'firefox')[];
  /** Needs 403s counted (a setting). */
  needs403?: boolean;
  /** Takes a few seconds on purpose (a cookie must expire). */
  slow?: boolean;
  /**
   * Only the response body says why: the background (which never reads bodies) records `cause`
   * below; with DevTools open the panel adds the body and the verdict becomes `bodyCause`.
   */
  bodyCause?: CauseId;
  /** A note the failure must carry (e.g. the page's script never saw the 401). */
  note?: RegExp;
  /**
   * Fails only under a browser setting (third-party cookies blocked, Firefox's default Total
   * Cookie Protection): the suites that set it run it; elsewhere the request succeeds.
   */
  setting?: 'third-party-cookies-blocked';
}

export const SCENARIOS: Scenario[] = [
  { id: 'missing-credentials', title: 'No credentials at all', cause: 'missing-credentials', how: 'fetch() an API that wants a Bearer token, without one.' },
  { id: 'credentials-wrong-place', title: 'Token in X-Auth-Token', cause: 'credentials-wrong-place', how: 'Send a valid token in X-Auth-Token; the API reads only Authorization.' },
  { id: 'auth-dropped-on-redirect', title: 'Authorization dropped on a cross-origin redirect', cause: 'auth-dropped-on-redirect', how: 'api.test answers 307 to api2.test; the browser drops Authorization on the way.' },
  { id: 'credentials-not-included', title: 'Cross-origin fetch without credentials: "include"', cause: 'credentials-not-included', how: 'Sign in to api.app.test (same site), then fetch() it with the default credentials mode.' },
  { id: 'cookie-blocked-strict', title: 'SameSite=Strict cookie on a cross-site fetch', cause: 'cookie-blocked', how: 'A top-level visit to api.test sets a SameSite=Strict cookie; app.test then fetches api.test with credentials.' },
  { id: 'cookie-blocked-lax', title: 'SameSite=Lax cookie on a cross-site fetch', cause: 'cookie-blocked', how: 'The same with SameSite=Lax: sent on top-level navigations only.' },
  { id: 'cookie-blocked-secure', title: 'Secure cookie on an http page', cause: 'cookie-blocked', origin: 'https', how: 'Sign in over https (a Secure cookie), then call the same API from the http version of the site.' },
  { id: 'session-cookie-expired', title: 'Session cookie expires (Max-Age=2)', cause: 'session-cookie-expired', slow: true, how: 'Sign in (the cookie lives 2 seconds), wait 3 seconds, call the API.' },
  { id: 'session-cookie-missing', title: 'Signed out by a logout response', cause: 'session-cookie-missing', how: 'Sign in, call the API (200), POST /logout (deletes the cookie), call it again.' },
  { id: 'preflight-unauthenticated', title: 'CORS preflight answered 401', cause: 'preflight-unauthenticated', browsers: ['chromium'], how: 'A cross-origin call with Authorization needs a preflight; the server wants auth on OPTIONS too.' },
  { id: 'scheme-missing', title: 'The token without "Bearer "', cause: 'scheme-missing', how: 'Authorization holds the bare JWT: the prefix is missing.' },
  { id: 'cookie-out-of-scope-host', title: 'Host-only cookie, sibling host', cause: 'cookie-out-of-scope', how: 'app.test sets sid_host without Domain; api.app.test never gets it.' },
  { id: 'cookie-out-of-scope-path', title: 'Cookie with Path=/app', cause: 'cookie-out-of-scope', how: 'Sign-in sets sid_path with Path=/app; the API at /s/session/me never gets it.' },
  {
    id: 'third-party-cookies',
    title: 'Third-party cookies blocked by the browser',
    cause: 'cookie-blocked',
    setting: 'third-party-cookies-blocked',
    how: 'A top-level visit to api.test sets a SameSite=None; Secure cookie; app.test then fetches api.test with credentials. Fails only when the browser blocks (or partitions) third-party cookies.',
  },
  { id: 'cors-hidden-401', title: 'A 401 the page never sees (no CORS headers)', cause: 'missing-credentials', note: /^Your code never saw this 401: the response has no Access-Control-Allow-Origin header/, how: 'api.test answers 401 without Access-Control-Allow-Origin: the page gets "Failed to fetch".' },
  { id: 'body-only', title: 'Only the body says why (PyJWT "Signature has expired")', cause: 'wrong-credentials', bodyCause: 'token-expired', how: 'An opaque token refused with a plain challenge; the JSON body says the signature has expired.' },
  { id: 'placeholder-token', title: 'Bearer undefined', cause: 'placeholder-token', how: 'The classic: the header is built before the token exists.' },
  { id: 'double-prefix', title: 'Bearer Bearer …', cause: 'double-prefix', how: 'The stored token already starts with "Bearer ".' },
  { id: 'malformed-token', title: 'Token wrapped in quotes', cause: 'malformed-token', how: 'Authorization: Bearer "…" (a JSON-stringified token).' },
  { id: 'basic-malformed', title: 'Broken Basic header', cause: 'basic-malformed', dialog: true, how: 'Authorization: Basic with a value that is not base64.' },
  { id: 'scheme-mismatch', title: 'Basic sent where Bearer is asked', cause: 'scheme-mismatch', how: 'Send Basic credentials to the Bearer API.' },
  { id: 'token-expired', title: 'Expired JWT', cause: 'token-expired', how: 'A JWT whose exp was an hour ago.' },
  { id: 'token-not-yet-valid', title: 'JWT not valid yet (nbf in 10 minutes)', cause: 'token-not-yet-valid', how: 'Clock skew between the issuer and the API.' },
  { id: 'token-wrong-audience', title: 'JWT for another API', cause: 'token-wrong-audience', how: 'A JWT whose aud is https://billing.test.' },
  { id: 'id-token-as-access-token', title: 'ID token sent to the API', cause: 'wrong-token-type', how: 'The page sends the id_token of the token response (nonce, at_hash, aud = the client) where the access_token belongs.' },
  { id: 'token-replaced', title: 'A token that worked, replaced by an expired one', cause: 'token-expired', how: 'A valid token gets 200; the next call carries a token that had already expired (a broken refresh).' },
  { id: 'token-revoked', title: 'Token that worked, then revoked', cause: 'token-revoked', how: 'Call the API (200), revoke the token, call it again with the same token.' },
  { id: 'invalid-token', title: 'Unknown opaque token', cause: 'invalid-token', how: 'The server says error="invalid_token".' },
  { id: 'insufficient-scope', title: 'Missing scope (403 insufficient_scope)', cause: 'insufficient-scope', how: 'A token with scope "read" calls an endpoint that needs "write".' },
  { id: 'invalid-request', title: 'Token sent twice (400 invalid_request)', cause: 'invalid-request', how: 'The token is in the Authorization header and in the query string.' },
  { id: 'wrong-credentials', title: 'Wrong password (Basic)', cause: 'wrong-credentials', dialog: true, how: 'Well-formed Basic credentials with the wrong password.' },
  { id: 'digest-stale-nonce', title: 'Digest stale=true', cause: 'digest-stale-nonce', dialog: true, how: 'A Digest response computed with an expired nonce.' },
  { id: 'dpop-nonce-required', title: 'DPoP use_dpop_nonce', cause: 'dpop-nonce-required', how: 'A DPoP proof without the server nonce.' },
  { id: 'dpop-scheme-mismatch', title: 'Bearer sent to a DPoP-only API', cause: 'dpop-scheme-mismatch', how: 'A DPoP-bound token (cnf.jkt) sent with the Bearer scheme.' },
  { id: 'negotiate-required', title: 'Negotiate / NTLM only', cause: 'negotiate-required', how: 'The server offers only integrated Windows sign-in.' },
  { id: 'missing-challenge', title: '401 without WWW-Authenticate', cause: 'missing-challenge', how: 'The server refuses a token without saying how to authenticate.' },
  { id: 'proxy-auth-required', title: '407 from a local proxy', cause: 'proxy-auth-required', origin: 'http', dialog: true, how: 'proxied.test goes through the lab proxy, which wants credentials.' },
  { id: 'ip-restricted', title: 'IP allow-list', cause: 'ip-restricted', how: 'The server says your address is not on its allow-list.' },
  { id: 'forbidden', title: 'Plain 403', cause: 'forbidden', needs403: true, how: 'Signed in, but not allowed (counted only when 403s are on).' },
];

export function scenario(id: string): Scenario {
  const s = SCENARIOS.find((x) => x.id === id);
  if (!s) throw new Error(`no such lab scenario: ${id}`);
  return s;
}
