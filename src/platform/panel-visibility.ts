/**
 * Whether the Why 401 panel is the one DevTools shows. The devtools page hears the panel's
 * onShown/onHidden and tells the panel page over a BroadcastChannel (both are extension pages of
 * one origin, in Chrome and Firefox), per inspected tab: several DevTools windows may be open.
 * The panel renders nothing while hidden (it keeps its state and its evidence reading).
 */
const CHANNEL = 'why401.panel-visibility';

interface PanelLike {
  onShown?: { addListener(cb: () => void): void };
  onHidden?: { addListener(cb: () => void): void };
}
type Create = (title: string, icon: string, page: string, callback?: (panel: PanelLike) => void) => Promise<PanelLike> | void;

/**
 * Create the panel and announce its visibility. The `chrome` namespace's callback form is used
 * where it exists (Chrome, and Firefox, whose devtools page has no runtime.getBrowserInfo to tell
 * them apart): Chrome's native `browser.devtools` calls may answer only a callback (as its getHAR
 * does), and calling create twice would make two panels. The promise form is the fallback.
 */
export function createPanel(promised: Create, tabId: number | undefined, title: string, icon: string, page: string): void {
  const wire = (panel: PanelLike | undefined) => {
    if (!panel) return;
    const post = (shown: boolean) => {
      try {
        const channel = new BroadcastChannel(CHANNEL);
        channel.postMessage({ tabId, shown });
        channel.close();
      } catch {
        // no BroadcastChannel: the panel simply always renders
      }
    };
    panel.onShown?.addListener(() => post(true));
    panel.onHidden?.addListener(() => post(false));
  };
  const withCallback = (globalThis as { chrome?: { devtools?: { panels?: { create?: Create } } } }).chrome?.devtools?.panels;
  if (typeof withCallback?.create === 'function') {
    withCallback.create(title, icon, page, wire);
    return;
  }
  const out = promised(title, icon, page);
  if (out && typeof out.then === 'function') out.then(wire, () => undefined);
}

/** In the panel: called with false when DevTools hides it, true when it shows it again. */
export function onPanelVisibility(tabId: number | undefined, cb: (shown: boolean) => void): () => void {
  let channel: BroadcastChannel;
  try {
    channel = new BroadcastChannel(CHANNEL);
  } catch {
    return () => undefined;
  }
  channel.onmessage = (e: MessageEvent) => {
    const m = e.data as { tabId?: unknown; shown?: unknown } | null;
    if (m && m.tabId === tabId && typeof m.shown === 'boolean') cb(m.shown);
  };
  return () => channel.close();
}
