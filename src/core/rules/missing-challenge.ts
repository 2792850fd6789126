/** The rule for `missing-challenge` (DESIGN.md, "Causes"): when the evidence fits it, and the finding it writes. */
import { defineRule } from './rule.ts';
import { cookieNames, credentialsEvidence, schemeName, statusEvidence } from './words.ts';

/** RFC 9110 §15.5.2 (401) and §15.5.8 (407): the response MUST carry a challenge. */
export default defineRule('missing-challenge', (f) => {
  if ((f.status !== 401 && f.status !== 407) || f.hasChallengeHeader) return undefined;
  const sent = f.credentials
    ? ` The request carried ${schemeName(f.credentials.scheme)} credentials, so the server probably refused them without saying why.`
    : f.sessionCookiesSent.length > 0
      ? ` The session cookie ${cookieNames(f.sessionCookiesSent.map((c) => c.name))} was sent, so the server probably no longer accepts that session (expired or ended on the server).`
      : '';
  return {
    confidence: 'high',
    title: `The server answered ${f.status} without a ${f.challengeHeader} challenge`,
    explanation: `RFC 9110 requires a ${f.status} to carry ${f.challengeHeader} saying how to authenticate; ${f.emptyChallengeField ? `this one has the ${f.challengeHeader} field, but it is empty: it holds no challenge (RFC 9110 §11.6.1 requires at least one)` : 'this one has none'}, so neither the browser nor this tool can tell which credentials the server wanted.${sent}`,
    plain: `${f.host || 'The site'} refused the request without saying why.`,
    evidence: [statusEvidence(f), { kind: 'response-header', label: f.challengeHeader, note: f.emptyChallengeField ? 'present but empty' : 'absent' }, credentialsEvidence(f)],
  };
});
