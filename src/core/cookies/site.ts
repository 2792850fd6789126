/**
 * Origins and sites. A site is scheme + registrable domain (HTML "schemeful same-site"); the
 * registrable domain comes from the Public Suffix List via tldts, private section included,
 * as browsers use it for cookies.
 */
import { getDomain, getPublicSuffix } from 'tldts';
import { parseUrlPath, remember } from '../exchange/url.ts';

export { hostOf, isPrivateHost, isSameOrigin, isSecureUrl, originOf, parseUrl, parseUrlPath } from '../exchange/url.ts';

/** The registrable domain ("eTLD+1") of a host; IP addresses and bare names stand for themselves. */
export function registrableDomain(host: string): string {
  let domain = domains.get(host);
  if (domain === undefined) {
    const h = host.toLowerCase().replace(/^\[|\]$/g, '');
    domain = getDomain(h, { allowPrivateDomains: true }) ?? h;
    remember(domains, host, domain);
  }
  return domain;
}

/** Recent answers: a judgement asks for the same few hosts many times. */
const domains = new Map<string, string>();

/** Whether a domain is itself a public suffix ("com", "github.io"): no cookie may be set for it. */
export function isPublicSuffix(domain: string): boolean {
  const d = domain.toLowerCase();
  const options = { allowPrivateDomains: true };
  return getDomain(d, options) === null && getPublicSuffix(d, options) === d;
}

/** "https://example.com" for https://a.b.example.com/x. */
export function siteOf(url: string | undefined): string | undefined {
  const u = parseUrlPath(url);
  if (!u || !u.hostname) return undefined;
  return `${u.protocol.replace(/:$/, '')}://${registrableDomain(u.hostname)}`;
}

/** Schemeful same-site: same scheme and the same registrable domain. */
export function isSameSite(a: string | undefined, b: string | undefined): boolean {
  const sa = siteOf(a);
  return sa !== undefined && sa === siteOf(b);
}

