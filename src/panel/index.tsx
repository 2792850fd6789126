/** The panel's entry: the real browser behind the PanelBackend interface, then the app. */
import { render } from 'preact';
import '../ui/theme.css';
import './panel.css';
import { browser } from '../platform/browser.ts';
import { clearSiteData, devtoolsTheme, evalInInspectedPage, followRecorded, frameDocumentsReader, inspectedTabId, networkShower, onDevtoolsThemeChange, onInspectedNavigation, recordedBody, recordedErrorResponses, recordedLog, sourceOpener } from '../platform/devtools.ts';
import { request, subscribe } from '../platform/messages.ts';
import { onPanelVisibility } from '../platform/panel-visibility.ts';
import { requestPermission } from '../platform/tabs.ts';
import { canSee, requestCapture } from '../platform/watch.ts';
import { copyText, download } from '../ui/client.ts';
import { applyTheme, onSystemThemeChange, systemTheme } from '../ui/theme.ts';
import { App } from './App.tsx';
import { parseOutcome } from '../core/actions/rerun-result.ts';
import { newTagKey, useTagKey } from '../core/tokens/fingerprint.ts';
import { fetchFrom, type FetchOutcome, type PageFetch, type PanelBackend } from './backend.ts';

const param = new URLSearchParams(location.search).get('tab');
const devtoolsTab = inspectedTabId();
const tabId = devtoolsTab ?? (param !== null && /^\d+$/.test(param) ? Number(param) : undefined);

/** fetch() in the inspected page (or one of its frames): started by eval, its outcome collected by polling. */
async function fetchInPage(f: PageFetch, frameUrl?: string): Promise<FetchOutcome> {
  const id = `r${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;
  const init: Record<string, unknown> = { method: f.method, headers: f.headers, credentials: f.credentials, cache: 'no-store', redirect: 'follow' };
  if (f.body !== undefined && f.method !== 'GET' && f.method !== 'HEAD') init['body'] = f.body;
  const code = `(() => { const s = (window.__why401 = window.__why401 || {}); s[${JSON.stringify(id)}] = null; fetch(${JSON.stringify(f.url)}, ${JSON.stringify(init)}).then((r) => { s[${JSON.stringify(id)}] = { status: r.status, statusText: r.statusText, headers: [...r.headers] }; }, (e) => { s[${JSON.stringify(id)}] = { status: 0, statusText: '', headers: [], error: String(e && e.message || e) }; }); return true; })()`;
  const failed = (e: unknown): FetchOutcome => ({ status: 0, statusText: '', headers: [], error: e instanceof Error ? e.message : String(e) });
  try {
    await evalInInspectedPage(code, frameUrl);
  } catch (e) {
    return failed(e);
  }
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    let out: unknown;
    try {
      out = await evalInInspectedPage(`(() => { const s = window.__why401 || {}; const v = s[${JSON.stringify(id)}]; if (v) delete s[${JSON.stringify(id)}]; return v || null; })()`, frameUrl);
    } catch (e) {
      return failed(e);
    }
    // The page's own scripts could have replaced fetch or this answer: it is checked like any input.
    if (out) return parseOutcome(out);
  }
  return { status: 0, statusText: '', headers: [], error: 'no answer within 30 seconds' };
}

const frameDocuments = devtoolsTab !== undefined ? frameDocumentsReader() : undefined;

const backend: PanelBackend = {
  tabId,
  theme: () => devtoolsTheme() ?? systemTheme(),
  onThemeChange(cb) {
    if (devtoolsTab !== undefined) onDevtoolsThemeChange(cb);
    else onSystemThemeChange(cb);
  },
  subscribe,
  request,
  async pageUrl() {
    if (devtoolsTab !== undefined) {
      try {
        return String(await evalInInspectedPage('location.href'));
      } catch {
        return undefined;
      }
    }
    if (tabId === undefined) return undefined;
    try {
      return (await browser.tabs.get(tabId)).url;
    } catch {
      return undefined;
    }
  },
  onNavigated(cb) {
    onInspectedNavigation(cb);
  },
  ...(frameDocuments ? { frameDocuments } : {}),
  ...(devtoolsTab !== undefined ? { fetchInPage, recordedBody, recordedLog, followLog: followRecorded, recordedResponses: recordedErrorResponses, onVisibility: (cb: (shown: boolean) => void) => onPanelVisibility(devtoolsTab, cb) } : {}),
  ...(devtoolsTab !== undefined && sourceOpener() ? { openSource: sourceOpener()! } : {}),
  ...(devtoolsTab !== undefined && networkShower() ? { showInNetwork: networkShower()! } : {}),
  fetchFromExtension: fetchFrom,
  clearSiteData,
  allowCookiePolicy: () => requestPermission('privacy'),
  canSeePage: canSee,
  onFocus: (cb) => {
    window.addEventListener('focus', cb);
    return () => window.removeEventListener('focus', cb);
  },
  startWatching: async () => {
    await requestCapture();
    return (await request('set-watching', { on: true })).listening;
  },
  copy: copyText,
  download,
};

applyTheme(backend.theme()); // before the first paint; App follows changes
// Masks are tagged with the install's key, which the background owns: the panel tags as it does
// (the same token, the same #tag in the list, the detail and every export). Should the background
// not answer, a key for this panel only: its tags then match nothing, but confirm no guess either.
void request('get-tag-key', {})
  .then(({ key }) => useTagKey(key), () => useTagKey(newTagKey()))
  .finally(() => render(<App backend={backend} />, document.getElementById('app')!));
