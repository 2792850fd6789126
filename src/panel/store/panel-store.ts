/**
 * The panel's state and everything it does with the background, in one store the components
 * subscribe to (in the manner of preact-devtools' store): the records (store/records.ts), the
 * filter, the imported file, the status line, settings, exports. Components read `state` and
 * `view()` and call methods; none of them reaches the backend itself.
 */
import { Observable, useObservable } from '../../ui/store.ts';
import { groupFailures, type FailureGroup } from '../../core/verdict/burst.ts';
import { originOf } from '../../core/exchange/url.ts';
import { CAUSE_CHOICES, type CauseId, type CauseView } from '../../core/views/view.ts';
import type { Push } from '../../shared/protocol.ts';
import type { RerunResult, StoredRecord } from '../../shared/records.ts';
import type { Settings } from '../../shared/settings.ts';
import type { FlowView } from '../../core/flows/view.ts';
import type { HarEntry } from '../../core/exchange/har-types.ts';
import type { PanelBackend } from '../backend.ts';
import type { Followed } from '../follow.ts';
import { parseFilter, type ParsedFilter as Filter } from '../filter.ts';
import { recordsReducer, type RecordsAction, type RecordsState } from './records.ts';
import { VERSION } from '../../shared/version.ts';

export type StatusKind = 'ok' | 'error' | 'info';

export interface PanelState extends RecordsState {
  settings: Settings | undefined;
  filterText: string;
  filterCause: CauseId | '';
  pageUrl: string | undefined;
  /** The inspected page's frame documents (Chromium's DevTools lists them): where a frame's failure re-runs. */
  frames: readonly string[] | undefined;
  /** The status line: what the last action did. An action on one failure says so only while that failure is selected. */
  status: { text: string; kind: StatusKind; recordId?: string } | undefined;
  importing: boolean;
  /** Whether DevTools shows this panel. */
  shown: boolean;
  /** The sign-in view: the flows core read from DevTools' network log (core/flows), when it is open. */
  signIn: SignInState;
  /** Repeats of a failure (core/verdict/burst.ts: a storm, a loop) shown as one row (the default), or each on its own. */
  groupRepeats: boolean;
  /** Whether Why 401 is watching (false: paused, hearing nothing), read when the panel starts and each time it is shown or focused. */
  watching: boolean | undefined;
  /** Whether it ever watched in this install (false: a first run not started yet, not a pause). */
  watchStarted: boolean | undefined;
  /** The inspected page's site is one the browser's site access leaves out: Why 401 hears none of its requests. */
  siteHidden: boolean | undefined;
  /** The imported list is DevTools' network log, followed live: the panel's way to watch a site left out while it is open. */
  following: boolean;
}

/** The sign-in view's reader and export, loaded with the view (panel/sign-in-read.ts). */
export interface SignInReader {
  readFlows(store: PanelStore): Promise<void>;
  exportFlows(store: PanelStore): Promise<void>;
}

export interface SignInState {
  open: boolean;
  /** 'unavailable': no network log to read (the panel is not inside DevTools). */
  status: 'idle' | 'reading' | 'read' | 'unavailable' | 'error';
  /** Where the flows were read: DevTools' network log, or the imported file (its name). */
  source?: { kind: 'devtools' } | { kind: 'capture'; answers: boolean } | { kind: 'file'; name: string };
  flows: readonly FlowView[];
  /** How many entries of DevTools' log were read, and when. */
  entries: number;
  readAt?: number;
  error?: string;
  /** The flow to bring into view when the view opens (its number), asked for from a failure's token lane. */
  focus?: number;
}

