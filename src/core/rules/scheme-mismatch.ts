/** The rule for `scheme-mismatch` (DESIGN.md, "Causes"): when the evidence fits it, and the finding it writes. */
import { INTEGRATED_SCHEMES } from '../redaction/vocabulary.ts';
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
  // A token sent under another word ("Token …", "JWT …", "ApiKey …") to a Bearer API: the same token, the right word.
  const token = c.token ?? '';
  if (offered.has('bearer') && c.scheme !== 'basic' && c.scheme !== 'digest' && token !== '' && /^[A-Za-z0-9\-._~+/]+=*$/.test(token)) {
    const origin = c.scheme === 'token' ? ' ("Token <key>" is how Django REST framework\'s TokenAuthentication and some other APIs want it)' : c.scheme === 'jwt' ? ' (an old convention of some JWT libraries)' : '';
    return {
      confidence: 'high',
      title: `The token was sent as "${c.schemeText || s} …", but this API asks for "Bearer …"`,
      explanation: `The ${f.credentialHeader} header uses the scheme "${c.schemeText || s}"${origin}; this server's ${f.challengeHeader} offers ${describeOffered(f)}. It ignores a scheme it does not know, so for it the request carried no credentials. The token itself may be fine: send the same token as "Bearer <token>" (RFC 6750 §2.1).`,
      plain: 'The app sent your sign-in in a form this server does not accept; this is a problem in the app.',
      evidence: [credentialsEvidence(f), challengeEvidence(f)],
      fixes: { developers: [`Send \`${f.credentialHeader}: Bearer <token>\` instead of \`${c.schemeText || s} <token>\`.`] },
    };
  }
  return {
    confidence: 'high',
    title: `${s} credentials were sent, but the server asks for ${[...offered].map(schemeName).join(' or ')}`,
    explanation: `The request used the ${s} scheme; the server's ${f.challengeHeader} offers ${describeOffered(f)}. A server ignores credentials in a scheme it does not accept, so for it this request carried none.`,
    plain: 'The app sent your sign-in in a form this server does not accept; this is a problem in the app.',
    evidence: [credentialsEvidence(f), challengeEvidence(f)],
  };
});
