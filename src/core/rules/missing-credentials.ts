/** The rule for `missing-credentials` (DESIGN.md, "Causes"): when the evidence fits it, and the finding it writes. */
import { STANDARD_SCHEMES } from '../redaction/vocabulary.ts';
import { iso } from '../verdict/time.ts';
import type { Facts } from '../verdict/facts.ts';
import { defineRule, type RuleOutcome } from './rule.ts';
import { challengeEvidence, cookieNames, describeOffered } from './words.ts';


/**
 * An OAuth token request refused with no client authentication (RFC 6749 §2.3): the provider wants
 * a confidential client's credentials, which a page cannot hold. Cookies are not the question.
 */
function tokenRequest(f: Facts, t: NonNullable<Facts['tokenRequest']>): RuleOutcome | undefined {
  if (t.clientAuth !== undefined) return undefined;
  const refused = /\binvalid_client\b/.test(f.serverWords);
  return {
    confidence: refused ? 'high' : 'medium',
    title: 'No client credentials were sent to the token endpoint',
    explanation: `This token request (grant_type=${t.grant}) carried a client_id and no client authentication: no Authorization: Basic, no client_secret, no client_assertion.${refused ? ' The provider answered invalid_client: it has this client registered as confidential (with a secret).' : ''} A single-page app cannot keep a secret; it signs in as a public client (no secret, PKCE), or its server redeems the code.`,
    plain: `The app's sign-in is set up wrongly at ${f.host || 'its identity provider'}; this is for its developers to fix.`,
    evidence: [{ kind: 'request-header', label: 'Authorization', note: 'not sent' }, { kind: 'body', label: 'client_secret', note: 'not in the form' }, ...(refused ? [{ kind: 'body' as const, label: 'error', value: 'invalid_client', note: 'the provider’s answer' }] : [])],
    fixes: {
      developers: ['Register the app at the provider as a public client (token_endpoint_auth_method none, with PKCE), or redeem the code on your server where the secret can stay.'],
    },
  };
}

export default defineRule('missing-credentials', (f) => {
  if (f.proxy || f.preflight || f.credentials || f.wrongPlace.length > 0) return undefined;
  // A plain 403 does not ask for credentials: the forbidden rule explains it.
  if (f.status !== 401 && f.challenges.length === 0) return undefined;
  if (f.tokenRequest !== undefined) return tokenRequest(f, f.tokenRequest);
  const headerScheme = f.challenges.some((c) => STANDARD_SCHEMES.has(c.scheme));
  if (f.sessionCookiesSent.length > 0 && !headerScheme) return undefined;
  const cookies = f.cookiesSent.map((c) => c.name);
  // The light capture did not see the Cookie header: what was sent is inferred, and said so. It
  // is inferred only with the jar, for a navigation or a same-origin request (where the browser's
  // rules decide); otherwise (a cross-origin call, or a re-run's fetch from elsewhere) it is not
  // known, and nothing says no cookie went.
  const was = f.cookiesInferred ? 'would have been' : 'was';
  const cookiesUnknown = f.cookiesInferred && cookies.length === 0 && (f.jar === undefined || !(f.navigation || f.crossOrigin === false));
  const sentText =
    f.sessionCookiesSent.length > 0
      ? `no ${f.credentialHeader} header (the session cookie ${cookieNames(f.sessionCookiesSent.map((c) => c.name))} ${was} sent, but this endpoint asks for a header credential)`
      : cookiesUnknown
        ? `no ${f.credentialHeader} header; its Cookie header was not visible to Why 401, and which cookies went is not known`
        : f.cookiesInferred && cookies.length === 0
          ? `no ${f.credentialHeader} header; its Cookie header was not visible to Why 401, and ${f.jar && f.jar.length > 0 ? 'the browser held no cookie its rules send here' : 'the browser held no cookie for it'}`
          : `no ${f.credentialHeader} header and no session cookie${cookies.length > 0 ? ` (only ${cookieNames(cookies)})` : ''}`;
  const asks = f.challenges.length > 0 ? `The server's ${f.challengeHeader} asks for ${describeOffered(f)}.` : 'The server sent no challenge, so it does not say which scheme it wants.';
  const earlier = f.context.lastCredentialed;
  const hint = earlier ? ` An earlier request to ${earlier.url} at ${iso(earlier.at)} did carry an ${f.credentialHeader} header (${earlier.status}): the code path that made this call does not add it.` : '';
  return {
    confidence: f.challenges.length > 0 && f.sessionCookiesSent.length === 0 && !cookiesUnknown ? 'high' : 'medium',
    title: cookiesUnknown
      ? `No ${f.credentialHeader} header was sent${f.challenges.length > 0 ? `; the server asks for ${describeOffered(f)}` : ' (which cookies went is not visible)'}`
      : f.challenges.length > 0
        ? `No credentials were sent; the server asks for ${describeOffered(f)}`
        : 'No credentials were sent (no Authorization header, no session cookie)',
    explanation: `The request carried ${sentText}. ${asks}${hint}`,
    plain: `You're not signed in to ${f.host || 'this site'}: nothing that signs you in was sent with this request.`,
    evidence: [
      { kind: 'request-header', label: f.credentialHeader, note: 'not sent' },
      { kind: 'request-header', label: 'Cookie', ...(cookies.length > 0 ? { value: cookies.slice(0, 10).join(', ').slice(0, 200), note: f.cookiesInferred ? 'names only, inferred from the jar' : 'names only' } : { note: cookiesUnknown ? 'not visible' : f.cookiesInferred ? 'not visible; none inferred from the jar' : 'not sent' }) },
      challengeEvidence(f),
    ],
  };
});
