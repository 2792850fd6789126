/** The rule for `invalid-token` (DESIGN.md, "Causes"): when the evidence fits it, and the finding it writes. */
import { iso } from '../verdict/time.ts';
import { defineRule } from './rule.ts';
import { challengeEvidence, credentialsEvidence, statedDescription } from './words.ts';

/** RFC 6750 §3.1 invalid_token (and RFC 9449 §7.1 invalid_dpop_proof). */
export default defineRule('invalid-token', (f) => {
  const error = f.stated?.view.error;
  if (error !== 'invalid_token' && error !== 'invalid_dpop_proof') return undefined;
  const info = f.token?.info;
  const about =
    info?.kind === 'jwt'
      ? ` The token is a JWT${info.iss ? ` from ${info.iss}` : ''}${info.aud ? ` for ${info.aud.join(', ')}` : ''}${info.exp !== undefined ? `, exp ${iso(info.exp * 1000)}` : ''}: compare its issuer, audience and signing key with what the server expects.`
      : info?.kind === 'opaque'
        ? ' The token is opaque (not a JWT): only the server knows why it refused it.'
        : '';
  if (error === 'invalid_dpop_proof') {
    return {
      confidence: 'high',
      title: `The server refused the DPoP proof (error "invalid_dpop_proof")${statedDescription(f)}`,
      explanation: `The DPoP proof header was refused${statedDescription(f)}: it must be a fresh JWT signed by the token's key, with the right htm (method), htu (URL), iat and, when asked, nonce (RFC 9449 §4.3).`,
      plain: 'The app sent a broken security proof with your sign-in; this is a problem in the app.',
      evidence: [challengeEvidence(f), { kind: 'request-header', label: 'DPoP', value: '[redacted proof]' }],
    };
  }
  return {
    confidence: 'medium',
    title: `The server says the token is invalid${statedDescription(f)}`,
    explanation: `${f.challengeHeader} carries error="invalid_token"${statedDescription(f)}: the server refused the token as expired, revoked, malformed, or issued for another API (RFC 6750 §3.1), without saying more.${about}`,
    plain: `Your sign-in to ${f.host || 'this site'} is no longer accepted.`,
    evidence: [challengeEvidence(f), credentialsEvidence(f)],
  };
});
