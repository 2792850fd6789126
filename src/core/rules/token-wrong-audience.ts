import type { Facts } from '../facts.ts';
import { parseUrl } from '../site.ts';
import { defineRule } from './rule.ts';
import { credentialsEvidence, quote } from './words.ts';

/** Whether an audience value names the API at this URL. undefined: cannot tell (not a URL or host). */
function names(aud: string, f: Facts): boolean | undefined {
  const url = f.parsedUrl;
  if (!url) return undefined;
  const a = parseUrl(aud);
  if (a && (a.protocol === 'https:' || a.protocol === 'http:')) {
    // Same host is this API; a path in the audience is not checked (APIs disagree on it).
    return a.host.toLowerCase() === url.host.toLowerCase();
  }
  if (/^[a-z0-9.-]+\.[a-z]{2,}$/i.test(aud)) return aud.toLowerCase() === url.hostname.toLowerCase();
  return undefined;
}

/** RFC 7519 §4.1.3: a token whose aud does not name this API must be refused. */
export default defineRule('token-wrong-audience', (f) => {
  const aud = f.token?.info.aud;
  const said = f.stated?.view.errorDescription;
  const saysAudience = said !== undefined && /audience|\baud\b/i.test(said);
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
  const here = f.parsedUrl ? f.parsedUrl.origin : f.host;
  return {
    confidence: saysAudience ? 'high' : 'medium',
    title: `The token's audience (${shown}) is not this API (${here})`,
    explanation: `The token's aud claim names ${shown}, and none of them is ${here}. An API must refuse tokens issued for someone else (RFC 7519 §4.1.3).${saysAudience ? ` The server says: ${quote(said!)}.` : ''} The client probably requested the token for another resource, or sent the token of another API.`,
    plain: 'The app used a sign-in meant for a different service; this is a problem in the app.',
    evidence: [{ kind: 'claim', label: 'aud', value: aud.slice(0, 8).join(', ').slice(0, 300) }, { kind: 'status', label: 'This API', value: here }, credentialsEvidence(f)],
  };
});
