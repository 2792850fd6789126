/** The rule for `digest-stale-nonce` (DESIGN.md, "Causes"): when the evidence fits it, and the finding it writes. */
import { digestView } from '../auth/challenges.ts';
import { defineRule } from './rule.ts';
import { challengeEvidence, quote } from './words.ts';

/** RFC 7616 §3.3: stale=true means the credentials were right and only the nonce expired. */
export default defineRule('digest-stale-nonce', (f) => {
  const stale = f.challenges.filter((c) => c.scheme === 'digest').map(digestView).find((d) => d.stale === true);
  if (!stale) return undefined;
  return {
    confidence: 'high',
    title: `The Digest nonce expired (stale=true)${stale.realm !== undefined ? ` for realm ${quote(stale.realm, 60)}` : ''}: retry with the new nonce`,
    explanation: `The server's Digest challenge says stale=true: the username and password were accepted, but the nonce the response was computed with is no longer valid. The client should recompute the response with the new nonce from this challenge${stale.algorithm ? ` (algorithm ${stale.algorithm})` : ''}, without asking for the password again (RFC 7616 §3.3).`,
    plain: 'Your password was accepted, but a one-time code had expired.',
    evidence: [challengeEvidence(f)],
  };
});
