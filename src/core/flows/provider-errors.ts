/**
 * Identity providers' own error codes and messages, decoded: what a provider's answer means in
 * plain words and what fixes it, for the `provider-error` finding. Each entry is matched against
 * the OAuth `error` and `error_description` a callback or a token answer carried.
 */

export interface ProviderErrorMeaning {
  provider: string;
  /** The code or message as the provider writes it. */
  code: string;
  meaning: string;
  fix: string;
}

interface Entry extends ProviderErrorMeaning {
  test: RegExp;
}

const entra = (code: string, meaning: string, fix: string): Entry => ({ provider: 'Microsoft Entra ID', code, test: new RegExp(`\\b${code}\\b`), meaning, fix });
const said = (provider: string, code: string, test: RegExp, meaning: string, fix: string): Entry => ({ provider, code, test, meaning, fix });

const CATALOGUE: readonly Entry[] = [
  entra('AADSTS50011', 'the redirect URI of the request is not one registered for the app', 'Add the exact redirect URI (scheme, host, port, path, trailing slash) to the app registration, under the platform the app is (Single-page application for a browser app).'),
  entra('AADSTS9002326', 'a browser redeemed the code, but the redirect URI is registered under the "Web" platform: cross-origin token redemption is allowed only for the Single-page application platform', 'Move the redirect URI to the "Single-page application" platform in the app registration.'),
  entra('AADSTS700084', 'the refresh token was issued to a single-page app, whose refresh tokens live at most 24 hours', 'Sign the user in again when it expires (a silent renew with the provider session, else interactively): a SPA refresh token cannot be extended.'),
  entra('AADSTS50058', 'a silent sign-in found no signed-in user: the session cookie was not sent (third-party cookies in a hidden frame) or has expired', 'Treat it as signed out and sign in interactively; renew with refresh tokens rather than a hidden frame.'),
  entra('AADSTS65001', 'the user or an administrator has not consented to the scopes asked', 'Ask for the scopes interactively (prompt=consent), or grant admin consent for the tenant.'),
  entra('AADSTS700054', "response_type 'id_token' is not enabled for the app", 'Use the authorization code flow with PKCE (response_type=code), or enable ID tokens in the registration.'),
  entra('AADSTS54005', 'the authorization code was already redeemed', 'Redeem a code once: guard the callback against running twice.'),
  entra('AADSTS70008', 'the authorization code or refresh token expired (inactivity)', 'Sign the user in again.'),
  entra('AADSTS50173', 'the grant was revoked (a password change or reset)', 'Sign the user in again.'),
  entra('AADSTS500011', 'the scope names an API (resource) that this tenant does not know', "Check the scope's application ID URI (api://…) and that the API is registered and consented in this tenant."),
  said('Keycloak', 'Code not valid', /^Code not valid$/i, 'the authorization code is unknown, expired, or already redeemed', 'Redeem the code once and at once; check that the token request goes to the same realm as the authorize request.'),
  said('Keycloak', 'Token is not active', /^Token is not active$/i, "the refresh token expired: the realm's SSO Session Idle or Max (or Client Session Idle) ran out", "Sign the user in again; if it happens too soon, raise the realm's session timeouts (Realm settings → Sessions)."),
  said('Keycloak', 'Session not active', /^Session not active$/i, "the user's SSO session at Keycloak ended (signed out, expired, or removed by an admin)", 'Sign the user in again.'),
  said('Keycloak', 'Stale token', /^Stale token$/i, 'a refresh token already used was sent again while "Revoke Refresh Token" is on (rotation)', 'Refresh single-flight, and store each new refresh token at once.'),
  said('Keycloak', 'Incorrect redirect_uri', /^Incorrect redirect_uri$/i, "the token request's redirect_uri is not the authorize request's", 'Send the same redirect_uri in both requests, byte for byte.'),
  said('Keycloak', 'PKCE verification failed', /^PKCE verification failed/i, "the code_verifier does not match the authorize request's code_challenge", 'Send the verifier stored with the state the callback returned.'),
  said('Auth0', 'Unknown or invalid refresh token.', /^Unknown or invalid refresh token\.?$/i, 'the refresh token is unknown, expired or revoked — with rotation on, reusing one revokes its whole family', 'Refresh single-flight (and across tabs); on this answer, sign the user in again.'),
  said('Auth0', 'Invalid authorization code', /^Invalid authorization code$/i, 'the authorization code is unknown, expired, or already redeemed', 'Redeem the code once and at once.'),
  said('Auth0', 'Failed to verify code verifier', /^Failed to verify code verifier$/i, "the code_verifier does not match the authorize request's code_challenge", 'Send the verifier stored with the state the callback returned.'),
  said('Google', 'Token has been expired or revoked.', /^Token has been expired or revoked\.?$/i, 'the refresh token expired or was revoked (the user removed access; a consent screen in "Testing" status expires refresh tokens after 7 days)', 'Sign the user in again; publish the consent screen for refresh tokens that last.'),
  said('Okta', 'The refresh token is invalid or expired.', /^The refresh token is invalid or expired\.?$/i, 'the refresh token expired, was revoked, or (with rotation) was already used', 'Refresh single-flight; on this answer, sign the user in again.'),
  said('Okta', 'The authorization code is invalid or has expired.', /^The authorization code is invalid or has expired\.?$/i, 'the authorization code is unknown, expired, or already redeemed', 'Redeem the code once and at once.'),
  said('Amazon Cognito', 'Refresh Token has expired', /^Refresh Token has expired$/i, "the refresh token outlived the app client's refresh token expiration", "Sign the user in again; the lifetime is the app client's setting."),
  said('Amazon Cognito', 'Invalid Refresh Token', /^Invalid Refresh Token$/i, 'the refresh token is unknown or revoked (a global sign-out revokes them)', 'Sign the user in again.'),
  said('Ory Hydra', 'redirect_uri not pre-registered', /redirect_uri' parameter does not match any of the OAuth 2\.0 Client's pre-registered redirect urls/i, "the redirect_uri is not one of the client's registered redirect URIs", "Add the exact redirect URI to the OAuth 2.0 client's redirect_uris (hydra update client, or the admin API)."),
  said('Ory Hydra', 'PKCE mismatch', /PKCE code challenge did not match the code verifier/i, "the code_verifier does not match the authorize request's code_challenge", 'Send the verifier stored with the state the callback returned.'),
  said('Ory Hydra', 'invalid grant', /^The provided authorization grant \(e\.g\., authorization code, resource owner credentials\) or refresh token is invalid, expired, revoked/i, 'the code or refresh token is invalid, expired, revoked, was issued to another client, or the redirect_uri differs from the authorize request\'s (Hydra says which in its log, with the request id)', "Read Hydra's log for the request; the flow's other steps here may already say which."),
  said('node oidc-provider', 'grant request is invalid', /^grant request is invalid$/i, 'the provider refused the grant and keeps the reason in its own log (error_detail): an unknown, expired or used code or refresh token, another redirect_uri, or a PKCE mismatch', "Read the provider's log for the error_detail; the flow's other steps here may already say which."),
];

/** What a provider's error means, or undefined when it is not in the catalogue. */
export function providerErrorMeaning(error: string | undefined, description: string | undefined): ProviderErrorMeaning | undefined {
  for (const text of [description, error]) {
    if (!text) continue;
    const hit = CATALOGUE.find((e) => e.test.test(text.trim().slice(0, 500)));
    if (hit) return { provider: hit.provider, code: hit.code, meaning: hit.meaning, fix: hit.fix };
  }
  return undefined;
}
