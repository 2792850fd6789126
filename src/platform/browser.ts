/**
 * The only import of webextension-polyfill, and browser feature detection (never sniff the user
 * agent). Pages that need nothing else (the devtools page) import just this.
 *
 * The polyfill is a no-op where the browser already has a promise-based `browser` namespace
 * (Firefox, Chrome 152+).
 */
import browser from 'webextension-polyfill';

export { browser };
export type { Browser, Runtime, Tabs } from 'webextension-polyfill';

/** The parts of chrome.* we feature-detect. */
interface ChromeLike {
  webRequest?: { OnSendHeadersOptions?: Record<string, string> };
}
const chromeNs = () => (globalThis as { chrome?: ChromeLike }).chrome;

/**
 * Read when asked, not at load: the webRequest API exists only while its permission is held
 * (optional, so a pause gives it back: platform/watch.ts), and appears when it is granted.
 */
export const features = {
  /**
   * Chrome hides Cookie and Set-Cookie (and CORS preflights) from webRequest unless listeners
   * ask for 'extraHeaders'; Firefox has no such option and rejects it.
   */
  get extraHeaders(): boolean {
    return chromeNs()?.webRequest?.OnSendHeadersOptions?.['EXTRA_HEADERS'] === 'extraHeaders';
  },
  /** Firefox's webRequest.filterResponseData: a token answer's body can be read as it passes (the permission is asked in Firefox's manifest only). */
  get responseFilter(): boolean {
    return typeof (browser.webRequest as unknown as { filterResponseData?: unknown } | undefined)?.filterResponseData === 'function';
  },
};
