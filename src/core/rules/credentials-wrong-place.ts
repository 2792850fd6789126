/** The rule for `credentials-wrong-place` (DESIGN.md, "Causes"): when the evidence fits it, and the finding it writes. */
import { STANDARD_SCHEMES } from '../redaction/vocabulary.ts';
import { defineRule } from './rule.ts';
import { challengeEvidence, describeOffered, schemeName } from './words.ts';


/** RFC 6750 §2.1 (Authorization header) vs §2.3 (query, discouraged): this server reads the header. */
export default defineRule('credentials-wrong-place', (f) => {
  if (f.credentials || f.wrongPlace.length === 0) return undefined;
  const standard = f.challenges.find((c) => STANDARD_SCHEMES.has(c.scheme));
  if (!standard) return undefined;
  const places = f.wrongPlace.map((w) => (w.where === 'header' ? `the ${w.name} header` : `the query parameter "${w.name}"`));
  const typo = f.wrongPlace.find((w) => w.where === 'header' && w.name.toLowerCase() === 'authentication');
  const s = schemeName(standard.scheme);
  return {
    confidence: 'high',
    title: typo
      ? 'The credential went in an "Authentication" header; the standard header is "Authorization"'
      : `The credential was sent in ${places[0]}, but the server expects it in the Authorization header (${s})`,
    explanation: `No ${f.credentialHeader} header was sent. A credential went in ${places.join(' and ')}, which this server does not read: its ${f.challengeHeader} asks for ${describeOffered(f)}, that is "${f.credentialHeader}: ${s} <credentials>".${f.wrongPlace.some((w) => w.where === 'query') ? ' Tokens in URLs also leak into logs and Referer headers (RFC 6750 §5.3).' : ''}`,
    plain: 'The app sent your sign-in in a place this server does not look; this is a problem in the app.',
    evidence: [
      ...f.wrongPlace.map((w) => ({ kind: 'request-header' as const, label: w.where === 'header' ? w.name : `?${w.name}=`, value: '[redacted]', note: w.where === 'query' ? 'query parameter' : 'non-standard header' })),
      { kind: 'request-header' as const, label: f.credentialHeader, note: 'not sent' },
      challengeEvidence(f),
    ],
  };
});
