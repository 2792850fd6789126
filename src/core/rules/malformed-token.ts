/** The rule for `malformed-token` (DESIGN.md, "Causes"): when the evidence fits it, and the finding it writes. */
import { placeholderKind } from '../redaction/redact.ts';
import { defineRule } from './rule.ts';
import { credentialsEvidence, schemeName } from './words.ts';

const REASONS: Record<string, string> = {
  'scheme-with-colon': 'the scheme is followed by a colon ("Bearer: …")',
  'quoted-token': 'it is wrapped in quotes',
  'space-in-token': 'it contains a space',
  'control-character': 'it contains a line break or other control character',
  'invalid-token-character': 'it contains characters that a token cannot hold (RFC 6750 §2.1 allows A–Z a–z 0–9 - . _ ~ + / and trailing =)',
};

/** RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token. */
export default defineRule('malformed-token', (f) => {
  const c = f.credentials;
  // A scheme glued to its token ("Bearer:…") or no scheme at all: scheme-missing says it.
  if (!c || c.scheme === '' || c.bare || c.glue !== '' || c.scheme === 'basic' || c.repeatedScheme) return undefined;
  if (c.token !== null && placeholderKind(c.token) !== undefined) return undefined;
  const reasons = c.problems.map((p) => REASONS[p.code]).filter((r): r is string => r !== undefined);
  const token = f.token?.source === 'authorization' ? f.token : undefined;
  if (token?.info.kind === 'broken-jwt') reasons.push(`it looks like a JWT but is broken: ${token.info.problem ?? 'it cannot be decoded'}`);
  if (reasons.length === 0) return undefined;
  const s = schemeName(c.scheme);
  return {
    confidence: 'high',
    title: `The ${s} token is malformed: ${reasons[0]}`,
    explanation: `The ${f.credentialHeader} header does not hold a well-formed ${s} token: ${reasons.join('; ')}. Servers refuse such a token before looking it up. Send the token exactly as it was issued, as "${s} <token>".`,
    plain: 'The app sent your sign-in token in a damaged form; this is usually a bug in the app.',
    evidence: [credentialsEvidence(f)],
  };
});
