/** The rule for `token-revoked` (DESIGN.md, "Causes"): when the evidence fits it, and the finding it writes. */
import { duration, iso, when } from '../verdict/time.ts';
import { defineRule } from './rule.ts';
import { credentialsEvidence, quote, timeKnown } from './words.ts';
import { isExpiredAt } from '../tokens/token-times.ts';

const SAYS_REVOKED = /revoked|logged out|signed out|session (has )?(ended|terminated|invalidated)|no longer (valid|active)|deactivated|blacklist|denylist|invalidated/i;

export default defineRule('token-revoked', (f) => {
  if (f.status !== 401 || !f.credentials || f.credentials.scheme === 'basic') return undefined;
  const said = f.stated?.view.errorDescription;
  const saysRevoked = said !== undefined && SAYS_REVOKED.test(said);
  const exp = f.token?.info.exp;
  const expired = exp !== undefined && timeKnown(f) && isExpiredAt(exp, f.at, f.skewMs);
  if (expired) return undefined;
  const earlier = f.context.sameCredentials;
  if (!earlier && !saysRevoked) return undefined;
  const notExpired = exp !== undefined ? `It has not expired (exp ${when(exp * 1000, f.at, 'this request')})` : 'It has no exp claim to say it expired';
  if (earlier) {
    return {
      confidence: saysRevoked ? 'high' : 'medium',
      title: `The same token worked ${timeKnown(f) && !Number.isNaN(earlier.at) ? (f.at - earlier.at < 1000 ? 'moments' : duration(f.at - earlier.at)) : ''} earlier and is now refused: it was probably revoked`.replace('  ', ' '),
      explanation: `This exact ${f.credentialHeader} value got ${earlier.status} from ${earlier.url} at ${iso(earlier.at)}. ${notExpired}, yet the server now answers 401${said ? `: ${quote(said)}` : ''}. The token was most likely revoked, or the session behind it ended (sign-out elsewhere, password change, an administrator).`,
      plain: `You were signed out of ${f.host || 'this site'} (your session was ended elsewhere).`,
      evidence: [
        { kind: 'timeline', label: `${earlier.status} with the same credentials`, value: `${iso(earlier.at)} ${earlier.url}` },
        credentialsEvidence(f),
        ...(exp !== undefined ? [{ kind: 'claim' as const, label: 'exp', value: `${exp} (${iso(exp * 1000)})`, note: 'not yet passed' }] : []),
      ],
    };
  }
  return {
    confidence: 'high',
    title: `The server says the token was revoked: ${quote(said!, 120)}`,
    explanation: `The server refused the token as revoked (${quote(said!)}). ${notExpired}. Get a new token by signing in again or refreshing.`,
    plain: `You were signed out of ${f.host || 'this site'}.`,
    evidence: [credentialsEvidence(f)],
  };
});
