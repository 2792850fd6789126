/**
 * The stable cause ids (DESIGN.md, "Causes"), with what the UI and the ranking need to know
 * about each: a short label, a severity colour, the ranking tier, and the standing fixes.
 *
 * Tiers follow DESIGN.md's order of "what the user must fix first" (TIER_NAMES below): the
 * proxy; a credential a redirect dropped (and preflights, which never carry credentials);
 * protocol steps the client must take; the request's own defects; concrete local evidence;
 * nothing sent at all; the server's stated error; weaker inference.
 */

/** The ranking tiers by name, as DESIGN.md's causes table names them (lower ranks first). */
export const TIER_NAMES: Readonly<Record<number, string>> = {
  0: 'proxy',
  1: 'path',
  2: 'protocol step',
  3: 'request defect',
  4: 'local evidence',
  4.5: 'nothing sent',
  5: 'stated error',
  6: 'inference',
};

export const CAUSE_IDS = [
  'missing-credentials',
  'credentials-wrong-place',
  'auth-dropped-on-redirect',
  'credentials-not-included',
  'cookie-blocked',
  'cookie-out-of-scope',
  'session-cookie-missing',
  'session-cookie-expired',
  'preflight-unauthenticated',
  'placeholder-token',
  'double-prefix',
  'scheme-missing',
  'malformed-token',
  'basic-malformed',
  'scheme-mismatch',
  'token-expired',
  'token-not-yet-valid',
  'token-wrong-audience',
  'wrong-token-type',
  'token-revoked',
  'invalid-token',
  'insufficient-scope',
  'invalid-request',
  'wrong-credentials',
  'digest-stale-nonce',
  'dpop-nonce-required',
  'dpop-scheme-mismatch',
  'negotiate-required',
  'missing-challenge',
  'proxy-auth-required',
  'ip-restricted',
  'forbidden',
] as const;

export type CauseId = (typeof CAUSE_IDS)[number];

export type Severity = 'error' | 'warning' | 'info';

/**
 * The fixes a finding can lead with (DESIGN.md, "Actions"), in the order the UI groups them.
 * Copies and exports are offered for every failure alike, so they are not a finding's to name.
 */
export const ACTIONS = ['edit-and-rerun', 'rerun', 'rerun-without-cookies', 'clear-site-cookies'] as const;

export type Action = (typeof ACTIONS)[number];

export interface CauseInfo {
  /** A few words for the list column and filters. */
  label: string;
  /** What the id means (DESIGN.md's causes table). */
  meaning: string;
  severity: Severity;
  /** Lower ranks first. */
  tier: number;
  fixes: { users: string[]; developers: string[] };
  actions: Action[];
}


