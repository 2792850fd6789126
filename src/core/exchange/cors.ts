/** The browser's CORS check of a response, as the Fetch standard runs it: one owner for the notes and the sign-in flows. */
import { firstHeader } from '../auth/headers.ts';

/**
 * The browser's CORS check of a response (Fetch, CORS check): why it refuses it, or undefined
 * when it passes — or when the Origin it was compared with is unknown (nothing is guessed).
 * `withCredentials`: the request carried cookies (credentials mode "include").
 */
export function corsCheck(responseHeaders: readonly { name: string; value: string }[], origin: string | undefined, withCredentials: boolean): { why: string; header: string; value?: string } | undefined {
  const res = responseHeaders;
  const acao = firstHeader(res, 'access-control-allow-origin')?.trim();
  if (acao === undefined || acao === '') return { why: 'the response has no Access-Control-Allow-Origin header', header: 'Access-Control-Allow-Origin' };
  // Credentials mode "include" (the request carried cookies): "*" does not count, and
  // Access-Control-Allow-Credentials must be "true" (Fetch, CORS check steps 3–7).
  if (acao === '*' && withCredentials) return { why: 'Access-Control-Allow-Origin is "*", which the browser does not accept for a request with credentials (cookies)', header: 'Access-Control-Allow-Origin', value: '*' };
  if (acao !== '*' && origin === undefined) return undefined; // the Origin it was compared with is unknown: say nothing rather than guess
  if (acao !== '*' && acao !== origin) return { why: `Access-Control-Allow-Origin names ${acao.slice(0, 120)}, not the request's Origin ${origin}`, header: 'Access-Control-Allow-Origin', value: acao.slice(0, 200) };
  if (withCredentials && firstHeader(res, 'access-control-allow-credentials')?.trim() !== 'true') return { why: 'the request carried cookies and the response lacks "Access-Control-Allow-Credentials: true"', header: 'Access-Control-Allow-Credentials' };
  return undefined;
}
