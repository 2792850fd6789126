/** The popup's entry: the real browser behind PopupBackend, then the popup. */
import { render } from 'preact';
import '../ui/theme.css';
import './popup.css';
import { openOptions, reloadTab, tabInfo } from '../platform/tabs.ts';
import { canSee, clickLetsHear, requestAllSites, requestCapture, requestSite } from '../platform/watch.ts';
import { request } from '../platform/messages.ts';
import { followSystemTheme } from '../ui/theme.ts';
import { Popup, type PopupBackend } from './Popup.tsx';

followSystemTheme();

// Opened from the toolbar it shows the active tab; tests (and links) may name one: ?tab=ID.
const param = new URLSearchParams(location.search).get('tab');
void tabInfo(param !== null && /^\d+$/.test(param) ? Number(param) : undefined).then((tab) => {
  const backend: PopupBackend = {
  tabId: tab?.id,
  tabUrl: tab?.url,
  summary: (tabId) => request('get-summary', { tabId, latest: 3 }),
  settings: () => request('get-settings', {}),
  previewCookies: (url) => request('preview-clear-cookies', { url, scope: 'site', ...(tab?.id !== undefined ? { tabId: tab.id } : {}) }),
  clearCookies: (url, tabId) => request('clear-cookies', { url, scope: 'site', tabId }),
  undoCookies: (undoId, overwrite) => request('undo-clear-cookies', { undoId, overwrite }),
  setPaused: (host, paused) => request('set-paused', { host, paused }),
  canSeeSite: () => canSee(tab?.url),
  requestSite: () => requestSite(tab?.url),
  requestHostAccess: requestAllSites,
  clickLetsHear: clickLetsHear(),
  watch: () => request('get-watch', {}),
  // Asked here, in the click: only a page's gesture may ask (the background then follows the grant).
  setWatching: async (on) => {
    if (on) await requestCapture();
    return request('set-watching', { on });
  },
  reload: reloadTab,
  openSettings: openOptions,
  now: () => Date.now(),
  };
  render(<Popup backend={backend} />, document.getElementById('app')!);
});
