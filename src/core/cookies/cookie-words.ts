/**
 * How cookies are said in sentences: why one was not sent, and a held cookie's attributes on
 * one line. Kept apart from the cookie parser and matcher (cookies.ts), which decide; this file words.
 */
import type { NotSentReason } from './cookies.ts';
import type { JarCookie } from '../exchange/har-types.ts';
import { displayUrl } from '../redaction/redact-url.ts';
import { iso } from '../verdict/time.ts';

export const NOT_SENT_REASON_TEXT: Record<NotSentReason, string> = {
  domain: 'its domain does not match this host',
  path: 'its path does not match this URL',
  expired: 'it had expired',
  'secure-on-http': 'it is Secure and this request went over http',
  'samesite-strict': 'it is SameSite=Strict and this request is cross-site',
  'samesite-lax': 'it is SameSite=Lax and this cross-site request is not a top-level navigation',
  'samesite-unspecified-lax':
    'it has no SameSite attribute, which browsers treat as Lax, and this cross-site request is not a top-level navigation',
  'samesite-none-insecure': 'it is SameSite=None without Secure',
  'partitioned-elsewhere': 'it is partitioned to another top-level site',
  'third-party': 'it is a third-party cookie here (cross-site), and the browser blocks third-party cookies',
  'partitioned-by-browser':
    'the browser keeps a separate cookie jar for each top-level site in cross-site requests (Total Cookie Protection), and this cookie is in its own site\'s jar',
};

/**
 * A held cookie's attributes as one line ("Domain=example.com; Path=/; SameSite=Lax; Secure;
 * HttpOnly"), for explanations and the detail view (a path that carries a token is masked).
 */
export function cookieAttributes(c: JarCookie, options: { expiry?: boolean } = {}): string {
  const same = { no_restriction: 'SameSite=None', lax: 'SameSite=Lax', strict: 'SameSite=Strict', unspecified: 'no SameSite' }[c.sameSite];
  const parts = [c.hostOnly ? c.domain : `Domain=${c.domain}`, `Path=${displayUrl(c.path)}`, same, c.secure ? 'Secure' : '', c.httpOnly ? 'HttpOnly' : '', c.partitionKey ? `Partitioned${c.partitionKey.topLevelSite ? ` (${c.partitionKey.topLevelSite})` : ''}` : ''];
  if (options.expiry) parts.push(c.session || c.expirationDate === undefined ? 'session' : `expires ${iso(c.expirationDate * 1000)}`);
  return parts.filter(Boolean).join('; ');
}
