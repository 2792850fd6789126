/**
 * What auth libraries and identity providers say in their response bodies (most say why there,
 * not in WWW-Authenticate), each message or code mapped to a cause, with its source. Bodies are
 * evidence only where they exist (imported HARs; the panel while DevTools records): the
 * diagnosis never needs them, and a quote from one is redacted like any other network text.
 *
 * Every entry has a fixture in test/fixtures/bodies/: recorded.json holds real responses of the
 * Node libraries (scripts/record-body-fixtures.mjs, versions in the file), transcribed.json the
 * responses of the others as their source or documentation writes them (cited per entry).
 * Patterns are literal text with few alternatives: linear on any input.
 */
import type { CauseId } from './causes.ts';

export interface BodySignal {
  id: string;
  /** Who says it (library or provider, with the version the text was taken from). */
  provider: string;
  /** Where the text comes from: a file in the library's source, or a documentation page. */
  source: string;
  /** Matched against the body's text values (and the challenge's error_description). */
  pattern: RegExp;
  cause: CauseId;
  /** What the message means, in a few words. */
  means: string;
}

export const BODY_SIGNALS: readonly BodySignal[] = [
  // ---- jsonwebtoken 9 (Node), also through express-jwt 8 and koa-jwt 4 (recorded) ----
  { id: 'jsonwebtoken-expired', provider: 'jsonwebtoken', source: 'auth0/node-jsonwebtoken lib/TokenExpiredError.js, verify.js ("jwt expired")', pattern: /\bjwt expired\b/, cause: 'token-expired', means: 'the token’s exp has passed' },
  { id: 'jsonwebtoken-not-active', provider: 'jsonwebtoken', source: 'auth0/node-jsonwebtoken lib/NotBeforeError.js, verify.js ("jwt not active")', pattern: /\bjwt not active\b/, cause: 'token-not-yet-valid', means: 'the token’s nbf lies in the future' },
  { id: 'jsonwebtoken-audience', provider: 'jsonwebtoken', source: 'auth0/node-jsonwebtoken verify.js ("jwt audience invalid. expected: …")', pattern: /\bjwt audience invalid\b/, cause: 'token-wrong-audience', means: 'the token’s aud is not this API' },
  { id: 'jsonwebtoken-signature', provider: 'jsonwebtoken', source: 'auth0/node-jsonwebtoken verify.js ("invalid signature")', pattern: /^invalid signature$/i, cause: 'invalid-token', means: 'the signature does not verify with the server’s key' },
  { id: 'jsonwebtoken-malformed', provider: 'jsonwebtoken', source: 'auth0/node-jsonwebtoken verify.js ("jwt malformed")', pattern: /\bjwt malformed\b/, cause: 'malformed-token', means: 'the token is not a well-formed JWT' },
  { id: 'express-jwt-required', provider: 'express-jwt', source: 'auth0/express-jwt src/index.ts (code "credentials_required", "No authorization token was found")', pattern: /\bcredentials_required\b|No authorization token was found/i, cause: 'missing-credentials', means: 'no token was found in the request' },
  { id: 'express-jwt-bad-scheme', provider: 'express-jwt', source: 'auth0/express-jwt src/index.ts (code "credentials_bad_scheme", "Format is Authorization: Bearer [token]")', pattern: /\bcredentials_bad_scheme\b|Format is Authorization: Bearer \[token\]/i, cause: 'scheme-mismatch', means: 'the Authorization header does not use the Bearer scheme' },
  { id: 'express-jwt-revoked', provider: 'express-jwt', source: 'auth0/express-jwt src/index.ts (code "revoked_token", "The token has been revoked.")', pattern: /\brevoked_token\b|The token has been revoked/i, cause: 'token-revoked', means: 'the server revoked this token' },
  { id: 'koa-jwt-not-found', provider: 'koa-jwt', source: 'koajs/jwt lib/index.js ("Token not found")', pattern: /^Token not found$/i, cause: 'missing-credentials', means: 'no token was found in the request' },
  { id: 'koa-jwt-format', provider: 'koa-jwt', source: 'koajs/jwt lib/resolvers/auth-header.js ("Bad Authorization header format. Format is \"Authorization: Bearer <token>\"")', pattern: /Bad Authorization header format/i, cause: 'scheme-mismatch', means: 'the Authorization header is not "Bearer <token>"' },
  { id: 'koa-jwt-revoked', provider: 'koa-jwt', source: 'koajs/jwt lib/index.js ("Token revoked")', pattern: /^Token revoked$/i, cause: 'token-revoked', means: 'the server revoked this token' },

  // ---- jose 5 (Node, browsers), also through express-oauth2-jwt-bearer 1 (recorded) ----
  { id: 'jose-exp', provider: 'jose', source: 'panva/jose src/lib/jwt_claims_set.ts (ERR_JWT_EXPIRED, "\"exp\" claim timestamp check failed")', pattern: /\bERR_JWT_EXPIRED\b|["']exp["'] claim timestamp check failed/i, cause: 'token-expired', means: 'the token’s exp has passed' },
  { id: 'jose-nbf', provider: 'jose', source: 'panva/jose src/lib/jwt_claims_set.ts ("\"nbf\" claim timestamp check failed")', pattern: /["']nbf["'] claim timestamp check failed/i, cause: 'token-not-yet-valid', means: 'the token’s nbf lies in the future' },
  { id: 'jose-aud', provider: 'jose', source: 'panva/jose src/lib/jwt_claims_set.ts ("unexpected \"aud\" claim value"); express-oauth2-jwt-bearer ("Unexpected \'aud\' value")', pattern: /unexpected ["']aud["'] (claim )?value/i, cause: 'token-wrong-audience', means: 'the token’s aud is not this API' },
  { id: 'jose-signature', provider: 'jose; PyJWT', source: 'panva/jose src/util/errors.ts (ERR_JWS_SIGNATURE_VERIFICATION_FAILED, "signature verification failed"); jpadilla/pyjwt jwt/api_jws.py ("Signature verification failed")', pattern: /\bERR_JWS_SIGNATURE_VERIFICATION_FAILED\b|^signature verification failed$/i, cause: 'invalid-token', means: 'the signature does not verify with the server’s key' },
  { id: 'jose-invalid-jws', provider: 'jose', source: 'panva/jose src/jws/compact/verify.ts ("Invalid Compact JWS"); express-oauth2-jwt-bearer ("Invalid Token or Protected Header formatting")', pattern: /Invalid Compact JWS|Invalid Token or Protected Header formatting/i, cause: 'malformed-token', means: 'the token is not a well-formed JWT' },

  // ---- @fastify/jwt 8 and fast-jwt (recorded) ----
  { id: 'fastify-jwt-missing', provider: '@fastify/jwt', source: '@fastify/jwt jwt.js (FST_JWT_NO_AUTHORIZATION_IN_HEADER, "No Authorization was found in request.headers")', pattern: /\bFST_JWT_NO_AUTHORIZATION_IN_(HEADER|COOKIE)\b|No Authorization was found in request/i, cause: 'missing-credentials', means: 'no token was found in the request' },
  { id: 'fastify-jwt-expired', provider: '@fastify/jwt', source: '@fastify/jwt jwt.js (FST_JWT_AUTHORIZATION_TOKEN_EXPIRED, "Authorization token expired")', pattern: /\bFST_JWT_AUTHORIZATION_TOKEN_EXPIRED\b|^Authorization token expired$/i, cause: 'token-expired', means: 'the token’s exp has passed' },
  { id: 'fast-jwt-aud', provider: 'fast-jwt', source: 'nearform/fast-jwt src/verifier.js ("The aud claim value is not allowed.")', pattern: /The aud claim value is not allowed/i, cause: 'token-wrong-audience', means: 'the token’s aud is not this API' },
  { id: 'fast-jwt-signature', provider: 'fast-jwt', source: 'nearform/fast-jwt src/verifier.js ("The token signature is invalid.")', pattern: /The token signature is invalid/i, cause: 'invalid-token', means: 'the signature does not verify with the server’s key' },
  { id: 'fast-jwt-malformed', provider: 'fast-jwt', source: 'nearform/fast-jwt src/decoder.js ("The token is malformed.")', pattern: /The token is malformed/i, cause: 'malformed-token', means: 'the token is not a well-formed JWT' },

  // ---- Django REST framework 3 and simplejwt 5 (transcribed) ----
  { id: 'drf-not-authenticated', provider: 'Django REST framework', source: 'encode/django-rest-framework rest_framework/exceptions.py NotAuthenticated.default_detail', pattern: /Authentication credentials were not provided/i, cause: 'missing-credentials', means: 'no credentials reached the view' },
  { id: 'drf-invalid-token', provider: 'Django REST framework', source: 'encode/django-rest-framework rest_framework/authentication.py TokenAuthentication ("Invalid token.")', pattern: /^Invalid token\.$/i, cause: 'invalid-token', means: 'no such token exists on the server' },
  { id: 'drf-token-header', provider: 'Django REST framework', source: 'encode/django-rest-framework rest_framework/authentication.py ("Invalid token header. No credentials provided." / "… Token string should not contain spaces.")', pattern: /Invalid (token|basic) header\. (No credentials provided|Token string should not contain spaces|Credentials string should not contain spaces)/i, cause: 'malformed-token', means: 'the Authorization header has no token, or a token with spaces' },
  { id: 'drf-username-password', provider: 'Django REST framework', source: 'encode/django-rest-framework rest_framework/authentication.py BasicAuthentication ("Invalid username/password.")', pattern: /Invalid username\/password/i, cause: 'wrong-credentials', means: 'the user name or password is wrong' },
  { id: 'simplejwt-not-valid', provider: 'djangorestframework-simplejwt', source: 'jazzband/djangorestframework-simplejwt rest_framework_simplejwt/authentication.py (code "token_not_valid", "Given token not valid for any token type")', pattern: /Given token not valid for any token type|\btoken_not_valid\b/i, cause: 'invalid-token', means: 'the token is expired, malformed or not signed by this server' },
  { id: 'simplejwt-blacklisted', provider: 'djangorestframework-simplejwt', source: 'jazzband/djangorestframework-simplejwt rest_framework_simplejwt/tokens.py ("Token is blacklisted")', pattern: /Token is blacklisted/i, cause: 'token-revoked', means: 'the token was blacklisted (revoked)' },

  // ---- FastAPI 0.1xx and PyJWT 2 (transcribed) ----
  { id: 'fastapi-not-authenticated', provider: 'FastAPI', source: 'fastapi/fastapi fastapi/security/http.py and oauth2.py (detail "Not authenticated")', pattern: /^Not authenticated$/i, cause: 'missing-credentials', means: 'no Authorization header (or no token) reached the route' },
  { id: 'fastapi-invalid-credentials', provider: 'FastAPI', source: 'fastapi/fastapi fastapi/security/http.py HTTPBearer (detail "Invalid authentication credentials": the scheme is not Bearer)', pattern: /^Invalid authentication credentials$/i, cause: 'scheme-mismatch', means: 'the Authorization header does not use the Bearer scheme' },
  { id: 'pyjwt-expired', provider: 'PyJWT', source: 'jpadilla/pyjwt jwt/api_jwt.py _validate_exp ("Signature has expired")', pattern: /Signature has expired/i, cause: 'token-expired', means: 'the token’s exp has passed' },
  { id: 'pyjwt-immature', provider: 'PyJWT', source: 'jpadilla/pyjwt jwt/api_jwt.py _validate_nbf / _validate_iat ("The token is not yet valid (nbf)")', pattern: /The token is not yet valid \((nbf|iat)\)/i, cause: 'token-not-yet-valid', means: 'the token’s nbf or iat lies in the future' },
  { id: 'pyjwt-audience', provider: 'PyJWT', source: 'jpadilla/pyjwt jwt/api_jwt.py _validate_aud ("Invalid audience")', pattern: /^Invalid audience$/i, cause: 'token-wrong-audience', means: 'the token’s aud is not this API' },
  { id: 'pyjwt-segments', provider: 'PyJWT', source: 'jpadilla/pyjwt jwt/api_jws.py _load ("Not enough segments")', pattern: /^Not enough segments$/i, cause: 'malformed-token', means: 'the token is not a well-formed JWT' },

  // ---- golang-jwt v5 (transcribed) ----
  { id: 'golang-jwt-expired', provider: 'golang-jwt', source: 'golang-jwt/jwt v5 errors.go ErrTokenExpired ("token is expired", wrapped as "token has invalid claims: token is expired")', pattern: /\btoken is expired\b/i, cause: 'token-expired', means: 'the token’s exp has passed' },
  { id: 'golang-jwt-not-yet', provider: 'golang-jwt', source: 'golang-jwt/jwt v5 errors.go ErrTokenNotValidYet ("token is not valid yet") and ErrTokenUsedBeforeIssued', pattern: /\btoken is not valid yet\b|\btoken used before issued\b/i, cause: 'token-not-yet-valid', means: 'the token’s nbf or iat lies in the future' },
  { id: 'golang-jwt-malformed', provider: 'golang-jwt', source: 'golang-jwt/jwt v5 errors.go ErrTokenMalformed ("token is malformed")', pattern: /\btoken is malformed\b/i, cause: 'malformed-token', means: 'the token is not a well-formed JWT' },
  { id: 'golang-jwt-signature', provider: 'golang-jwt', source: 'golang-jwt/jwt v5 errors.go ErrTokenSignatureInvalid ("token signature is invalid")', pattern: /\btoken signature is invalid\b/i, cause: 'invalid-token', means: 'the signature does not verify with the server’s key' },
  { id: 'golang-jwt-audience', provider: 'golang-jwt', source: 'golang-jwt/jwt v5 errors.go ErrTokenInvalidAudience ("token has invalid audience")', pattern: /\btoken has invalid audience\b/i, cause: 'token-wrong-audience', means: 'the token’s aud is not this API' },

  // ---- ASP.NET Core JwtBearer (transcribed; both wordings across versions) ----
  { id: 'aspnet-expired', provider: 'ASP.NET Core JwtBearer', source: 'dotnet/aspnetcore src/Security/Authentication/JwtBearer/src/JwtBearerHandler.cs CreateErrorDescription ("The token expired at \'…\'", before 5.0 "The token is expired")', pattern: /The token expired at '|^The token is expired$/i, cause: 'token-expired', means: 'the token’s exp has passed' },
  { id: 'aspnet-audience', provider: 'ASP.NET Core JwtBearer', source: 'dotnet/aspnetcore JwtBearerHandler.cs ("The audience \'…\' is invalid", before 5.0 "The audience is invalid")', pattern: /The audience ('[^']{0,300}' )?is invalid/i, cause: 'token-wrong-audience', means: 'the token’s aud is not this API' },
  { id: 'aspnet-signature', provider: 'ASP.NET Core JwtBearer', source: 'dotnet/aspnetcore JwtBearerHandler.cs ("The signature is invalid", "The signature key was not found")', pattern: /The signature is invalid|The signature key was not found/i, cause: 'invalid-token', means: 'the signature does not verify with the server’s keys' },
  { id: 'aspnet-not-yet', provider: 'ASP.NET Core JwtBearer', source: 'dotnet/aspnetcore JwtBearerHandler.cs ("The token is not valid before \'…\'", before 5.0 "The token is not valid yet")', pattern: /The token is not valid (before '|yet\b)/i, cause: 'token-not-yet-valid', means: 'the token’s nbf lies in the future' },

  // ---- Spring Security 6 (transcribed) ----
  { id: 'spring-full-authentication', provider: 'Spring Security', source: 'spring-projects/spring-security core/src/main/resources/org/springframework/security/messages.properties ExceptionTranslationFilter.insufficientAuthentication', pattern: /Full authentication is required to access this resource/i, cause: 'missing-credentials', means: 'the request was anonymous' },
  { id: 'spring-bad-credentials', provider: 'Spring Security; GitHub API', source: 'spring-security messages.properties AbstractUserDetailsAuthenticationProvider.badCredentials ("Bad credentials"); docs.github.com REST "Bad credentials"', pattern: /^Bad credentials$/i, cause: 'wrong-credentials', means: 'the credentials are wrong' },
  { id: 'spring-jwt-expired', provider: 'Spring Security OAuth2 Resource Server', source: 'spring-security oauth2-jose JwtTimestampValidator ("Jwt expired at …")', pattern: /\bJwt expired at\b/i, cause: 'token-expired', means: 'the token’s exp has passed' },
  { id: 'spring-jwt-malformed', provider: 'Spring Security OAuth2 Resource Server', source: 'spring-security oauth2-jose NimbusJwtDecoder ("An error occurred while attempting to decode the Jwt: Malformed token")', pattern: /attempting to decode the Jwt: (Malformed|Invalid) (token|JWT)/i, cause: 'malformed-token', means: 'the token is not a well-formed JWT' },

  // ---- Identity providers and APIs (transcribed from their documentation) ----
  { id: 'keycloak-verification-failed', provider: 'Keycloak', source: 'keycloak services UserInfoEndpoint / TokenManager ("Token verification failed")', pattern: /Token verification failed/i, cause: 'invalid-token', means: 'the token failed verification (expired, revoked, wrong realm or key)' },
  { id: 'keycloak-not-active', provider: 'Keycloak', source: 'keycloak token introspection and userinfo ("Token is not active")', pattern: /^Token is not active$/i, cause: 'token-revoked', means: 'the session behind the token ended' },
  { id: 'okta-invalid-token', provider: 'Okta', source: 'developer.okta.com/docs/reference/error-codes E0000011 ("Invalid token provided")', pattern: /\bE0000011\b|Invalid token provided/i, cause: 'invalid-token', means: 'the token is not valid for this Okta org' },
  { id: 'okta-authentication-failed', provider: 'Okta', source: 'developer.okta.com/docs/reference/error-codes E0000004 ("Authentication failed")', pattern: /\bE0000004\b/i, cause: 'wrong-credentials', means: 'the credentials are wrong' },
  { id: 'azure-token-expired', provider: 'Microsoft Entra ID (Azure AD)', source: 'learn.microsoft.com/entra/identity-platform/reference-error-codes AADSTS700082 (refresh token expired), AADSTS70008 (grant expired)', pattern: /\bAADSTS(700082|70008)\b/i, cause: 'token-expired', means: 'the token or grant has expired' },
  { id: 'azure-revoked', provider: 'Microsoft Entra ID (Azure AD)', source: 'learn.microsoft.com reference-error-codes AADSTS50173 ("The provided grant has expired due to it being revoked")', pattern: /\bAADSTS50173\b/i, cause: 'token-revoked', means: 'the grant was revoked (password change, sign-out everywhere)' },
  { id: 'azure-audience', provider: 'Microsoft Entra ID (Azure AD)', source: 'learn.microsoft.com reference-error-codes AADSTS500011 (resource principal not found), AADSTS50013 (invalid assertion)', pattern: /\bAADSTS500011\b/i, cause: 'token-wrong-audience', means: 'the token was requested for a resource this tenant does not have' },
  { id: 'graph-invalid-token', provider: 'Microsoft Graph', source: 'learn.microsoft.com/graph/errors (code "InvalidAuthenticationToken", "Access token has expired or is not yet valid.")', pattern: /Access token has expired or is not yet valid/i, cause: 'token-expired', means: 'the token has expired (or its nbf is in the future)' },
  { id: 'google-unauthenticated', provider: 'Google APIs', source: 'cloud.google.com/apis/design/errors (status UNAUTHENTICATED, "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.")', pattern: /Request had invalid authentication credentials/i, cause: 'invalid-token', means: 'the access token is not valid (expired, revoked, or for another project)' },
  { id: 'google-token-expired', provider: 'Google APIs', source: 'cloud.google.com/apis/design/errors ErrorInfo reason ACCESS_TOKEN_EXPIRED', pattern: /\bACCESS_TOKEN_EXPIRED\b/, cause: 'token-expired', means: 'the access token has expired' },
  { id: 'google-credentials-missing', provider: 'Google APIs', source: 'cloud.google.com/apis/design/errors ErrorInfo reason CREDENTIALS_MISSING', pattern: /\bCREDENTIALS_MISSING\b/, cause: 'missing-credentials', means: 'no credentials were sent' },
  { id: 'github-requires-authentication', provider: 'GitHub API', source: 'docs.github.com/rest (401 "Requires authentication")', pattern: /^Requires authentication$/i, cause: 'missing-credentials', means: 'no credentials were sent' },
  { id: 'slack-not-authed', provider: 'Slack Web API', source: 'api.slack.com/web#responses (error "not_authed")', pattern: /^not_authed$/, cause: 'missing-credentials', means: 'no token was sent' },
  { id: 'slack-invalid-auth', provider: 'Slack Web API', source: 'api.slack.com/web#responses (error "invalid_auth")', pattern: /^invalid_auth$/, cause: 'wrong-credentials', means: 'the token is not valid' },
  { id: 'slack-token-revoked', provider: 'Slack Web API', source: 'api.slack.com/web#responses (error "token_revoked")', pattern: /^token_revoked$/, cause: 'token-revoked', means: 'the token was revoked' },
  { id: 'slack-token-expired', provider: 'Slack Web API', source: 'api.slack.com/authentication/rotation (error "token_expired")', pattern: /^token_expired$/, cause: 'token-expired', means: 'the token has expired (token rotation)' },
  { id: 'laravel-unauthenticated', provider: 'Laravel', source: 'laravel/framework src/Illuminate/Auth/AuthenticationException.php ("Unauthenticated.")', pattern: /^Unauthenticated\.$/, cause: 'missing-credentials', means: 'no session or token identified the user' },
  { id: 'stripe-no-key', provider: 'Stripe API', source: 'docs.stripe.com/api/authentication ("You did not provide an API key.")', pattern: /You did not provide an API key/i, cause: 'missing-credentials', means: 'no API key was sent' },
  { id: 'stripe-invalid-key', provider: 'Stripe API', source: 'docs.stripe.com/api/authentication ("Invalid API Key provided: …")', pattern: /Invalid API Key provided/i, cause: 'wrong-credentials', means: 'the API key is not valid' },
];

/** A catalogue entry that matched, with the text it matched in (quote it redacted). */
export interface MatchedSignal {
  signal: BodySignal;
  text: string;
}

const MAX_TEXTS = 64;
const MAX_TEXT = 500;

/** The texts a body says things in: JSON string values (and the body itself when it is not JSON), bounded. */
export function bodyTexts(body: string): string[] {
  const out: string[] = [];
  const trimmed = body.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const stack: unknown[] = [JSON.parse(trimmed) as unknown];
      let visited = 0;
      while (stack.length > 0 && out.length < MAX_TEXTS && visited++ < 2000) {
        const v = stack.pop();
        if (typeof v === 'string') {
          if (v.trim() !== '') out.push(v.trim().slice(0, MAX_TEXT));
        } else if (Array.isArray(v)) stack.push(...v.slice(0, 100).reverse());
        else if (v && typeof v === 'object') stack.push(...Object.values(v).slice(0, 100).reverse());
      }
      return out;
    } catch {
      // not JSON after all
    }
  }
  for (const line of trimmed.slice(0, 4000).split(/\r?\n/)) {
    const t = line.trim();
    if (t !== '') out.push(t.slice(0, MAX_TEXT));
    if (out.length >= 8) break;
  }
  return out;
}

/** The catalogue's entries that the texts match, one per cause, in catalogue order. */
export function matchBodySignals(texts: readonly string[]): MatchedSignal[] {
  const out: MatchedSignal[] = [];
  const causes = new Set<CauseId>();
  for (const signal of BODY_SIGNALS) {
    if (causes.has(signal.cause)) continue;
    const text = texts.find((t) => signal.pattern.test(t));
    if (text === undefined) continue;
    causes.add(signal.cause);
    out.push({ signal, text });
  }
  return out;
}
