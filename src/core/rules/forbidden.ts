/** The rule for `forbidden` (DESIGN.md, "Causes"): when the evidence fits it, and the finding it writes. */
import { defineRule } from './rule.ts';
import { credentialsEvidence, schemeName, statusEvidence } from './words.ts';

/** RFC 9110 §15.5.4: 403 means understood and refused; new credentials will not help unless they are someone else's. */
export default defineRule('forbidden', (f) => {
  if (f.status !== 403 || f.preflight) return undefined;
  if (f.stated && f.stated.view.error !== undefined) return undefined;
  const who = f.credentials
    ? `the ${schemeName(f.credentials.scheme)} credentials sent`
    : f.sessionCookiesSent.length > 0
      ? 'the session sent'
      : 'the request';
  return {
    confidence: f.credentials || f.sessionCookiesSent.length > 0 ? 'high' : 'medium',
    title: '403 Forbidden: the server understood the request and refuses it',
    explanation: `403 means the server knows ${who} and will not allow this action. Unlike 401, signing in again will not help unless it is as a user who has the permission. ${f.credentials || f.sessionCookiesSent.length > 0 ? '' : 'No credentials were sent, so the server may also want you to sign in first. '}Check the role or permission this endpoint requires.`,
    plain: `You're signed in to ${f.host || 'this site'}, but this account is not allowed to do this.`,
    evidence: [statusEvidence(f), credentialsEvidence(f)],
  };
});
