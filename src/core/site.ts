/**
 * Origins and sites. A site is scheme + registrable domain (HTML "schemeful same-site"); the
 * registrable domain comes from the Public Suffix List via tldts, private section included,
 * as browsers use it for cookies.
 */
import { getDomain, getPublicSuffix } from 'tldts';

export function parseUrl(url: string | undefined): URL | undefined {
  if (typeof url !== 'string' || url.length === 0) return undefined;
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** The registrable domain ("eTLD+1") of a host; IP addresses and bare names stand for themselves. */
export function registrableDomain(host: string): string {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return getDomain(h, { allowPrivateDomains: true }) ?? h;
}

/** Whether a domain is itself a public suffix ("com", "github.io"): no cookie may be set for it. */
export function isPublicSuffix(domain: string): boolean {
  const d = domain.toLowerCase();
  const options = { allowPrivateDomains: true };
  return getDomain(d, options) === null && getPublicSuffix(d, options) === d;
}

export function originOf(url: string | undefined): string | undefined {
  const u = parseUrl(url);
  if (!u) return undefined;
  return u.origin === 'null' ? undefined : u.origin;
}

export function hostOf(url: string | undefined): string | undefined {
  return parseUrl(url)?.hostname.toLowerCase();
}

/** "https://example.com" for https://a.b.example.com/x. */
export function siteOf(url: string | undefined): string | undefined {
  const u = parseUrl(url);
  if (!u || !u.hostname) return undefined;
  return `${u.protocol.replace(/:$/, '')}://${registrableDomain(u.hostname)}`;
}

export function isSameOrigin(a: string | undefined, b: string | undefined): boolean {
  const oa = originOf(a);
  return oa !== undefined && oa === originOf(b);
}

/** Schemeful same-site: same scheme and the same registrable domain. */
export function isSameSite(a: string | undefined, b: string | undefined): boolean {
  const sa = siteOf(a);
  return sa !== undefined && sa === siteOf(b);
}

/**
 * Whether a URL is "potentially trustworthy" for cookies: https, or loopback http
 * (browsers let http://localhost hold Secure cookies).
 */
export function isSecureUrl(url: string | undefined): boolean {
  const u = parseUrl(url);
  if (!u) return false;
  if (u.protocol === 'https:' || u.protocol === 'wss:') return true;
  const h = u.hostname.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** A private, loopback or link-local address or name (called out before re-running an imported request). */
export function isPrivateHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost') || h.endsWith('.local') || h.endsWith('.internal')) return true;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  if (v4) {
    const a = Number(v4[1]);
    const b = Number(v4[2]);
    return a === 10 || a === 127 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  if (h.includes(':')) return h === '::1' || h === '::' || h.startsWith('fc') || h.startsWith('fd') || h.startsWith('fe80') || h.startsWith('::ffff:127.') || h.startsWith('::ffff:10.') || h.startsWith('::ffff:192.168.');
  return false;
}
