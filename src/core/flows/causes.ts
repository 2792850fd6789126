/**
 * What each sign-in flow and token-life cause means and how it is fixed (its id is in
 * core/verdict/causes.ts `FLOW_CAUSE_IDS`). Apart from the failures' causes: only flow code reads it, so
 * the panel's first paint does not load it.
 */
import type { CauseInfo, FlowCauseId } from '../verdict/causes.ts';

export const FLOW_CAUSES: Record<FlowCauseId, Pick<CauseInfo, 'label' | 'meaning' | 'fixes'>> = {
  'redirect-uri-mismatch': {
    label: 'redirect_uri differs',
    meaning: "the token request's redirect_uri differs from the authorize request's, or the provider says it is not registered",
    fixes: {
      users: ['This is a problem in the app; report it to its developers.'],
      developers: [
        'Send the token request the very redirect_uri the authorize request sent, byte for byte (scheme, host, port, path, trailing slash, query): build both from one setting.',
        "Register that exact URI with the provider; behind a proxy, make sure the app builds it from the public host, not the container's.",
      ],
    },
  },
  'pkce-mismatch': {
    label: 'PKCE mismatch',
    meaning: 'S256(code_verifier) is not the code_challenge sent, the verifier is missing, or plain where S256 is required',
    fixes: {
      users: ['Start the sign-in again in one tab, and close other tabs of this app that are signing in.'],
      developers: [
        'Keep one verifier per sign-in, stored with its state (keyed by state), and send the verifier stored for the state the callback returned.',
        'Do not start a sign-in from an effect that can run twice (React StrictMode runs effects twice in development): start it once, from a user action or a guarded effect.',
        'Use code_challenge_method=S256; most providers refuse plain.',
      ],
    },
  },
  'state-mismatch': {
    label: 'state mismatch',
    meaning: "the callback's state is unknown, reused or answered twice",
    fixes: {
      users: ['Start the sign-in again in one tab.'],
      developers: [
        'Store the state where the callback page can read it (same origin; a cookie the callback request carries, which SameSite=Lax allows for a top-level GET but not for response_mode=form_post).',
        'Start one sign-in at a time: a second one overwrites the stored state of the first.',
        'Handle the callback once: a reload or a second render must not process the same code and state again.',
      ],
    },
  },
  'nonce-mismatch': {
    label: 'nonce mismatch',
    meaning: "the ID token's nonce is not the authorize request's (or is missing)",
    fixes: {
      users: ['Start the sign-in again from the app itself, in one tab (not from a sign-in link someone sent you).'],
      developers: [
        'Use PKCE (code_challenge_method=S256) even where a nonce is sent: the provider then refuses, at the token request, a code issued for another sign-in (OAuth 2.0 Security BCP, RFC 9700 §2.1.1).',
        "Keep codes out of other hands: remove the code from the URL once read (history.replaceState), send no Referer from the callback page (Referrer-Policy: no-referrer), and keep callback URLs out of logs.",
        'Make a new state and nonce for every sign-in, stored together; check the ID token against the nonce stored for the state the callback returned.',
      ],
    },
  },
  'issuer-mismatch': {
    label: 'issuer mismatch',
    meaning: "the ID token's iss is not the discovered issuer",
    fixes: {
      users: ['This is a problem in the app or its identity provider; report it to its developers.'],
      developers: [
        'Give the provider one public issuer URL (Keycloak: KC_HOSTNAME; behind a proxy, forward the original host and scheme) and let the app and the browser reach it by that same name.',
        "Configure the app's expected issuer as the discovery document states it, character for character (trailing slash included).",
      ],
    },
  },
  'audience-mismatch': {
    label: 'ID token for another client',
    meaning: "the ID token's aud does not name the client that asked for it",
    fixes: {
      users: ['This is a problem in the app or its identity provider; report it to its developers.'],
      developers: [
        "An ID token is for the client that asked for it: its aud must contain that client_id (OpenID Connect Core §3.1.3.7). Check the client_id the app sends in the authorize and token requests against the one registered with the provider, and that the token answer comes from the provider the app asked (not a cache, a mock, or another tenant's endpoint).",
        'Where the provider issues ID tokens with several audiences, check that azp names this client.',
      ],
    },
  },
  'login-loop': {
    label: 'login loop',
    meaning: 'the app sends the user back to sign in again and again, each sign-in answered',
    fixes: {
      users: ['Allow cookies for this site and its sign-in provider, then sign in once more; if it keeps looping, report it to the site.'],
      developers: [
        'Keep what the callback needs where the return can read it: the state in a cookie with SameSite=Lax (None with Secure when the provider returns with form_post), or in storage of the same origin.',
        'After the tokens arrive, check the session cookie is set and sent back (Secure needs https; SameSite=None needs Secure) before redirecting to the app, and do not start a sign-in again from a page that cannot see it.',
      ],
    },
  },
  'code-reused': {
    label: 'code redeemed twice',
    meaning: 'one authorization code redeemed twice',
    fixes: {
      users: ['Sign in again.'],
      developers: [
        'Redeem the code once: guard the callback handler against running twice (React StrictMode, a re-render, a page reload on the callback URL), and remove the code from the URL after reading it (history.replaceState).',
        'Providers may revoke the tokens of a code redeemed twice (RFC 6749 §4.1.2): the first sign-in can break too.',
      ],
    },
  },
  'refresh-token-reused': {
    label: 'refresh token reused',
    meaning: 'one refresh token sent twice after rotation; the later answer invalid_grant',
    fixes: {
      users: ['Sign in again, in one tab; if it keeps happening, report it to the app.'],
      developers: [
        'Refresh single-flight: one refresh in flight, and every request that got a 401 meanwhile waits for its token (a shared promise), instead of one refresh per 401.',
        'Across tabs, take a lock before refreshing (the Web Locks API, or a BroadcastChannel leader) and read the stored refresh token again inside it: another tab may have rotated it.',
        'Store the new refresh token from every refresh answer at once, before anything else can read the old one.',
      ],
    },
  },
  'refresh-loop': {
    label: 'refresh loop',
    meaning: '401s and refreshes chasing each other, or a storm of parallel refreshes',
    fixes: {
      users: ['Reload the page; if it keeps happening, report it to the app.'],
      developers: [
        'Retry a request at most once after a refresh; a second 401 with a fresh token is not about expiry (check the audience, the scope, or the API\'s own rules) and must surface as an error.',
        'Never refresh from the refresh request\'s own 401 (exclude the token endpoint from the interceptor).',
        'Refresh single-flight: one refresh in flight, the other 401s waiting for it.',
      ],
    },
  },
  'refresh-token-missing': {
    label: 'no refresh token',
    meaning: 'an access token expired and the sign-in issued no refresh token to renew it',
    fixes: {
      users: ['Sign in again.'],
      developers: [
        'Ask for a refresh token at sign-in: the offline_access scope (OpenID Connect; Keycloak, Okta, Auth0, Microsoft), with prompt=consent where the provider requires it, and the refresh_token grant enabled for the client.',
        'Or renew before expiry some other way the provider supports, and send the user to sign in when the token has expired rather than retrying the call.',
      ],
    },
  },
  'refresh-token-expired': {
    label: 'refresh token expired',
    meaning: 'the provider refused the refresh token: it expired or was revoked',
    fixes: {
      users: ['Sign in again.'],
      developers: [
        'On invalid_grant from a refresh, clear the stored tokens and send the user to sign in; do not retry the refresh.',
        "Check the provider's refresh token lifetimes (idle and maximum, e.g. Keycloak's SSO Session Idle/Max) against how long users stay away.",
      ],
    },
  },
  'stale-token-after-refresh': {
    label: 'stale token after refresh',
    meaning: 'a request still carries a token that a completed refresh replaced',
    fixes: {
      users: ['Reload the page.'],
      developers: [
        'Read the current token for every request (an interceptor that reads the store), instead of a copy made once (a default header set at start-up, a closure, a second client instance).',
        'Retry the requests that failed during a refresh with the token the refresh returned.',
      ],
    },
  },
  'silent-renew-blocked': {
    label: 'silent renew blocked',
    meaning: "a prompt=none renew answered login_required while the provider's cookie was held but not sent",
    fixes: {
      users: ["Allow third-party cookies for the sign-in provider's site, or sign in again."],
      developers: [
        'Renew with a refresh token (with rotation) instead of a hidden frame: browsers withhold third-party cookies in frames (Safari, Firefox, Chrome with third-party cookies blocked).',
        "Or serve the provider from the app's own site (auth.example.com beside app.example.com), so its cookie is first-party; or use FedCM where the provider supports it.",
        'Treat login_required from a silent renew as signed out: send the user to an interactive sign-in.',
      ],
    },
  },
  'token-endpoint-cors': {
    label: 'token endpoint CORS',
    meaning: 'the page called the token endpoint and the CORS check kept the answer from it',
    fixes: {
      users: ['This is a configuration problem of the app or its sign-in provider; report it to its developers.'],
      developers: [
        "Allow the app's origin at the provider for browser calls to its token endpoint (Keycloak: the client's Web Origins; Auth0: Allowed Web Origins; Okta: Trusted Origins with CORS; Microsoft Entra: register the redirect URI under the Single-page application platform).",
        'Or redeem the code on your server (a backend-for-frontend) and give the browser a session cookie instead of tokens.',
      ],
    },
  },
  'public-client-auth': {
    label: 'client auth from a page',
    meaning: 'the page authenticated as a client at the token endpoint (a secret it cannot keep), or the provider wants client authentication a page cannot do',
    fixes: {
      users: ['This is a configuration problem of the app or its sign-in provider; report it to its developers.'],
      developers: [
        'Register a single-page app as a public client: no client secret (token_endpoint_auth_method none) and PKCE (Keycloak: Client authentication off; Auth0: Single Page Application, Token Endpoint Authentication Method None; Okta: SPA app, no client secret; Microsoft Entra: the Single-page application platform).',
        "Or keep the confidential client and redeem the code on your server (a backend-for-frontend): the secret stays there, the browser gets a session cookie.",
        'A secret that was ever sent from a page is public: rotate it at the provider.',
      ],
    },
  },
  'provider-error': {
    label: 'provider error',
    meaning: "an identity provider's documented error code, decoded",
    fixes: {
      users: ['Sign in again; if it keeps failing, report it to the app with the error shown.'],
      developers: ["Look the code up in the provider's documentation of its errors; the provider's own log says more than its answer."],
    },
  },
};
