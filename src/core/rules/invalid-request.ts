/** The rule for `invalid-request` (DESIGN.md, "Causes"): when the evidence fits it, and the finding it writes. */
import { defineRule } from './rule.ts';
import { challengeEvidence, credentialsEvidence, statedDescription, statusEvidence } from './words.ts';

/** RFC 6750 §3.1 invalid_request (usually with 400). */
export default defineRule('invalid-request', (f) => {
  if (f.stated?.view.error !== 'invalid_request') return undefined;
  const multiple = f.credentials?.multiple ? ' The request sent more than one credential, which RFC 6750 §2 forbids.' : '';
  return {
    confidence: 'high',
    title: `The server says the request is malformed (error "invalid_request")${statedDescription(f)}`,
    explanation: `The server answered ${f.status} with error "invalid_request"${statedDescription(f)}: the request is missing a required parameter, repeats one, or sends the token in more than one way (RFC 6750 §3.1).${multiple}`,
    plain: 'The app sent a request the server could not accept; this is a problem in the app.',
    evidence: [statusEvidence(f), challengeEvidence(f), credentialsEvidence(f)],
  };
});
