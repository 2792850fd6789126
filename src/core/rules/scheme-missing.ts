/** The rule for `scheme-missing` (DESIGN.md, "Causes"): when the evidence fits it, and the finding it writes. */
import { looksLikeJwt } from '../tokens/jwt.ts';
import { placeholderKind } from '../redaction/redact.ts';
import { defineRule } from './rule.ts';
import { credentialsEvidence, describeOffered, offeredSchemes, schemeName } from './words.ts';

/**
 * RFC 9110 §11.6.2: credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]. A value with
 * no scheme ("Authorization: eyJ…", the token without "Bearer ") or with the scheme glued to the
 * token ("Bearer=…", "Bearer:…") names no scheme the server knows: for it, no credentials came.
 */
export default defineRule('scheme-missing', (f) => {
  const c = f.credentials;
  if (!c || c.token === null || c.token === '') return undefined;
  if (!c.bare && c.glue === '') return undefined;
  if (c.bare && placeholderKind(c.token) !== undefined) return undefined; // "Authorization: undefined": placeholder-token says it better
  const offered = offeredSchemes(f);
  const wanted = c.glue !== '' ? schemeName(c.scheme) : offered.has('dpop') && !offered.has('bearer') ? 'DPoP' : offered.has('bearer') || offered.size === 0 ? 'Bearer' : schemeName([...offered][0]!);
  const jwt = looksLikeJwt(c.token) || f.token?.info.kind === 'jwt';
  const what = jwt ? 'a JWT' : 'a token';
  const asks = f.challenges.length > 0 ? ` The server's ${f.challengeHeader} asks for ${describeOffered(f)}.` : '';
  const prefix = `${wanted} `;
  if (c.glue !== '') {
    const written = `${schemeName(c.scheme)}${c.glue}`;
    return {
      confidence: 'high',
      title: `The ${f.credentialHeader} header writes "${written}…": the scheme must be followed by a space, not "${c.glue}"`,
      explanation: `The header reads "${written}<token>". A scheme is separated from its token by a space ("${prefix}<token>"); with "${c.glue}" the server reads no scheme it knows and treats the request as carrying no credentials.${asks}`,
      plain: 'The app sent your sign-in in a garbled form; this is a bug in the app.',
      evidence: [credentialsEvidence(f)],
      fixes: { developers: [`Write \`${f.credentialHeader}: ${prefix}<token>\` — replace "${c.glue}" with one space.`] },
    };
  }
  return {
    confidence: f.challenges.length > 0 ? 'high' : 'medium',
    title: `The ${f.credentialHeader} header holds ${what} with no scheme: add "${prefix}" before it`,
    explanation: `The header is the bare credential (${what}, ${c.token.length} characters) with nothing before it. A credential names its scheme first ("${prefix}<token>"), so the server does not recognise it as one and refuses the request.${asks} ${jwt ? 'The token itself may be fine: only the prefix is missing.' : ''}`.trim(),
    plain: 'The app sent your sign-in token without the word that says what it is; this is a bug in the app.',
    evidence: [credentialsEvidence(f)],
    fixes: { developers: [`Send \`${f.credentialHeader}: ${prefix}<token>\` (the same token, with "${prefix}" before it).`] },
  };
});