/** What the components show, derived once per state change. */
export interface PanelView {
  source: 'live' | 'import';
  all: StoredRecord[];
  /** The failures the filter keeps, every one (exports take these). */
  filtered: StoredRecord[];
  /** The rows shown: those the filter keeps, a group of repeats as its first. */
  rows: StoredRecord[];
  /** The groups of more than one failure among the filtered, by their first's id. */
  groups: ReadonlyMap<string, FailureGroup<StoredRecord>>;
  /** Of the filtered failures, those that repeat an earlier one (folded into its row while grouped). */
  repeats: number;
  /** How many rows the whole list has, unfiltered (a group of repeats one while grouped): "5 of `total`". */
  total: number;
  filter: Filter;
  selected: StoredRecord | undefined;
  hidden: number;
  causes: CauseView[];
  status: PanelState['status'];
  /** The inspected page's origin, for a live list (its rows show their host only when it differs). */
  pageOrigin: string | undefined;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The import's name for DevTools' network log (read once, or followed). */
export const DEVTOOLS_LOG = 'DevTools’ network log';

export class PanelStore extends Observable<PanelState> {
  private cached: { state: PanelState; view: PanelView } | undefined;
  /** The failures the filter kept, for the last view (grouping reads them). */
  private filtered: StoredRecord[] | undefined;
  private filterCache: { text: string; filter: Filter } | undefined;
  private stops: (() => void)[] = [];

  constructor(readonly backend: PanelBackend) {
    super({
      live: [],
      count: 0,
      dropped: 0,
      lost: 0,
      connected: backend.tabId === undefined,
      imported: undefined,
      selectedId: undefined,
      clearedByNavigation: 0,
      settings: undefined,
      filterText: '',
      filterCause: '',
      pageUrl: undefined,
      frames: undefined,
      status: undefined,
      importing: false,
      shown: true,
      signIn: { open: false, status: 'idle', flows: [], entries: 0 },
      groupRepeats: true,
      watching: undefined,
      watchStarted: undefined,
      siteHidden: undefined,
      following: false,
    });
  }

  /** Resume watching from the panel's banner (the click asks for the permission). */
  resumeWatching = async (): Promise<void> => {
    const start = this.backend.startWatching;
    if (!start) return;
    try {
      const on = await start();
      this.set({ watching: on, ...(on ? { watchStarted: true } : {}) });
      if (!on) this.notify('The browser did not grant the permission: Why 401 is still paused.', 'error');
    } catch (e) {
      this.notify(message(e), 'error');
    }
  };

  /** Ask whether Why 401 is watching (the popup or the shortcut may have paused it meanwhile). */
  readWatching = (): void => {
    this.backend
      .request('get-watch', {})
      .then((w) => {
        this.set({ watching: typeof w?.listening === 'boolean' ? w.listening : undefined, watchStarted: typeof w?.started === 'boolean' ? w.started : undefined });
        this.followIfHidden();
      })
      .catch(() => undefined);
    const url = this.state.pageUrl;
    const canSee = this.backend.canSeePage;
    if (url && canSee && /^https?:/i.test(url)) {
      void canSee(url).then(
        (seen) => {
          this.set({ siteHidden: !seen });
          this.followIfHidden();
        },
        () => undefined,
      );
    } else if (this.state.siteHidden) {
      this.set({ siteHidden: undefined });
      this.followIfHidden();
    }
  };

  /**
   * The inspected tab is watched while the panel is open: on a site the browser's site access
   * leaves out (and Why 401 watching), the panel follows DevTools' own network log instead — from
   * the start, and each request as it finishes. It stops when the site is watched again, on a
   * pause, and when the user goes back to live (then the banner offers it again).
   */
  private followIfHidden(): void {
    const s = this.state;
    const hidden = s.siteHidden === true && s.watching === true;
    if (hidden && !this.follow && !this.followDeclined && !s.imported) void this.followDevtoolsLog();
    else if (!hidden && this.follow) this.stopFollowing();
  }

  /** The followed log (panel/follow.ts, loaded when first needed); `followed` is unset while it starts. */
  private follow: { followed: Followed | undefined } | undefined;
  private followDeclined = false;

