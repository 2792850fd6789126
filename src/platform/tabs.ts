/** Tabs, host access and the options page, for the popup and options (no cookie or webRequest code). */
import { browser } from './browser.ts';

export interface TabInfo {
  id: number;
  url: string | undefined;
  title: string | undefined;
}

/** The active tab of the current window (the popup's), or a given one. */
export async function tabInfo(tabId?: number): Promise<TabInfo | undefined> {
  try {
    const tab = tabId !== undefined ? await browser.tabs.get(tabId) : (await browser.tabs.query({ active: true, currentWindow: true }))[0];
    if (!tab || tab.id === undefined) return undefined;
    return { id: tab.id, url: tab.url, title: tab.title };
  } catch {
    return undefined;
  }
}

export async function reloadTab(tabId: number): Promise<void> {
  await browser.tabs.reload(tabId);
}

export async function openOptions(): Promise<void> {
  await browser.runtime.openOptionsPage();
}

const ALL_URLS = { origins: ['<all_urls>'] };

/** Whether the extension may see requests and cookies of every site (Firefox MV3 makes it opt-in). */
export async function hasHostAccess(): Promise<boolean> {
  try {
    return await browser.permissions.contains(ALL_URLS);
  } catch {
    return false;
  }
}

/** Ask for host access; must run in a user gesture (a click in the popup or panel). */
export async function requestHostAccess(): Promise<boolean> {
  try {
    return await browser.permissions.request(ALL_URLS);
  } catch {
    return false;
  }
}

/**
 * Optional permissions (system notifications; reading the browser's cookie setting), asked for
 * when the user turns the feature on. Must run in a user gesture.
 */
export async function requestPermission(permission: 'notifications' | 'privacy'): Promise<boolean> {
  try {
    return await browser.permissions.request({ permissions: [permission] });
  } catch {
    return false;
  }
}

export function extensionVersion(): string {
  return browser.runtime.getManifest().version;
}
