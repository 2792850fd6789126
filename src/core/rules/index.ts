/**
 * The rule registry: one rule per cause id, one file per rule. The order here only breaks
 * ties within a tier and confidence; the meta-test checks every cause id is registered once.
 */
import type { Rule } from './rule.ts';
import proxyAuthRequired from './proxy-auth-required.ts';
import preflightUnauthenticated from './preflight-unauthenticated.ts';
import authDroppedOnRedirect from './auth-dropped-on-redirect.ts';
import negotiateRequired from './negotiate-required.ts';
import dpopNonceRequired from './dpop-nonce-required.ts';
import digestStaleNonce from './digest-stale-nonce.ts';
import doublePrefix from './double-prefix.ts';
import placeholderToken from './placeholder-token.ts';
import schemeMissing from './scheme-missing.ts';
import malformedToken from './malformed-token.ts';
import basicMalformed from './basic-malformed.ts';
import dpopSchemeMismatch from './dpop-scheme-mismatch.ts';
import schemeMismatch from './scheme-mismatch.ts';
import credentialsWrongPlace from './credentials-wrong-place.ts';
import tokenExpired from './token-expired.ts';
import tokenNotYetValid from './token-not-yet-valid.ts';
import sessionCookieExpired from './session-cookie-expired.ts';
import sessionCookieMissing from './session-cookie-missing.ts';
import cookieBlocked from './cookie-blocked.ts';
import cookieOutOfScope from './cookie-out-of-scope.ts';
import credentialsNotIncluded from './credentials-not-included.ts';
import tokenWrongAudience from './token-wrong-audience.ts';
import wrongTokenType from './wrong-token-type.ts';
import tokenRevoked from './token-revoked.ts';
import missingCredentials from './missing-credentials.ts';
import insufficientScope from './insufficient-scope.ts';
import invalidToken from './invalid-token.ts';
import invalidRequest from './invalid-request.ts';
import ipRestricted from './ip-restricted.ts';
import wrongCredentials from './wrong-credentials.ts';
import missingChallenge from './missing-challenge.ts';
import forbidden from './forbidden.ts';

export const RULES: readonly Rule[] = [
  proxyAuthRequired,
  preflightUnauthenticated,
  authDroppedOnRedirect,
  negotiateRequired,
  dpopNonceRequired,
  digestStaleNonce,
  doublePrefix,
  placeholderToken,
  schemeMissing,
  malformedToken,
  basicMalformed,
  dpopSchemeMismatch,
  schemeMismatch,
  wrongTokenType,
  credentialsWrongPlace,
  tokenExpired,
  tokenNotYetValid,
  sessionCookieExpired,
  sessionCookieMissing,
  cookieBlocked,
  cookieOutOfScope,
  credentialsNotIncluded,
  tokenWrongAudience,
  tokenRevoked,
  missingCredentials,
  insufficientScope,
  invalidToken,
  invalidRequest,
  ipRestricted,
  wrongCredentials,
  missingChallenge,
  forbidden,
];