  /** Follow DevTools' network log of this tab (see followIfHidden); the banner's button starts it again after "Stop following". */
  followDevtoolsLog = async (): Promise<void> => {
    if (!this.backend.followLog || !this.backend.recordedLog || this.follow) return;
    this.followDeclined = false;
    const handle: NonNullable<PanelStore['follow']> = { followed: undefined };
    this.follow = handle;
    try {
      const { followLog } = await import('../follow.ts');
      const followed = await followLog(this.backend, DEVTOOLS_LOG, () => this.state.settings?.statuses[403] ?? false, (imported, sameIds) => {
        if (this.follow !== handle) return;
        this.dispatch({ type: 'follow', imported, sameIds });
        if (!this.state.following) {
          this.set({ following: true });
          this.notify('Following DevTools’ network log of this tab.');
        }
        this.flowsChanged();
      });
      if (this.follow === handle) handle.followed = followed;
      else followed.stop();
    } catch (e) {
      if (this.follow === handle) this.follow = undefined;
      this.notify(`Could not follow DevTools’ network log: ${message(e)}`, 'error');
    }
  };

  /** Stop following DevTools' log (the banner's button); the site-hidden banner offers it again. */
  unfollow = (): void => {
    if (!this.follow) return;
    this.followDeclined = true;
    this.stopFollowing();
    this.notify('Stopped following DevTools’ network log.');
  };

  private stopFollowing(): void {
    const handle = this.follow;
    if (!handle) return;
    this.follow = undefined;
    handle.followed?.stop();
    if (this.state.following) {
      this.set({ following: false });
      this.dispatch({ type: 'import', imported: undefined });
      this.flowsChanged();
    }
  }

  /**
   * Where Why 401 hears nothing of this tab (paused, or a site its access leaves out), the panel
   * reads the failures DevTools itself recorded — its network log, judged as an import is.
   */
  async readDevtoolsLog(): Promise<void> {
    const read = this.backend.recordedLog;
    if (!read) return;
    try {
      const { logNeedsBody } = await import('../../core/flows/step.ts');
      const raw = await read(logNeedsBody);
      if (!raw) {
        this.notify('DevTools holds no network log for this tab.', 'error');
        return;
      }
      const bytes = new TextEncoder().encode(JSON.stringify({ log: { entries: raw } }));
      await this.importFile({ name: DEVTOOLS_LOG, arrayBuffer: async () => bytes.buffer as ArrayBuffer });
    } catch (e) {
      this.notify(`Could not read DevTools’ network log: ${message(e)}`, 'error');
    }
  }

  dispatch(a: RecordsAction): void {
    const next = recordsReducer(this.state, a);
    if (next !== this.state) this.set(next as Partial<PanelState>);
  }

  view(): PanelView {
    const s = this.state;
    if (this.cached?.state === s) return this.cached.view;
    const prev = this.cached?.view;
    const all = s.imported ? s.imported.records : s.live;
    if (this.filterCache?.text !== s.filterText) this.filterCache = { text: s.filterText, filter: parseFilter(s.filterText) };
    const filter = this.filterCache.filter;
    const sameRows = prev && prev.all === all && prev.filter === filter && this.cached!.state.filterCause === s.filterCause;
    const filtered = sameRows ? this.filtered! : !s.filterText.trim() && !s.filterCause ? all : all.filter((r) => (!s.filterCause || r.findings[0]?.cause === s.filterCause) && filter.test(r));
    this.filtered = filtered;
    const grouping = sameRows && this.cached!.state.groupRepeats === s.groupRepeats ? { rows: prev.rows, groups: prev.groups, repeats: prev.repeats } : groupRows(filtered, s.groupRepeats);
    const present = new Set(all.map((r) => r.findings[0]?.cause));
    const view: PanelView = {
      source: s.imported ? 'import' : 'live',
      all,
      filtered,
      ...grouping,
      filter,
      selected: s.selectedId ? all.find((r) => r.id === s.selectedId) : undefined,
      hidden: all.length - filtered.length,
      // The list's count in the rows' unit: groups of repeats while grouped (the filter may split none).
      total: all.length === filtered.length ? grouping.rows.length : s.groupRepeats ? groupFailures(all).length : all.length,
      causes: prev && prev.all === all ? prev.causes : CAUSE_CHOICES.filter((c) => present.has(c.id) || c.id === s.filterCause),
      status: s.status && (s.status.recordId === undefined || s.status.recordId === s.selectedId) ? s.status : undefined,
      pageOrigin: s.imported ? undefined : originOf(s.pageUrl),
    };
    this.cached = { state: s, view };
    return view;
  }

