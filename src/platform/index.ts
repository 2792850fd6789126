/**
 * The only home of webextension-polyfill and of browser feature detection. Everything else
 * reaches the browser through this module (STYLE.md: "src/platform/").
 */
import browser from 'webextension-polyfill';

export { browser };
export type { Browser } from 'webextension-polyfill';
