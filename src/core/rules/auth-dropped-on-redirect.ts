/** The rule for `auth-dropped-on-redirect` (DESIGN.md, "Causes"): when the evidence fits it, and the finding it writes. */
import { isSameOrigin, originOf } from '../cookies/site.ts';
import { defineRule } from './rule.ts';
import { statusEvidence } from './words.ts';

/**
 * Fetch standard, HTTP-redirect fetch step 12 (whatwg/fetch#1544): a request header
 * Authorization set by the page is removed when a redirect changes the origin. Shipped in
 * Firefox 111 and Chrome 119.
 */
export default defineRule('auth-dropped-on-redirect', (f) => {
  const chain = f.redirectChain;
  if (chain.length === 0 || f.credentials) return undefined;
  const k = chain.findIndex((hop) => hop.authorizationSent && !isSameOrigin(hop.url, hop.location));
  if (k === -1) return undefined;
  const hop = chain[k]!;
  const from = originOf(hop.url) ?? hop.url;
  const to = originOf(hop.location) ?? hop.location;
  return {
    confidence: 'high',
    title: `Authorization was dropped at the redirect from ${from} to ${to} (hop ${k + 1} of ${chain.length})`,
    explanation: `The request to ${hop.url} carried an Authorization header and was answered ${hop.status} with Location ${hop.location}. That redirect crosses origins, and browsers remove Authorization when they follow a cross-origin redirect (Fetch standard; Chrome 119+, Firefox 111+). The request to ${f.shownUrl} therefore went without it, and the server answered ${f.status}.`,
    plain: `The site sent the request on to another address (${to}), and the browser, for your safety, did not pass your sign-in along.`,
    evidence: [
      ...chain.map((h, i) => ({
        kind: 'redirect' as const,
        label: `Hop ${i + 1}: ${h.status}`,
        value: `${h.url} → ${h.location}`,
        note: `${h.authorizationSent ? 'Authorization sent' : 'no Authorization'}${i === k ? '; dropped here (cross-origin)' : ''}`,
      })),
      statusEvidence(f),
    ],
  };
});
