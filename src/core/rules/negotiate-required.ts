/** The rule for `negotiate-required` (DESIGN.md, "Causes"): when the evidence fits it, and the finding it writes. */
import { INTEGRATED_SCHEMES } from '../redaction/vocabulary.ts';
import { defineRule } from './rule.ts';
import { challengeEvidence, credentialsEvidence, schemeName } from './words.ts';

/** RFC 4559: Negotiate (SPNEGO: Kerberos or NTLM) is done by the browser, never by page script. */
export default defineRule('negotiate-required', (f) => {
  if (f.challenges.length === 0 || !f.challenges.every((c) => INTEGRATED_SCHEMES.has(c.scheme))) return undefined;
  const offered = [...new Set(f.challenges.map((c) => schemeName(c.scheme)))].join(' and ');
  const sentIntegrated = f.credentials !== null && INTEGRATED_SCHEMES.has(f.credentials.scheme);
  const sent = sentIntegrated
    ? `A ${schemeName(f.credentials!.scheme)} token was sent and refused: the Kerberos ticket may be for the wrong service name (SPN), expired, or the account is not allowed.`
    : f.credentials
      ? `The request sent ${schemeName(f.credentials.scheme)} credentials instead, which this server does not accept.`
      : 'No such credentials were sent: the browser only answers Negotiate for hosts its policy allows.';
  return {
    confidence: sentIntegrated ? 'medium' : 'high',
    title: `${f.host || 'The server'} accepts only ${offered}: integrated Windows/Kerberos sign-in is needed`,
    explanation: `${f.challengeHeader} offers only ${offered}, so the server wants the browser to sign in with the operating system's Kerberos or NTLM credentials. ${sent} Page scripts cannot produce these tokens.`,
    plain: `${f.host || 'This site'} wants your organisation's Windows sign-in, which the browser did not provide (you may need the company network or VPN).`,
    evidence: [challengeEvidence(f), credentialsEvidence(f)],
  };
});
