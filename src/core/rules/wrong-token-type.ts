/**
 * An ID token sent as an access token. OpenID Connect Core 1.0 §2 gives ID tokens claims an
 * access token never carries (`nonce`, `at_hash`, `c_hash`; core/tokens/jwt.ts `idTokenSigns`): an ID
 * token tells the client who signed in, its `aud` is the client, and an API must refuse it. A
 * JWT access token that says so (`typ: at+jwt`) is never called one, nor is a token this API
 * accepted before.
 */
import { idTokenSigns } from '../tokens/jwt.ts';
import { isSameOrigin } from '../cookies/site.ts';
import { defineRule } from './rule.ts';
import { credentialsEvidence, quote } from './words.ts';

export default defineRule('wrong-token-type', (f) => {
  const info = f.token?.info;
  if (!info) return undefined;
  const idOnly = idTokenSigns(info);
  if (idOnly.length === 0) return undefined;
  if (f.context.sameCredentials && isSameOrigin(f.context.sameCredentials.url, f.url)) return undefined;
  const aud = info.aud?.slice(0, 3).map((a) => quote(a, 80)).join(', ');
  const carries = idOnly.join(' and ');
  return {
    confidence: 'high',
    title: `An ID token was sent as the access token (it carries ${carries}${aud ? `, aud ${aud}` : ''})`,
    explanation: `The ${f.credentialHeader} header carries a JWT with ${carries}, which only an OpenID Connect ID token has (OpenID Connect Core §2). An ID token tells the app who signed in; its audience is the app${aud ? ` (${aud})` : ''}, not this API, which refuses it. The app sent the id_token of the token response where the access_token belongs.`,
    plain: 'The app sent its sign-in receipt instead of its key for this service; this is a problem in the app.',
    evidence: [{ kind: 'claim', label: idOnly[0]!, note: 'present: an ID-token claim' }, ...(aud ? [{ kind: 'claim' as const, label: 'aud', value: aud.slice(0, 300) }] : []), credentialsEvidence(f)],
  };
});
