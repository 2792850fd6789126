/** The rule for `preflight-unauthenticated` (DESIGN.md, "Causes"): when the evidence fits it, and the finding it writes. */
import { firstHeader } from '../auth/headers.ts';
import { defineRule } from './rule.ts';
import { shortUrl, statusEvidence } from './words.ts';

/**
 * Fetch standard, CORS-preflight fetch: the preflight is sent with credentials mode "omit",
 * so a server that authenticates OPTIONS refuses every preflight.
 */
export default defineRule('preflight-unauthenticated', (f) => {
  if (!f.preflight || (f.status !== 401 && f.status !== 403 && f.status !== 407)) return undefined;
  const method = firstHeader(f.entry.request.headers, 'access-control-request-method') ?? 'cross-origin';
  const headers = firstHeader(f.entry.request.headers, 'access-control-request-headers');
  return {
    confidence: 'high',
    title: `The CORS preflight (OPTIONS) for ${shortUrl(f)} was refused with ${f.status}`,
    explanation: `Before sending the real ${method.toUpperCase()} request${headers ? ` (with headers ${headers.slice(0, 120)})` : ''}, the browser asked ${f.host} for permission with an OPTIONS preflight. Browsers never attach credentials (Authorization or cookies) to a preflight, so a server that requires authentication on OPTIONS answers ${f.status}, and the real request is never sent. The fix is on the server.`,
    plain: `The server of ${f.host} is set up wrongly: it refuses the browser's permission check (a CORS preflight) that comes before the real request.`,
    evidence: [
      statusEvidence(f),
      { kind: 'request-header', label: 'Access-Control-Request-Method', value: method },
      { kind: 'request-header', label: 'Authorization', note: 'never sent on a preflight' },
    ],
  };
});
