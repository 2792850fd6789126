/** The rule for `token-not-yet-valid` (DESIGN.md, "Causes"): when the evidence fits it, and the finding it writes. */
import { duration, iso, when } from '../verdict/time.ts';
import { isIssuedInFutureAt, isNotYetValidAt } from '../tokens/token-times.ts';
import { defineRule } from './rule.ts';
import { claimEvidence, credentialsEvidence, quote, timeKnown } from './words.ts';

/** RFC 7519 §4.1.5 (nbf) and §4.1.6 (iat): a token from the future means the clocks disagree. */
export default defineRule('token-not-yet-valid', (f) => {
  const t = f.token;
  if (!t || !timeKnown(f)) return undefined;
  const { nbf, iat } = t.info;
  const said = f.stated?.view.errorDescription;
  const saysEarly = said !== undefined && /not (yet )?(valid|active)|before|nbf|\biat\b|future|clock|skew/i.test(said);
  if (nbf !== undefined && isNotYetValidAt(nbf, f.at, f.skewMs)) {
    return {
      confidence: 'high',
      title: `The token is not valid until ${when(nbf * 1000, f.at, 'this request')}`,
      explanation: `The token's nbf ("not before") claim is ${iso(nbf * 1000)}, ${duration(nbf * 1000 - f.at)} after the request was sent (${iso(f.at)}). Tokens are used right after they are issued, so this means the clock of the machine that issued the token and the clock here disagree by at least that much.${saysEarly ? ` The server says: ${quote(said!)}.` : ''}`,
      plain: "Your computer's clock (or the server's) seems to be wrong.",
      evidence: [claimEvidence('nbf', nbf, 'after the request time'), { kind: 'timeline', label: 'Request time', value: iso(f.at) }, credentialsEvidence(f)],
    };
  }
  if (iat !== undefined && isIssuedInFutureAt(iat, f.at, f.skewMs)) {
    return {
      confidence: 'medium',
      title: `The token was issued in the future: iat is ${when(iat * 1000, f.at, 'this request')}`,
      explanation: `The token's iat ("issued at") claim is ${iso(iat * 1000)}, ${duration(iat * 1000 - f.at)} after the request was sent. The issuer's clock is ahead of this one, and servers that check iat refuse tokens from the future.${saysEarly ? ` The server says: ${quote(said!)}.` : ''}`,
      plain: "Your computer's clock (or the server's) seems to be wrong.",
      evidence: [claimEvidence('iat', iat, 'after the request time'), { kind: 'timeline', label: 'Request time', value: iso(f.at) }],
    };
  }
  if (saysEarly && nbf === undefined && iat === undefined) {
    return {
      confidence: 'medium',
      title: `The server says the token is not valid yet: ${quote(said!, 120)}`,
      explanation: `The server refused the token as not yet valid (${quote(said!)}). The clocks of the issuer and the server probably disagree.`,
      plain: "A clock somewhere seems to be wrong.",
      evidence: [credentialsEvidence(f)],
    };
  }
  return undefined;
});
