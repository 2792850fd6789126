/** The rule for `basic-malformed` (DESIGN.md, "Causes"): when the evidence fits it, and the finding it writes. */
import { defineRule } from './rule.ts';
import { credentialsEvidence, quote, realmOf } from './words.ts';

const WHY = {
  empty: 'nothing follows "Basic"',
  'invalid-base64': 'the value after "Basic" is not base64',
  'no-colon': 'the decoded value has no colon between user name and password',
} as const;

/** RFC 7617 §2: credentials = "Basic" SP base64(user-id ":" password). */
export default defineRule('basic-malformed', (f) => {
  const b = f.credentials?.basic;
  if (!b || !('error' in b)) return undefined;
  const realm = realmOf(f);
  return {
    confidence: 'high',
    title: `The Basic credentials are malformed: ${WHY[b.error]}`,
    explanation: `The ${f.credentialHeader} header uses the Basic scheme, but ${WHY[b.error]}. Basic credentials must be base64 of "user:password" (RFC 7617 §2), so the server cannot read a user name or password from them${realm !== undefined ? ` for realm ${quote(realm, 60)}` : ''}.`,
    plain: 'Your user name and password were sent in a damaged form.',
    evidence: [credentialsEvidence(f)],
  };
});