export const CAUSES: Record<CauseId, CauseInfo> = {
  'proxy-auth-required': {
    label: 'Proxy wants credentials',
    meaning: '407 with Proxy-Authenticate: the proxy, not the site, wants credentials',
    severity: 'warning',
    tier: 0,
    fixes: {
      users: ['Sign in to your network proxy (your browser or operating system proxy settings), or ask your IT team for proxy credentials.'],
      developers: [
        'Configure proxy credentials for the client (Proxy-Authorization), or bypass the proxy for this host.',
        'The site itself is not refusing you: do not change the site credentials.',
      ],
    },
    actions: ['rerun'],
  },
  'preflight-unauthenticated': {
    label: 'Preflight refused',
    meaning: 'a CORS preflight (OPTIONS) got 401; browsers never send credentials on preflights',
    severity: 'error',
    tier: 1,
    fixes: {
      users: ['This is a server configuration problem; report it to the site owner.'],
      developers: [
        'Answer OPTIONS preflights before authentication: return 204 with the Access-Control-Allow-* headers and no auth check.',
        'Browsers never attach Authorization or cookies to a preflight (Fetch standard, CORS-preflight fetch), so no client change can fix this.',
      ],
    },
    actions: [],
  },
  'auth-dropped-on-redirect': {
    label: 'Dropped on redirect',
    meaning: 'Authorization was sent, a cross-origin redirect dropped it (Fetch spec), and the target answered 401',
    severity: 'error',
    tier: 1,
    fixes: {
      users: ['This is a problem in the site or app; report it to its developers.'],
      developers: [
        'Call the final URL directly instead of one that redirects to another origin (add or remove the trailing slash, use the canonical host).',
        'Browsers remove Authorization when a redirect crosses origins (Fetch standard; Chrome 119+, Firefox 111+). Handle the redirect in your code (redirect: "manual") and re-send the header only to an origin you trust.',
      ],
    },
    actions: ['rerun'],
  },
  'negotiate-required': {
    label: 'Kerberos / NTLM needed',
    meaning: 'only Negotiate/NTLM is offered: integrated (Kerberos) auth is needed',
    severity: 'warning',
    tier: 2,
    fixes: {
      users: ['Sign in to your organisation network (VPN or domain) and make sure the browser is allowed to use Windows/Kerberos sign-in for this site.'],
      developers: [
        'Allow-list the host for integrated authentication (Chrome: AuthServerAllowlist policy; Firefox: network.negotiate-auth.trusted-uris).',
        'Fetch/XHR from JavaScript cannot produce a Negotiate token; the browser must do it, so the page must be in an allowed zone.',
      ],
    },
    actions: ['rerun'],
  },
  'dpop-nonce-required': {
    label: 'DPoP nonce needed',
    meaning: 'error="use_dpop_nonce" with a DPoP-Nonce header',
    severity: 'info',
    tier: 2,
    fixes: {
      users: ['Usually retried automatically by the app; if it keeps failing, reload the page.'],
      developers: [
        'Retry once with a new DPoP proof whose "nonce" claim is the value of the DPoP-Nonce response header (RFC 9449 §8 and §9).',
        'Keep the latest nonce per server and use it in every following proof.',
      ],
    },
    // A re-run repeats the old proof, a new token does not help: the client must sign a new DPoP proof with the server's nonce (RFC 9449 §8).
    actions: [],
  },
  'digest-stale-nonce': {
    label: 'Stale Digest nonce',
    meaning: 'Digest stale=true: the nonce expired, retry with a fresh one',
    severity: 'info',
    tier: 2,
    fixes: {
      users: ['Retry the request; the browser should do so without asking for your password again.'],
      developers: ['Recompute the Digest response with the new nonce from this challenge (RFC 7616 §3.3: stale=true means the password was right).'],
    },
    actions: ['rerun'],
  },
  'double-prefix': {
    label: 'Scheme repeated',
    meaning: '`Bearer Bearer …`, `Basic Basic …`',
    severity: 'error',
    tier: 3,
    fixes: {
      users: ['This is a bug in the app; report it to its developers.'],
      developers: ['The stored token already includes the scheme: send `Authorization: Bearer <token>` once (e.g. strip a leading "Bearer " before adding it).'],
    },
    actions: ['edit-and-rerun'],
  },
  'placeholder-token': {
    label: 'Placeholder token',
    meaning: '`Bearer undefined`, `null`, `[object Object]`, empty, an unexpanded template',
    severity: 'error',
    tier: 3,
    fixes: {
      users: ['Sign out and sign in again; if it persists, report it to the app developers.'],
      developers: [
        'The code that builds the header ran before the token was available, or read the wrong variable. Check where the token is read (storage key, state, environment variable) and wait for sign-in before calling the API.',
        'Never send the header when there is no token.',
      ],
    },
    actions: ['edit-and-rerun'],
  },
  'scheme-missing': {
    label: 'No scheme',
    meaning: 'Authorization holds a bare token (no scheme, or `Bearer=…`, `Bearer:…`) while the server offers a scheme',
    severity: 'error',
    tier: 3,
    fixes: {
      users: ['This is a bug in the app; report it to its developers.'],
      developers: ['Put the scheme and one space before the token: `Authorization: Bearer <token>` (RFC 9110 §11.6.2; RFC 6750 §2.1).'],
    },
    actions: ['edit-and-rerun'],
  },
  'malformed-token': {
    label: 'Malformed token',
    meaning: 'the token is not valid b64token / a broken JWT / contains spaces, quotes, newlines',
    severity: 'error',
    tier: 3,
    fixes: {
      users: ['Sign out and sign in again; if it persists, report it to the app developers.'],
      developers: [
        'Send the token exactly as issued: no quotes, spaces or line breaks (JSON.stringify or a copied value often adds them), and do not truncate it.',
        'RFC 6750 §2.1: `Authorization: Bearer <b64token>`.',
      ],
    },
    actions: ['edit-and-rerun'],
  },
  'basic-malformed': {
    label: 'Malformed Basic',
    meaning: 'Basic credentials are not base64 or have no colon',
    severity: 'error',
    tier: 3,
    fixes: {
      users: ['Re-enter your username and password.'],
      developers: ['Send base64("user:password") (RFC 7617 §2), UTF-8 encoded; the colon is required even when the password is empty.'],
    },
    actions: ['edit-and-rerun'],
  },
  'dpop-scheme-mismatch': {
    label: 'Bearer vs DPoP',
    meaning: 'the server wants DPoP-bound tokens but a Bearer token was sent, or the reverse',
    severity: 'error',
    tier: 3,
    fixes: {
      users: ['This is a problem in the app; report it to its developers.'],
      developers: [
        'A DPoP-bound token (cnf.jkt) must be sent as `Authorization: DPoP <token>` together with a `DPoP` proof header (RFC 9449 §7.1); a plain Bearer token as `Authorization: Bearer <token>`.',
        'Match the scheme to what the server offers in WWW-Authenticate.',
      ],
    },
    actions: ['edit-and-rerun'],
  },
  'scheme-mismatch': {
    label: 'Wrong scheme',
    meaning: 'the scheme sent is not among the schemes the server offers',
    severity: 'error',
    tier: 3,
    fixes: {
      users: ['This is a problem in the app; report it to its developers.'],
      developers: ['Send credentials in a scheme the server offers in WWW-Authenticate (for example `Bearer <token>` instead of `Basic …`).'],
    },
    actions: ['edit-and-rerun'],
  },
  'credentials-wrong-place': {
    label: 'Token in wrong place',
    meaning: 'a token went in a non-standard header or the query string while the server challenges a standard scheme',
    severity: 'error',
    tier: 3,
    fixes: {
      users: ['This is a problem in the app; report it to its developers.'],
      developers: [
        'Move the token to the Authorization header in the scheme the server asks for (e.g. `Authorization: Bearer <token>`).',
        'Tokens in URLs leak into logs and Referer headers (RFC 6750 §5.3); avoid the query string.',
      ],
    },
    actions: ['edit-and-rerun'],
  },
  'token-expired': {
    label: 'Token expired',
    meaning: 'the JWT `exp` had passed at request time, or the server says the token expired',
    severity: 'error',
    tier: 4,
    fixes: {
      users: ['Sign in again (or reload the page so the app can refresh its session).'],
      developers: [
        'Refresh the access token before it expires (use the refresh token or a silent re-authentication) and retry once on 401.',
        'Check the client clock if tokens look expired right after they were issued.',
      ],
    },
    actions: ['edit-and-rerun', 'rerun'],
  },
  'token-not-yet-valid': {
    label: 'Token not yet valid',
    meaning: '`nbf` (or `iat`) lies in the future: clock skew',
    severity: 'error',
    tier: 4,
    fixes: {
      users: ["Check that your computer's date, time and time zone are set automatically."],
      developers: [
        'The clocks of the token issuer and this server disagree: sync them with NTP.',
        'Allow a small clock skew (30–60 s) when validating nbf/iat.',
      ],
    },
    actions: ['rerun'],
  },
  'wrong-token-type': {
    label: 'ID token sent',
    meaning: 'an OpenID Connect ID token (it carries nonce, at_hash or c_hash) sent as an access token',
    severity: 'error',
    tier: 3,
    fixes: {
      users: ['This is a problem in the app; report it to its developers.'],
      developers: [
        'Send the access_token of the token response, not the id_token: an ID token tells the client who signed in and its aud is the client (OpenID Connect Core §2); an API must refuse it.',
        'Ask the provider for an access token for this API (its audience or resource parameter, or the API\'s scope); a JWT access token says typ "at+jwt" (RFC 9068).',
      ],
    },
    actions: ['edit-and-rerun'],
  },
  'token-wrong-audience': {
    label: 'Wrong audience',
    meaning: 'the JWT `aud` does not name this API',
    severity: 'error',
    tier: 4,
    fixes: {
      users: ['Sign out and sign in again; if it persists, report it to the app developers.'],
      developers: [
        'Request the token for this API (the `audience` or `resource` parameter of the token request, RFC 8707), or send the token that was issued for it.',
        'Check the API\'s expected audience setting.',
      ],
    },
    actions: ['edit-and-rerun'],
  },
  'token-revoked': {
    label: 'Token revoked',
    meaning: 'the same token succeeded earlier and is now refused while unexpired',
    severity: 'error',
    tier: 4,
    fixes: {
      users: ['Sign in again: your session was ended (signed out elsewhere, password changed, or revoked by an administrator).'],
      developers: ['The server no longer accepts this token although it has not expired: it was revoked, or the session behind it ended. Get a new token (refresh or re-authenticate).'],
    },
    actions: ['edit-and-rerun'],
  },
  'cookie-out-of-scope': {
    label: 'Cookie out of scope',
    meaning: 'a cookie the app needs exists, but its Domain, Path or host-only scope excludes this URL',
    severity: 'error',
    tier: 4,
    fixes: {
      users: ['This is a problem in the site: signing in again will not help. Report it to its developers.'],
      developers: [
        'Set the session cookie with a scope that covers every host and path that needs it: `Domain=<registrable domain>` for subdomains (a cookie without Domain is host-only), `Path=/` for every path (RFC 6265bis §5.6.2, §5.6.4).',
        'Or call the API through the host (and path) the cookie was set for.',
      ],
    },
    actions: [],
  },
  'session-cookie-expired': {
    label: 'Session cookie expired',
    meaning: "the session cookie's Expires/Max-Age passed before the request",
    severity: 'error',
    tier: 4,
    fixes: {
      users: ['Sign in again: your session ended.'],
      developers: ['Extend the session (sliding expiration) or renew the cookie before it expires; redirect to sign-in when it has.'],
    },
    actions: ['clear-site-cookies', 'rerun'],
  },
  'session-cookie-missing': {
    label: 'Session cookie gone',
    meaning: 'a session cookie seen earlier is gone (deleted by a response, cleared)',
    severity: 'error',
    tier: 4,
    fixes: {
      users: ['Sign in again.'],
      developers: ['Something removed the session cookie (a logout response, a Set-Cookie with Max-Age=0, or the user clearing data); check the response named here.'],
    },
    actions: ['rerun'],
  },
  'cookie-blocked': {
    label: 'Cookie not sent',
    meaning: 'a cookie the browser holds was not sent: SameSite, Secure on http, third-party blocking, partitioning',
    severity: 'error',
    tier: 4,
    fixes: {
      users: ['Open the site directly in its own tab and sign in there; allow third-party cookies for it if it is embedded.'],
      developers: [
        'Cross-site requests need `SameSite=None; Secure` cookies (and credentials: "include"); Secure cookies need https.',
        'Prefer same-site deployment (api.example.com with app.example.com) so SameSite=Lax cookies are sent.',
      ],
    },
    actions: ['clear-site-cookies', 'rerun-without-cookies'],
  },
  'credentials-not-included': {
    label: 'Credentials not included',
    meaning: 'cross-origin fetch/XHR sent no cookies although the browser holds some for the URL (credentials mode)',
    severity: 'error',
    tier: 4,
    fixes: {
      users: ['This is a problem in the app; report it to its developers.'],
      developers: [
        'Send cookies on cross-origin calls: fetch(url, { credentials: "include" }) or xhr.withCredentials = true.',
        'The server must answer with Access-Control-Allow-Credentials: true and a specific Access-Control-Allow-Origin (not *).',
      ],
    },
    actions: ['rerun'],
  },
  'missing-credentials': {
    label: 'No credentials sent',
    meaning: 'nothing that authenticates was sent; the server asks for it',
    severity: 'error',
    tier: 4.5,
    fixes: {
      users: ['Sign in, then try again.'],
      developers: ['Attach the credentials the server asks for (see the challenge), e.g. `Authorization: Bearer <token>`, or make sure the session cookie is set and sent.'],
    },
    actions: ['edit-and-rerun'],
  },
  'insufficient-scope': {
    label: 'Insufficient scope',
    meaning: '`error="insufficient_scope"`; names the scope asked for and the scopes held',
    severity: 'warning',
    tier: 5,
    fixes: {
      users: ['Your account may not have access to this feature; ask an administrator, or sign in again and accept the requested permissions.'],
      developers: ['Request a token with the scope the server names (the `scope` parameter of the token request), and make sure the user or client is allowed that scope.'],
    },
    actions: ['edit-and-rerun'],
  },
  'invalid-token': {
    label: 'Invalid token',
    meaning: 'the server says `error="invalid_token"` and nothing more specific is known',
    severity: 'error',
    tier: 5,
    fixes: {
      users: ['Sign in again.'],
      developers: ['The server rejected the token (expired, revoked, wrong signature or issuer, or for another API). Get a new token and compare its iss/aud/kid with what the server expects.'],
    },
    actions: ['edit-and-rerun'],
  },
  'invalid-request': {
    label: 'Invalid request',
    meaning: '`error="invalid_request"`',
    severity: 'error',
    tier: 5,
    fixes: {
      users: ['This is a problem in the app; report it to its developers.'],
      developers: ['The request itself is malformed for the server (RFC 6750 §3.1): a missing or repeated parameter, or the token sent in more than one way. Read error_description.'],
    },
    actions: ['edit-and-rerun'],
  },
  'ip-restricted': {
    label: 'Network restricted',
    meaning: "the server's own words point at an address or network restriction (low confidence)",
    severity: 'warning',
    tier: 5,
    fixes: {
      users: ['Connect from an allowed network (office network or VPN), or ask the site owner to allow your address.'],
      developers: ['Check the IP allow-list or firewall rule in front of this API; the credentials may be fine.'],
    },
    actions: [],
  },
  'wrong-credentials': {
    label: 'Credentials refused',
    meaning: 'well-formed credentials of the right scheme were refused (wrong user/password/key)',
    severity: 'error',
    tier: 6,
    fixes: {
      users: ['Check your username and password (or API key) and sign in again.'],
      developers: ['The credentials are well-formed but the server does not accept them: check the account, the key, the environment (staging vs production) and the server logs.'],
    },
    actions: ['edit-and-rerun'],
  },
  'missing-challenge': {
    label: 'No challenge',
    meaning: 'a 401 without any WWW-Authenticate header (RFC 9110 requires one)',
    severity: 'warning',
    tier: 6,
    fixes: {
      users: ['Sign in again; if it persists, report it to the site owner.'],
      developers: [
        'A 401 must carry WWW-Authenticate naming how to authenticate (RFC 9110 §15.5.2), e.g. `WWW-Authenticate: Bearer realm="api"`. Add one so clients (and this tool) can tell what is wrong.',
        'If the user is known but not allowed, answer 403 instead.',
      ],
    },
    actions: ['clear-site-cookies', 'rerun'],
  },
  forbidden: {
    label: 'Forbidden (403)',
    meaning: 'a 403: authenticated but not allowed (when 403s are captured)',
    severity: 'info',
    tier: 6,
    fixes: {
      users: ['You are signed in but this account may not do this; ask an administrator for access.'],
      developers: ['Check the permission or role the endpoint requires for this user; signing in again will not help.'],
    },
    actions: [],
  },
};

export function isCauseId(value: unknown): value is CauseId {
  return typeof value === 'string' && (CAUSE_IDS as readonly string[]).includes(value);
}

/**
 * The causes a sign-in flow can carry (core/flows/flow.ts): a flow's verdict, beside the failures'
 * (DESIGN.md, "Sign-in flows"); what each means and its fixes are in core/flows/causes.ts.
 */
export const FLOW_CAUSE_IDS = [
  'redirect-uri-mismatch',
  'pkce-mismatch',
  'state-mismatch',
  'code-reused',
  'nonce-mismatch',
  'issuer-mismatch',
  'audience-mismatch',
  'login-loop',
  'refresh-token-reused',
  'refresh-loop',
  'refresh-token-missing',
  'refresh-token-expired',
  'stale-token-after-refresh',
  'silent-renew-blocked',
  'token-endpoint-cors',
  'public-client-auth',
  'provider-error',
] as const;

export type FlowCauseId = (typeof FLOW_CAUSE_IDS)[number];