  notify = (text: string, kind: StatusKind = 'info', recordId?: string): void => {
    this.set({ status: { text, kind, ...(recordId !== undefined ? { recordId } : {}) } });
  };

  /** Follow the inspected tab: pushes applied once per frame, older records asked for in batches. */
  start(): () => void {
    const b = this.backend;
    b.request('get-settings', {}).then((settings) => this.set({ settings }), () => undefined);
    this.readWatching();
    const stopVisibility = b.onVisibility?.((shown) => {
      this.set({ shown });
      if (shown) this.readWatching();
    });
    const stopFocus = b.onFocus?.(this.readWatching);
    if (stopFocus) this.stops.push(stopFocus);
    if (stopVisibility) this.stops.push(stopVisibility);
    if (b.tabId !== undefined) {
      const tabId = b.tabId;
      let queue: Push[] = [];
      let scheduled = false;
      /** A first snapshot left older records out: ask for them (in batches) once the newest have painted. */
      let more: number | undefined;
      const flush = () => {
        scheduled = false;
        const batch = queue;
        queue = [];
        this.dispatch({ type: 'pushes', pushes: batch });
        if (more !== undefined) {
          const before = more;
          more = undefined;
          // The answer is parsed well after this frame paints (serialising takes the worker a while).
          setTimeout(() => sub.more?.(tabId, before), 0);
        }
      };
      const sub = b.subscribe(
        tabId,
        (p) => {
          queue.push(p);
          if (!scheduled) {
            scheduled = true;
            setTimeout(flush, 16);
          }
          if (p.type === 'older') more = p.older > 0 && p.records[0] ? p.records[0].seq : undefined;
          if (p.type === 'snapshot') {
            more = p.snapshot.older && p.snapshot.records[0] ? p.snapshot.records[0].seq : undefined;
            void b.pageUrl().then((pageUrl) => this.set({ pageUrl }));
            this.refreshFrames();
          }
        },
        (connected) => this.dispatch({ type: 'connected', connected }),
      );
      void b.pageUrl().then((pageUrl) => {
        this.set({ pageUrl });
        this.readWatching();
      });
      this.refreshFrames();
      b.onNavigated((pageUrl) => {
        this.set({ pageUrl });
        // As the live list: a new page starts a new followed log, unless the log is preserved.
        this.follow?.followed?.navigated(this.state.settings?.preserveLog ?? false);
        this.readWatching();
        this.refreshFrames();
        // A sign-in crosses pages: the open sign-in view reads the log again once the page has loaded its first requests.
        if (this.state.signIn.open) setTimeout(() => void this.readFlows(), 1000);
      });
      this.stops.push(() => sub.close());
    }
    this.stops.push(() => this.stopFollowing());
    return () => {
      for (const stop of this.stops.splice(0)) stop();
    };
  }

  select = (id: string | undefined): void => {
    this.dispatch({ type: 'select', id });
    // Frames come and go without a navigation: the list is read again when a failure is opened.
    if (id !== undefined) this.refreshFrames();
  };

  /** Read the inspected page's frame documents again; the state changes only when they did. */
  private refreshFrames(): void {
    const read = this.backend.frameDocuments;
    if (!read) return;
    void read().then(
      (frames) => {
        const now = this.state.frames;
        if (!now || now.length !== frames.length || now.some((u, i) => u !== frames[i])) this.set({ frames });
      },
      () => undefined,
    );
  }
  /** Open or close the sign-in view; opening reads the flows (panel/sign-in-read.ts). */
  /** A sign-in step's exchange in DevTools' Network panel (filtered to it), where DevTools can show it. */
  get canShowSteps(): boolean {
    return this.backend.showInNetwork !== undefined && this.state.signIn.source?.kind === 'devtools';
  }

  showStep = (exchange: { method: string; url: string; status: number }): void => {
    void import('./failure-actions.ts').then(({ networkFilter }) => this.backend.showInNetwork?.(networkFilter(exchange.url, exchange.method, exchange.status)));
  };

  /** Show each repeat on its own row, or fold them into their first (the default). */
  setGroupRepeats = (groupRepeats: boolean): void => this.set({ groupRepeats });

