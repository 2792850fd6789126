/**
 * DevTools APIs for the panel, feature-detected: the inspected tab, the DevTools theme, and
 * evaluation in the inspected page (for re-runs that must carry the page's cookies and origin).
 */
import { browser } from './browser.ts';

interface DevtoolsLike {
  inspectedWindow?: { tabId?: number; eval?: (code: string) => Promise<unknown> };
  network?: { onNavigated?: { addListener(cb: (url: string) => void): void } };
  panels?: { themeName?: string; onThemeChanged?: { addListener(cb: (t: string) => void): void }; setThemeChangeHandler?: (cb: (t: string) => void) => void };
}

function devtools(): DevtoolsLike | undefined {
  try {
    return (browser as unknown as { devtools?: DevtoolsLike }).devtools;
  } catch {
    return undefined;
  }
}

/** The tab DevTools inspects; undefined outside DevTools. */
export function inspectedTabId(): number | undefined {
  const id = devtools()?.inspectedWindow?.tabId;
  return typeof id === 'number' ? id : undefined;
}

export function devtoolsTheme(): 'dark' | 'light' | undefined {
  const name = devtools()?.panels?.themeName;
  if (name === undefined) return undefined;
  return name === 'dark' ? 'dark' : 'light';
}

export function onDevtoolsThemeChange(cb: (t: 'dark' | 'light') => void): void {
  const panels = devtools()?.panels;
  const handler = (name: string) => cb(name === 'dark' ? 'dark' : 'light');
  if (panels?.onThemeChanged) panels.onThemeChanged.addListener(handler);
  else if (typeof panels?.setThemeChangeHandler === 'function') panels.setThemeChangeHandler(handler);
}

/** The inspected page navigated (DevTools' own event: the new URL, once committed). */
export function onInspectedNavigation(cb: (url: string) => void): void {
  devtools()?.network?.onNavigated?.addListener(cb);
}

/** Evaluate an expression in the inspected page; rejects with its exception. */
export async function evalInInspectedPage(code: string): Promise<unknown> {
  const ev = devtools()?.inspectedWindow?.eval;
  if (!ev) throw new Error('not in DevTools');
  const out = await ev(code);
  // The callback-style API resolves to [result, exceptionInfo].
  if (Array.isArray(out)) {
    const [result, exception] = out as [unknown, { isException?: boolean; value?: string; description?: string } | undefined];
    if (exception && (exception.isException || exception.value || exception.description)) throw new Error(exception.value ?? exception.description ?? 'evaluation failed');
    return result;
  }
  return out;
}

/** Clear a site's storage and cache (not its cookies): origins in Chrome, host names in Firefox. */
export async function clearSiteData(origin: string): Promise<void> {
  const data = { cache: true, cacheStorage: true, indexedDB: true, localStorage: true, serviceWorkers: true };
  const bd = browser.browsingData;
  try {
    await bd.remove({ origins: [origin] } as never, data);
  } catch {
    await bd.remove({ hostnames: [new URL(origin).hostname] }, data);
  }
}
