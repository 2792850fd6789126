import { STANDARD_SCHEMES } from '../vocabulary.ts';
import { iso } from '../time.ts';
import { defineRule } from './rule.ts';
import { challengeEvidence, cookieNames, describeOffered } from './words.ts';


export default defineRule('missing-credentials', (f) => {
  if (f.proxy || f.preflight || f.credentials || f.wrongPlace.length > 0) return undefined;
  // A plain 403 does not ask for credentials: the forbidden rule explains it.
  if (f.status !== 401 && f.challenges.length === 0) return undefined;
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
