/**
 * The capture's permissions — webRequest and, in Firefox, what reads token answers — are
 * optional, so a pause gives them back and the browser stops paying for a listener (measured:
 * `npm run bench -- floor`). The browsers grant them without a prompt (neither shows a warning
 * for them), but only in a user gesture: a click, or the keyboard shortcut.
 */
import { originOf, originPattern } from '../core/exchange/url.ts';
import { browser, features } from './browser.ts';

const ALL_SITES = '<all_urls>';

type Permissions = Parameters<typeof browser.permissions.request>[0];

/** The permissions capture needs: the manifest's optional webRequest ones (the manifest owns the list). */
export function capturePermissions(): string[] {
  const m = browser.runtime.getManifest() as { optional_permissions?: string[] };
  return (m.optional_permissions ?? []).filter((p) => p.startsWith('webRequest'));
}

const capture = (): Permissions => ({ permissions: capturePermissions() as Permissions['permissions'] });

/**
 * Whether this context started with the webRequest API, decided synchronously: a woken worker
 * registers its listeners in its first turn, before any promise settles.
 */
export function webRequestAvailable(): boolean {
  return typeof (browser as unknown as { webRequest?: { onSendHeaders?: unknown } }).webRequest?.onSendHeaders === 'object';
}

export async function holdsCapture(): Promise<boolean> {
  try {
    return await browser.permissions.contains(capture());
  } catch {
    return false;
  }
}

/** Ask for the capture's permissions: only in a user gesture (a click, the keyboard shortcut). */
export async function requestCapture(): Promise<boolean> {
  try {
    return await browser.permissions.request(capture());
  } catch {
    return false;
  }
}

/** Give them back (a pause). */
export async function releaseCapture(): Promise<boolean> {
  try {
    return await browser.permissions.remove(capture());
  } catch {
    return false;
  }
}

/**
 * The sites whose requests the browser lets Why 401 see: every site, or the ones the user chose
 * (Chrome's site access in the extension menu, Firefox's per-site permissions).
 */
export async function watchedSites(): Promise<{ all: boolean; origins: string[] }> {
  try {
    const { origins = [] } = await browser.permissions.getAll();
    const all = origins.some((o) => o === ALL_SITES || o === '*://*/*');
    return { all, origins: all ? [] : origins.filter((o) => /^(\*|https?):\/\//.test(o)) };
  } catch {
    return { all: false, origins: [] };
  }
}

/** The page's site as a match pattern (core owns it), or undefined for a page no extension may see. */
function sitePattern(url: string | undefined): string | undefined {
  const origin = originOf(url);
  return origin ? originPattern(origin) : undefined;
}

/** Whether the browser lets Why 401 see this page's requests (`contains`), or ask for it in a user gesture (`request`). */
async function sitePermission(op: 'contains' | 'request', url: string | undefined): Promise<boolean> {
  const pattern = sitePattern(url);
  if (!pattern) return false;
  try {
    return await browser.permissions[op]({ origins: [pattern] });
  } catch {
    return false;
  }
}

/** Ask to see every site (in a user gesture); the browser prompts for it. */
export async function requestAllSites(): Promise<boolean> {
  try {
    return await browser.permissions.request({ origins: [ALL_SITES] });
  } catch {
    return false;
  }
}

/**
 * Whether a click on the toolbar button (activeTab) lets Why 401 hear that tab on a site its
 * access leaves out: Chromium's webRequest does (the tab's requests, until it leaves the origin;
 * test/browser/chromium/watch.test.ts). Firefox ESR 140 shows the tab's address then, and its
 * webRequest hears nothing of the tab (seen by hand: a real click on the toolbar button under
 * Xvfb, then two 401s unheard; BiDi cannot click the toolbar). Chromium's webRequest is told
 * apart by its extraHeaders option.
 */
export const clickLetsHear = (): boolean => features.extraHeaders;

export const canSee = (url: string | undefined): Promise<boolean> => sitePermission('contains', url);
export const requestSite = (url: string | undefined): Promise<boolean> => sitePermission('request', url);

/** The shortcut that pauses and resumes, as the browser has it now ('' when the user removed it). */
export async function pauseShortcut(): Promise<string> {
  try {
    const commands = await browser.commands.getAll();
    return commands.find((c) => c.name === 'toggle-watching')?.shortcut ?? '';
  } catch {
    return '';
  }
}
