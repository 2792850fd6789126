import { INTEGRATED_SCHEMES } from '../challenges.ts';
import { defineRule } from './rule.ts';
import { challengeEvidence, credentialsEvidence, describeOffered, offeredSchemes, schemeName } from './words.ts';

export default defineRule('scheme-mismatch', (f) => {
  const c = f.credentials;
  if (!c || c.scheme === '' || f.challenges.length === 0) return undefined;
  const offered = offeredSchemes(f);
  if (offered.has(c.scheme)) return undefined;
  // Covered by more specific rules.
  if ((c.scheme === 'bearer' && offered.has('dpop')) || (c.scheme === 'dpop' && offered.has('bearer'))) return undefined;
  if ([...offered].every((s) => INTEGRATED_SCHEMES.has(s))) return undefined;
  const s = schemeName(c.scheme);
  return {
    confidence: 'high',
    title: `${s} credentials were sent, but the server asks for ${[...offered].map(schemeName).join(' or ')}`,
    explanation: `The request used the ${s} scheme; the server's ${f.challengeHeader} offers ${describeOffered(f)}. A server ignores credentials in a scheme it does not accept, so for it this request carried none.`,
    plain: 'The app sent your sign-in in a form this server does not accept; this is a problem in the app.',
    evidence: [credentialsEvidence(f), challengeEvidence(f)],
  };
});
