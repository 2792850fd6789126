/** The rule for `proxy-auth-required` (DESIGN.md, "Causes"): when the evidence fits it, and the finding it writes. */
import { defineRule } from './rule.ts';
import { challengeEvidence, credentialsEvidence, describeOffered, schemeName, statusEvidence } from './words.ts';

/** RFC 9110 §15.5.8: 407 means the proxy, not the origin server, wants credentials. */
export default defineRule('proxy-auth-required', (f) => {
  if (f.status !== 407) return undefined;
  const offered = f.challenges.length > 0 ? ` It offers ${describeOffered(f)}.` : ' It sent no Proxy-Authenticate challenge, so it does not say how.';
  const sent = f.credentials
    ? `A Proxy-Authorization header (${schemeName(f.credentials.scheme)}) was sent and refused.`
    : 'No Proxy-Authorization header was sent.';
  return {
    confidence: 'high',
    title: `A proxy between the browser and ${f.host || 'the site'} wants credentials (407 Proxy Authentication Required)`,
    explanation: `The 407 came from a proxy, not from ${f.host || 'the site'}: the proxy itself requires authentication before it forwards the request.${offered} ${sent} The site never saw this request, so its own credentials are not the problem.`,
    plain: `Your network's proxy wants you to sign in before it lets requests through to ${f.host || 'this site'}.`,
    evidence: [statusEvidence(f), challengeEvidence(f), credentialsEvidence(f)],
  };
});