  /**
   * A failure's token lane needs the flows of its tab (or file): read them unless a read since
   * it came holds them, or none can be had.
   */
  wantFlows = (at: number): void => {
    const v = this.state.signIn;
    if (v.status === 'reading' || v.status === 'unavailable' || v.status === 'error') return;
    if (v.status === 'read' && (v.readAt ?? 0) >= at) return;
    void this.readFlows();
  };

  /** Open the sign-in view at flow `n` (its number there). */
  showFlow = (n: number): void => {
    this.set({ signIn: { ...this.state.signIn, open: true, focus: n } });
    void this.readFlows();
  };

  /** Flows read for another source (a file opened or closed) are dropped, so nothing shows them against the wrong failures. */
  private flowsChanged(): void {
    if (this.state.signIn.open) void this.readFlows();
    else this.set({ signIn: { open: false, status: 'idle', flows: [], entries: 0 } });
  }

  toggleSignIn = (): void => {
    const open = !this.state.signIn.open;
    this.set({ signIn: { ...this.state.signIn, open } });
    if (open) void this.readFlows();
  };

  /** The sign-in reader's way to say what it read (panel/sign-in-read.ts). */
  setSignIn = (patch: Partial<SignInState>): void => this.set({ signIn: { ...this.state.signIn, ...patch } });

  private signInReader: Promise<SignInReader> | undefined;

  /** Read the sign-in flows again (one read at a time; one asked for meanwhile runs after it). */
  readFlows = async (): Promise<void> => {
    this.signInReader ??= import('../SignIn.tsx').then((m) => m.signInReader());
    try {
      await (await this.signInReader).readFlows(this);
    } catch (e) {
      this.setSignIn({ status: 'error', error: message(e) });
    }
  };

  setFilterText = (filterText: string): void => this.set({ filterText });
  setFilterCause = (filterCause: CauseId | ''): void => this.set({ filterCause });
  clearFilter = (): void => this.set({ filterText: '', filterCause: '' });
  dismissNavigationNote = (): void => this.dispatch({ type: 'dismiss-navigation' });

  async importFile(file: File | { name: string; arrayBuffer(): Promise<ArrayBuffer> }): Promise<void> {
    if (this.follow) {
      this.followDeclined = true;
      this.stopFollowing();
    }
    this.set({ importing: true });
    this.notify(`Reading ${file.name}…`);
    // Let the message paint before the (synchronous) parse.
    await new Promise((r) => setTimeout(r, 16));
    try {
      const { importHar } = await import('../import.ts');
      const imported = await importHar(file, { include403: this.state.settings?.statuses[403] ?? false });
      this.dispatch({ type: 'import', imported });
      this.flowsChanged();
      this.notify(
        `${file.name}: ${imported.records.length} auth failure${imported.records.length === 1 ? '' : 's'} in ${imported.entries} entr${imported.entries === 1 ? 'y' : 'ies'}${imported.skipped.length > 0 ? `; ${imported.skipped.length} unreadable (partial result)` : ''}.`,
        'ok',
      );
    } catch (e) {
      // A broken file never replaces what is shown.
      this.notify(`Could not import ${file.name}: ${message(e)}`, 'error');
    } finally {
      this.set({ importing: false });
    }
  }

  /** Clear: the imported file closes (back to live), or the tab's list and badge go. */
  async clear(): Promise<void> {
    if (this.follow) {
      // The followed list clears, as Network's does; following goes on.
      await this.follow.followed?.clear();
      return;
    }
    if (this.state.imported) {
      this.dispatch({ type: 'import', imported: undefined });
      this.flowsChanged();
      this.notify('Back to the live capture of this tab.');
      return;
    }
    if (this.backend.tabId === undefined) return;
    this.dispatch({ type: 'cleared' });
    try {
      await this.backend.request('clear-tab', { tabId: this.backend.tabId });
    } catch (e) {
      this.notify(message(e), 'error');
    }
  }

  async setPreserve(on: boolean): Promise<void> {
    const settings = this.state.settings;
    if (!settings) return;
    try {
      this.set({ settings: await this.backend.request('set-settings', { settings: { ...settings, preserveLog: on } }) });
      if (on) this.dismissNavigationNote();
    } catch (e) {
      this.notify(message(e), 'error');
    }
  }

