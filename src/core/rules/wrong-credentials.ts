/** The rule for `wrong-credentials` (DESIGN.md, "Causes"): when the evidence fits it, and the finding it writes. */
import { INTEGRATED_SCHEMES } from '../redaction/vocabulary.ts';
import { placeholderKind, redactUserName } from '../redaction/redact.ts';
import { iso } from '../verdict/time.ts';
import { defineRule } from './rule.ts';
import { challengeEvidence, credentialsEvidence, offeredSchemes, quote, realmOf, schemeName, timeKnown } from './words.ts';

const DEFECTS = new Set(['space-in-token', 'quoted-token', 'control-character', 'invalid-token-character', 'scheme-with-colon', 'repeated-scheme', 'missing-token']);

/** Well-formed credentials of an accepted scheme, refused without a stated error. */
export default defineRule('wrong-credentials', (f) => {
  const c = f.credentials;
  if (f.status !== 401 && f.status !== 407) return undefined;
  if (!c || c.scheme === '' || !f.hasChallengeHeader || f.stated) return undefined;
  if (!offeredSchemes(f).has(c.scheme) || INTEGRATED_SCHEMES.has(c.scheme)) return undefined;
  if (c.problems.some((p) => DEFECTS.has(p.code)) || c.repeatedScheme) return undefined;
  if (c.basic && 'error' in c.basic) return undefined;
  if (c.token !== null && c.scheme !== 'basic' && placeholderKind(c.token) !== undefined) return undefined;
  const info = f.token?.info;
  if (info?.kind === 'broken-jwt') return undefined;
  if (info?.exp !== undefined && timeKnown(f) && info.exp * 1000 <= f.at) return undefined;
  if (f.challenges.some((ch) => ch.scheme === 'digest' && /^true$/i.test(ch.params['stale'] ?? ''))) return undefined;
  const realm = realmOf(f);
  const realmText = realm !== undefined ? ` (realm ${quote(realm, 60)})` : '';
  if (c.basic && 'username' in c.basic) {
    const user = redactUserName(c.basic.username);
    return {
      confidence: 'medium',
      title: `The server refused the password for user ${quote(user, 60)}${realmText}`,
      explanation: `Well-formed Basic credentials for the user ${quote(user, 60)} were sent, and the server answered ${f.status} with a new challenge${realmText}: it does not accept them. The password (or user name) is wrong, the account is locked, or these are credentials for another realm or environment.`,
      plain: `${f.host || 'The site'} did not accept your user name and password.`,
      evidence: [credentialsEvidence(f), challengeEvidence(f)],
    };
  }
  const s = schemeName(c.scheme);
  const jwt =
    info?.kind === 'jwt'
      ? ` The token is a JWT${info.iss ? ` issued by ${quote(info.iss, 80)}` : ''}${info.exp !== undefined ? ` that expires ${iso(info.exp * 1000)} (still valid)` : ''}; check its issuer, audience and signing key against what the server expects.`
      : '';
  return {
    confidence: 'medium',
    title: `The server refused the ${s} credentials without saying why${realmText}`,
    explanation: `Well-formed ${s} credentials were sent, and the server answered ${f.status} with a new ${s} challenge and no error code: it does not accept them. The key or token may be wrong, revoked, for another environment, or unknown to this server.${jwt}`,
    plain: `${f.host || 'The site'} did not accept your sign-in.`,
    evidence: [credentialsEvidence(f), challengeEvidence(f)],
  };
});
