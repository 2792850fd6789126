/** The rule for `token-wrong-audience` (DESIGN.md, "Causes"): when the evidence fits it, and the finding it writes. */
import type { Facts } from '../verdict/facts.ts';
import { isSameOrigin, parseUrl } from '../cookies/site.ts';
import { defineRule } from './rule.ts';
import { credentialsEvidence, quote } from './words.ts';

/** Whether an audience value names the API at this URL. undefined: cannot tell (not a URL or host). */
function names(aud: string, f: Facts): boolean | undefined {
  const url = f.urlParts;
  if (!url) return undefined;
  const a = parseUrl(aud);
  if (a && (a.protocol === 'https:' || a.protocol === 'http:')) {
    // Same host is this API; a path in the audience is not checked (APIs disagree on it).
    return a.host.toLowerCase() === url.host.toLowerCase();
  }
  if (/^[a-z0-9.-]+\.[a-z]{2}[a-z]*$/i.test(aud)) return aud.toLowerCase() === url.hostname.toLowerCase();
  return undefined;
}

/**
 * RFC 7519 §4.1.3: a token whose aud does not name this API must be refused. Only the server can
 * say what its audience is (many use a logical identifier, "https://orders.example.com/", not
 * their host), so comparing aud with the host is a guess: it never fires when the server's
 * answer shows it accepted the token (RFC 6750 insufficient_scope is about a valid token's
 * scopes; the same token got a success from this origin before), and when it fires it ranks as
 * inference and says so.
 */
export default defineRule('token-wrong-audience', (f) => {
  const aud = f.token?.info.aud;
  const said = f.stated?.view.errorDescription;
  const saysAudience = said !== undefined && /audience|\baud\b/i.test(said);
  if (f.stated?.view.error === 'insufficient_scope') return undefined;
  const accepted = f.context.sameCredentials && isSameOrigin(f.context.sameCredentials.url, f.url);
  if (accepted && !saysAudience) return undefined;
  if (!aud || aud.length === 0) {
    if (!saysAudience) return undefined;
    return {
      confidence: 'high',
      title: `The server says the token is for another audience: ${quote(said!, 120)}`,
      explanation: `The server refused the token because of its audience (${quote(said!)}): it was issued for another API.`,
      plain: 'The app used a sign-in meant for a different service; this is a problem in the app.',
      evidence: [credentialsEvidence(f)],
    };
  }
  const verdicts = aud.map((a) => names(a, f));
  if (verdicts.some((v) => v === true)) return undefined;
  const allKnown = verdicts.every((v) => v === false);
  if (!allKnown && !saysAudience) return undefined;
  const shown = aud.slice(0, 4).map((a) => quote(a, 80)).join(', ');
  const here = f.urlParts ? f.urlParts.origin : f.host;
  const evidence = [{ kind: 'claim' as const, label: 'aud', value: aud.slice(0, 8).join(', ').slice(0, 300) }, { kind: 'status' as const, label: 'This API', value: here }, credentialsEvidence(f)];
  if (saysAudience) {
    return {
      confidence: 'high',
      title: `The token's audience (${shown}) is not this API (${here})`,
      explanation: `The server refused the token for its audience (${quote(said!)}), and the token's aud claim names ${shown}, not ${here}. An API must refuse tokens issued for someone else (RFC 7519 §4.1.3). The client probably requested the token for another resource, or sent the token of another API.`,
      plain: 'The app used a sign-in meant for a different service; this is a problem in the app.',
      evidence,
    };
  }
  return {
    confidence: 'low',
    inferred: true,
    title: `A guess: the token's audience (${shown}) does not look like this API (${here})`,
    explanation: `The token's aud claim names ${shown}, which is not this API's address (${here}). That is only a guess from comparing names: many APIs use a logical audience (an identifier such as "https://orders.example.com/") that need not be their host, and the server did not say the audience was wrong. If the server's configured audience differs from ${shown}, the client requested the token for another resource (RFC 7519 §4.1.3).`,
    plain: 'The app may be using a sign-in meant for a different service.',
    evidence,
  };
});
