/**
 * URLs and origins, without the Public Suffix List (site.ts adds registrable domains): what
 * the panel's list and other first-paint code need, kept out of the tldts data.
 */

export function parseUrl(url: string | undefined): URL | undefined {
  if (typeof url !== 'string' || url.length === 0) return undefined;
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

export function originOf(url: string | undefined): string | undefined {
  const u = parseUrl(url);
  if (!u) return undefined;
  return u.origin === 'null' ? undefined : u.origin;
}

export function hostOf(url: string | undefined): string | undefined {
  return parseUrl(url)?.hostname.toLowerCase();
}

export function isSameOrigin(a: string | undefined, b: string | undefined): boolean {
  const oa = originOf(a);
  return oa !== undefined && oa === originOf(b);
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
