/**
 * The popup's state and everything it asks the background, in one store its parts subscribe to:
 * the tab's summary, settings, host access, the site's cookies, a clear and its undo, the message
 * and error lines. The components render it and call its methods.
 */
import { Observable, useObservable } from '../ui/store.ts';
import { pageAccess, type PageAccess } from '../ui/restricted.ts';
import { originOf } from '../core/exchange/url.ts';
import type { CookieSummary, TabSummary, WatchState } from '../shared/protocol.ts';
import type { Settings } from '../shared/settings.ts';

export interface PopupBackend {
  tabId: number | undefined;
  tabUrl: string | undefined;
  summary(tabId: number): Promise<TabSummary>;
  settings(): Promise<Settings>;
  previewCookies(url: string): Promise<{ cookies: CookieSummary[]; site: string }>;
  clearCookies(url: string, tabId: number): Promise<{ undoId: string; cleared: number }>;
  undoCookies(undoId: string, overwrite: boolean): Promise<{ restored: number; conflicts: string[]; failed: string[] }>;
  setPaused(host: string, paused: boolean): Promise<Settings>;
  /** Whether the browser lets Why 401 see this tab's site (its own site access). */
  canSeeSite(): Promise<boolean>;
  /** Ask to see this tab's site (in the click). */
  requestSite(): Promise<boolean>;
  requestHostAccess(): Promise<boolean>;
  /** Whether the toolbar button's click (activeTab) lets Why 401 hear the tab on a left-out site (platform/watch.ts). */
  clickLetsHear: boolean;
  watch(): Promise<WatchState>;
  /** Resume (asks the browser in the click, then tells the background) or pause. */
  setWatching(on: boolean): Promise<WatchState>;
  reload(tabId: number): Promise<void>;
  openSettings(): Promise<void>;
  now(): number;
}

