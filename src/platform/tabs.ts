/** Tabs, optional permissions and the options page, for the popup and options (no cookie or webRequest code; site access is watch.ts's). */
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
