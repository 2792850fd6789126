/** Pages no extension may look into: the browser's own pages and the extension stores. */
const RESTRICTED_SCHEMES = /^(chrome|chrome-extension|chrome-search|chrome-untrusted|devtools|edge|brave|opera|vivaldi|about|moz-extension|resource|view-source|data|javascript|blob):/i;
const STORES = [/^https:\/\/chromewebstore\.google\.com\//i, /^https:\/\/chrome\.google\.com\/webstore/i, /^https:\/\/addons\.mozilla\.org\//i, /^https:\/\/microsoftedge\.microsoft\.com\/addons/i];

export type PageAccess = 'ok' | 'browser-page' | 'store' | 'file' | 'unknown';

/**
 * 'unknown': the browser hides the page's address from Why 401, which it does for its own pages
 * and for sites its site access leaves out (Chrome's extension menu, Firefox's per-site permissions).
 */
export function pageAccess(url: string | undefined): PageAccess {
  if (!url) return 'unknown';
  if (RESTRICTED_SCHEMES.test(url)) return 'browser-page';
  if (STORES.some((r) => r.test(url))) return 'store';
  if (/^file:/i.test(url)) return 'file';
  return /^(https?|wss?|ftp):/i.test(url) ? 'ok' : 'browser-page';
}