export interface PopupState {
  summary: TabSummary | undefined;
  settings: Settings | undefined;
  access: boolean | undefined;
  watch: WatchState | undefined;
  cookies: { cookies: CookieSummary[]; site: string } | undefined;
  undo: { undoId: string; cleared: number; conflicts?: string[] } | undefined;
  message: string | undefined;
  error: string | undefined;
  busy: boolean;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export class PopupStore extends Observable<PopupState> {
  /** The tab's host, when it has one. */
  readonly host: string | undefined;

  constructor(readonly backend: PopupBackend, readonly canTouchCookies: boolean) {
    super({ summary: undefined, settings: undefined, access: undefined, watch: undefined, cookies: undefined, undo: undefined, message: undefined, error: undefined, busy: false });
    try {
      this.host = backend.tabUrl ? new URL(backend.tabUrl).hostname : undefined;
    } catch {
      this.host = undefined;
    }
  }

  /** What the browser lets extensions see of the tab's page (ui/restricted.ts). */
  get access(): PageAccess {
    return pageAccess(this.backend.tabUrl);
  }

  /**
   * The notice the page gets instead of its failures: a page no extension may see; or, when the
   * browser hides the page's address while Why 401 does not hold every site, either a browser
   * page or a site its access leaves out (the address does not say which). Undefined: none.
   */
  get pageNotice(): 'browser-page' | 'store' | 'hidden' | undefined {
    const kind = this.access;
    if (kind === 'browser-page' || kind === 'store') return kind;
    const watch = this.state.watch;
    if (kind !== 'unknown' || this.backend.tabId === undefined || !watch) return undefined;
    return watch.sites.all ? 'browser-page' : 'hidden';
  }

  /**
   * The tab's origin while Why 401 hears the tab only for now: the browser's site access leaves
   * the site out, yet the address shows, because the user opened Why 401 on this tab (the
   * activeTab grant); where that grant lets it hear the tab's requests, until the tab leaves that
   * origin. Undefined otherwise.
   */
  get heardForNow(): string | undefined {
    if (!this.backend.clickLetsHear || this.state.access !== false || this.access !== 'ok' || this.state.watch?.listening !== true) return undefined;
    return originOf(this.backend.tabUrl);
  }

  get paused(): boolean {
    const host = this.host;
    return host !== undefined && (this.state.settings?.pausedSites ?? []).some((p) => host === p || host.endsWith(`.${p}`));
  }

  start(): void {
    const b = this.backend;
    void this.refresh();
    b.settings().then((settings) => this.set({ settings }), () => undefined);
    b.canSeeSite().then((access) => this.set({ access }), () => this.set({ access: false }));
    b.watch().then((watch) => this.set({ watch }), () => undefined);
    if (b.tabUrl && this.canTouchCookies) b.previewCookies(b.tabUrl).then((cookies) => this.set({ cookies }), () => undefined);
  }

  async refresh(): Promise<void> {
    if (this.backend.tabId === undefined) return;
    try {
      this.set({ summary: await this.backend.summary(this.backend.tabId) });
    } catch (e) {
      this.set({ error: message(e) });
    }
  }

  async clear(): Promise<void> {
    const { tabUrl, tabId } = this.backend;
    if (!tabUrl || tabId === undefined) return;
    this.set({ busy: true, error: undefined });
    try {
      const r = await this.backend.clearCookies(tabUrl, tabId);
      this.set({ undo: r, message: `Cleared ${r.cleared} cookie${r.cleared === 1 ? '' : 's'} for ${this.state.cookies?.site ?? this.host ?? 'this site'}. You are probably signed out now: reload the page to sign in again.` });
      this.set({ cookies: await this.backend.previewCookies(tabUrl) });
    } catch (e) {
      this.set({ error: message(e) });
    } finally {
      this.set({ busy: false });
    }
  }

  async undoClear(overwrite: boolean): Promise<void> {
    const { undo } = this.state;
    const { tabUrl } = this.backend;
    if (!undo || !tabUrl) return;
    this.set({ busy: true });
    try {
      const r = await this.backend.undoCookies(undo.undoId, overwrite);
      if (r.conflicts.length > 0 && !overwrite) {
        this.set({ undo: { ...undo, conflicts: r.conflicts }, message: `Restored ${r.restored}. The site has set ${r.conflicts.map((c) => `"${c}"`).join(', ')} again since you cleared: keep the new one, or put the old one back?` });
      } else {
        this.set({ undo: undefined, message: `Restored ${r.restored} cookie${r.restored === 1 ? '' : 's'}${r.failed.length > 0 ? `; could not restore ${r.failed.join(', ')}` : ''}.` });
      }
      this.set({ cookies: await this.backend.previewCookies(tabUrl) });
    } catch (e) {
      this.set({ error: message(e) });
    } finally {
      this.set({ busy: false });
    }
  }

  keepNew(): void {
    this.set({ undo: undefined });
  }

  async togglePause(): Promise<void> {
    if (!this.host) return;
    try {
      this.set({ settings: await this.backend.setPaused(this.host, !this.paused) });
    } catch (e) {
      this.set({ error: message(e) });
    }
  }

  /** Watch this site (`site`) or every site. */
  async grant(which: 'site' | 'all'): Promise<void> {
    // Busy while the browser asks (Chrome prompts for a site; the answer may take a while).
    this.set({ busy: true, error: undefined });
    try {
      const ok = which === 'site' ? await this.backend.requestSite() : await this.backend.requestHostAccess();
      this.set({ access: ok || (await this.backend.canSeeSite()), ...(ok ? {} : { error: 'Permission not granted: Why 401 cannot see this site’s requests.' }) });
      this.set({ watch: await this.backend.watch() });
    } catch (e) {
      this.set({ error: message(e) });
    } finally {
      this.set({ busy: false });
    }
  }

  async setWatching(on: boolean): Promise<void> {
    this.set({ busy: true, error: undefined });
    try {
      const watch = await this.backend.setWatching(on);
      this.set({ watch, ...(on && !watch.listening ? { error: 'The browser did not grant the permission: Why 401 is still paused.' } : {}) });
    } catch (e) {
      this.set({ error: message(e) });
    } finally {
      this.set({ busy: false });
    }
  }
}

export function usePopupStore(store: PopupStore): PopupState {
  useObservable(store);
  return store.state;
}