  /** The sign-in flows' steps in DevTools' network log (none outside DevTools, or when it cannot be read). */
  async flowStepsForExport(): Promise<HarEntry[]> {
    if (!this.backend.recordedLog) return [];
    try {
      const [{ flowNeedsBody }, { flowStepEntries }] = await Promise.all([import('../../core/flows/step.ts'), import('../../core/flows/view.ts')]);
      const raw = await this.backend.recordedLog(flowNeedsBody);
      return raw ? flowStepEntries(raw) : [];
    } catch {
      return [];
    }
  }

  /**
   * The sign-in flows' steps in DevTools' network log as a HAR file, secrets masked: a flow can
   * break with no 401 to export (a refused nonce, a state the app did not send), and the file reads
   * to the same flows in the panel's import and `why401 explain` (panel/sign-in-read.ts, loaded with the view).
   */
  exportFlows = async (): Promise<void> => {
    this.signInReader ??= import('../SignIn.tsx').then((m) => m.signInReader());
    await (await this.signInReader).exportFlows(this);
  };

  /** A re-run's result: shown beside its failure at once, and kept by the background for a live one. */
  rerunDone(id: string, result: RerunResult): void {
    this.dispatch({ type: 'rerun', id, result });
    if (!id.startsWith('har:')) void this.backend.request('record-rerun', { recordId: id, result }).catch(() => undefined);
  }

  async exportAs(kind: 'md' | 'har', which: 'selected' | 'all', includeSecrets: boolean): Promise<void> {
    const v = this.view();
    // Every failure the filter keeps: a group of repeats is exported whole (each exchange on its own).
    const list = which === 'selected' ? (v.selected ? [v.selected] : []) : v.filtered;
    if (list.length === 0) {
      this.notify('Nothing to export.', 'error');
      return;
    }
    try {
      const [{ exportHar, exportFileName }, { markdownReport }] = await Promise.all([import('../../core/exchange/export.ts'), import('../../core/views/report-md.ts')]);
      if (kind === 'md') {
        const items = list.map((r) => ({ entry: r.entry, findings: r.findings, notes: r.notes ?? [] }));
        this.backend.download(exportFileName('md', includeSecrets), markdownReport(items, { includeSecrets, page: this.state.pageUrl, version: VERSION }), 'text/markdown');
      } else {
        // With DevTools open, the sign-in flows' steps go too (from its network log), so the file's flows read again.
        const steps = which === 'all' && !this.state.imported ? await this.flowStepsForExport() : [];
        this.backend.download(exportFileName('har', includeSecrets), JSON.stringify(exportHar(list, { includeSecrets, version: VERSION }, steps), null, 2), 'application/json');
        if (steps.length > 0) {
          this.notify(`Exported ${list.length} failure${list.length === 1 ? '' : 's'} and ${steps.length} sign-in step${steps.length === 1 ? '' : 's'}${includeSecrets ? ' WITH secrets' : ', secrets masked'}.`, 'ok');
          return;
        }
      }
      this.notify(`Exported ${list.length} failure${list.length === 1 ? '' : 's'}${includeSecrets ? ' WITH secrets' : ', secrets masked'}.`, 'ok');
    } catch (e) {
      this.notify(message(e), 'error');
    }
  }
}

/** Re-render on every store change; returns the store's derived view. */
export function useStore(store: PanelStore): PanelView {
  useObservable(store);
  return store.view();
}

/** The rows of the filtered failures: a group of repeats (core/verdict/burst.ts) as its first, unless each is shown. */
function groupRows(filtered: StoredRecord[], grouped: boolean): Pick<PanelView, 'rows' | 'groups' | 'repeats'> {
  const all = groupFailures(filtered);
  const groups = new Map<string, FailureGroup<StoredRecord>>();
  for (const g of all) if (g.members.length > 1) groups.set(g.head.id, g);
  const repeats = filtered.length - all.length;
  return { rows: grouped && repeats > 0 ? all.map((g) => g.head) : filtered, groups, repeats };
}
