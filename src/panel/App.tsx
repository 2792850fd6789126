/**
 * The Why 401 panel: the inspected tab's auth failures (or an imported HAR's), each explained
 * from its evidence, with the fixes one click away.
 */
import { Component, type ComponentChildren } from 'preact';
import { useCallback, useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState } from 'preact/hooks';
import { CAUSES, CAUSE_IDS, type CauseId } from '../core/causes.ts';
import type { Push } from '../shared/protocol.ts';
import type { RerunResult, StoredRecord, TabSnapshot } from '../shared/records.ts';
import type { Settings } from '../shared/settings.ts';
import { safe } from '../ui/components.tsx';
import { applyTheme } from '../ui/theme.ts';
import type { PanelBackend } from './backend.ts';
import type { DetailProps } from './Detail.tsx';
import type { Imported } from './import.ts';
import { List, pageOriginOf } from './List.tsx';
import { parseFilter } from './filter.ts';
import { useRecordedEvidence } from './recorded.ts';
import { startDrag, useColumns, useNarrow, useSplit } from './layout.ts';

interface State {
  live: StoredRecord[];
  count: number;
  dropped: number;
  lost: number;
  connected: boolean;
  imported: Imported | undefined;
  selectedId: string | undefined;
}

type Action =
  | { type: 'push'; push: Push }
  | { type: 'pushes'; pushes: Push[] }
  | { type: 'connected'; connected: boolean }
  | { type: 'select'; id: string | undefined }
  | { type: 'import'; imported: Imported | undefined }
  | { type: 'rerun'; id: string; result: RerunResult }
  | { type: 'cleared' };

function fromSnapshot(state: State, s: TabSnapshot): State {
  // Rebuilt after a reconnect: keep the selection when the record still exists.
  const keep = state.selectedId && s.records.some((r) => r.id === state.selectedId) ? state.selectedId : state.imported ? state.selectedId : undefined;
  return { ...state, live: s.records, count: s.count, dropped: s.dropped, lost: s.lost, selectedId: keep };
}

/** Many records at once (a burst): merged in one pass instead of one copy of the list per record. */
function applyPushes(state: State, pushes: Push[]): State {
  let next = state;
  let added: StoredRecord[] = [];
  const flush = () => {
    if (added.length === 0) return;
    const ids = new Set(added.map((r) => r.id));
    const live = next.live.filter((r) => !ids.has(r.id)).concat(added);
    live.sort((x, y) => x.seq - y.seq);
    const keep = next.count - next.dropped;
    next = { ...next, live: live.length > keep && keep > 0 ? live.slice(live.length - keep) : live };
    added = [];
  };
  for (const p of pushes) {
    if (p.type === 'record') {
      added.push(p.record);
      next = { ...next, count: p.count, dropped: p.dropped };
    } else {
      flush();
      next = reducer(next, { type: 'push', push: p });
    }
  }
  flush();
  return next;
}

function reducer(state: State, a: Action): State {
  switch (a.type) {
    case 'pushes':
      return applyPushes(state, a.pushes);
    case 'push': {
      const p = a.push;
      if (p.type === 'snapshot') return fromSnapshot(state, p.snapshot);
      if (p.type === 'record') {
        const live = state.live.filter((r) => r.id !== p.record.id);
        live.push(p.record);
        live.sort((x, y) => x.seq - y.seq);
        // The caps drop the oldest: follow what the background keeps.
        const keep = p.count - p.dropped;
        return { ...state, live: live.length > keep && keep > 0 ? live.slice(live.length - keep) : live, count: p.count, dropped: p.dropped };
      }
      if (p.type === 'older') {
        // The rest of the first snapshot, older than everything shown: prepended, never duplicated.
        const have = new Set(state.live.map((r) => r.id));
        const first = state.live[0]?.seq ?? Number.POSITIVE_INFINITY;
        const add = p.records.filter((r) => !have.has(r.id) && r.seq < first);
        return add.length === 0 ? state : { ...state, live: [...add, ...state.live] };
      }
      if (p.type === 'record-updated') return { ...state, live: state.live.map((r) => (r.id === p.record.id ? p.record : r)) };
      if (p.type === 'cleared') return { ...state, live: [], count: 0, dropped: 0, lost: 0, selectedId: state.imported ? state.selectedId : undefined };
      if (p.type === 'meta') {
        const keep = p.count - p.dropped;
        return { ...state, count: p.count, dropped: p.dropped, live: state.live.length > keep && keep >= 0 ? state.live.slice(state.live.length - keep) : state.live };
      }
      return state;
    }
    case 'connected':
      return { ...state, connected: a.connected };
    case 'select':
      return { ...state, selectedId: a.id };
    case 'import':
      return { ...state, imported: a.imported, selectedId: undefined };
    case 'rerun': {
      const upd = (r: StoredRecord) => (r.id === a.id ? { ...r, reruns: [...(r.reruns ?? []), a.result] } : r);
      if (state.imported && a.id.startsWith('har:')) return { ...state, imported: { ...state.imported, records: state.imported.records.map(upd) } };
      return { ...state, live: state.live.map(upd) };
    }
    case 'cleared':
      return { ...state, live: [], count: 0, dropped: 0, lost: 0, selectedId: undefined };
  }
}

/**
 * The detail view is loaded after the list has painted (it brings the diagnosis, redaction and
 * cookie code, and the Public Suffix List): the panel shows its first rows sooner.
 */
type DetailModule = typeof import('./Detail.tsx');
let detailModule: DetailModule | undefined;
let detailLoading: Promise<DetailModule> | undefined;
export function loadDetail(): Promise<DetailModule> {
  detailLoading ??= import('./Detail.tsx').then((m) => (detailModule = m));
  return detailLoading;
}

function LazyDetail(props: DetailProps) {
  const [mod, setMod] = useState(detailModule);
  const [failed, setFailed] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (!mod) loadDetail().then(setMod, (e: unknown) => setFailed(e instanceof Error ? e.message : String(e)));
  }, []);
  if (failed) return <div class="empty detail-empty"><p>The detail view could not be loaded: {safe(failed)}</p></div>;
  if (!mod) return <div class="empty detail-empty" aria-busy="true"><p>Loading…</p></div>;
  return <mod.Detail {...props} />;
}

/**
 * While DevTools shows another panel, nothing is rendered: the state still follows the background
 * (and DevTools' evidence is still read), and the view catches up in one render when shown again.
 */
class Frozen extends Component<{ frozen: boolean; children: ComponentChildren }> {
  override shouldComponentUpdate(next: { frozen: boolean }): boolean {
    return !next.frozen;
  }
  override render() {
    return this.props.children;
  }
}

const VERSION = typeof WHY401_VERSION === 'string' ? WHY401_VERSION : 'dev';

export function App({ backend }: { backend: PanelBackend }) {
  const [state, dispatch] = useReducer(reducer, { live: [], count: 0, dropped: 0, lost: 0, connected: backend.tabId === undefined, imported: undefined, selectedId: undefined });
  const [settings, setSettings] = useState<Settings | undefined>(undefined);
  const [filterText, setFilterText] = useState('');
  const [filterCause, setFilterCause] = useState<CauseId | ''>('');
  const [pageUrl, setPageUrl] = useState<string | undefined>(undefined);
  /** The status line: what the last action did. An action on one failure says so only while that failure is selected. */
  const [status, setStatus] = useState<{ text: string; kind: 'ok' | 'error' | 'info'; recordId?: string } | undefined>(undefined);
  const [importing, setImporting] = useState(false);
  const [exportOpen, setExportOpen] = useState(false);
  const [exportSecrets, setExportSecrets] = useState(false);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const detailRef = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const splitRef = useRef<HTMLDivElement>(null);
  const narrow = useNarrow();
  const split = useSplit(narrow);
  const columns = useColumns();
  /** Whether DevTools shows this panel (it is created when first shown). */
  const [shown, setShown] = useState(true);
  useEffect(() => backend.onVisibility?.(setShown), [backend]);
  const containerSize = () => (narrow ? splitRef.current?.clientHeight : splitRef.current?.clientWidth) ?? 800;

  const notify = useCallback((text: string, kind: 'ok' | 'error' | 'info' = 'info') => setStatus({ text, kind }), []);
  const notifyFor = useCallback((recordId: string) => (text: string, kind: 'ok' | 'error' | 'info' = 'info') => setStatus({ text, kind, recordId }), []);

  // Theme: follow DevTools.
  useEffect(() => {
    applyTheme(backend.theme());
    backend.onThemeChange(applyTheme);
  }, [backend]);

  useEffect(() => {
    backend.request('get-settings', {}).then(setSettings, () => undefined);
  }, [backend]);

  // Live capture of the inspected tab.
  useEffect(() => {
    if (backend.tabId === undefined) return;
    // Pushes are applied once per frame: a burst of failures re-renders the list once, not per failure.
    let queue: Push[] = [];
    let scheduled = false;
    /** A first snapshot left older records out: ask for them (in batches) once the newest have painted. */
    let more: number | undefined;
    const flush = () => {
      scheduled = false;
      const batch = queue;
      queue = [];
      dispatch({ type: 'pushes', pushes: batch });
      if (more !== undefined) {
        const before = more;
        more = undefined;
        // The answer is parsed well after this frame paints (serialising takes the worker a while).
        setTimeout(() => sub.more?.(backend.tabId!, before), 0);
      }
    };
    const sub = backend.subscribe(
      backend.tabId,
      (p) => {
        queue.push(p);
        if (!scheduled) {
          scheduled = true;
          setTimeout(flush, 16);
        }
        // Older records come in batches, each asked for once the one before has been applied.
        if (p.type === 'older') more = p.older > 0 && p.records[0] ? p.records[0].seq : undefined;
        if (p.type === 'snapshot') {
          more = p.snapshot.older && p.snapshot.records[0] ? p.snapshot.records[0].seq : undefined;
          void backend.pageUrl().then(setPageUrl);
        }
      },
      (c) => dispatch({ type: 'connected', connected: c }),
    );
    void backend.pageUrl().then(setPageUrl);
    backend.onNavigated((url) => setPageUrl(url));
    return () => sub.close();
  }, [backend]);

  // While DevTools records, failures get their response bodies and call stacks (evidence the background never has).
  useRecordedEvidence(backend, state.live);

  const source: 'live' | 'import' = state.imported ? 'import' : 'live';
  const all = state.imported ? state.imported.records : state.live;
  const filter = useMemo(() => parseFilter(filterText), [filterText]);
  const rows = useMemo(() => {
    if (!filterText.trim() && !filterCause) return all;
    return all.filter((r) => (!filterCause || r.findings[0]?.cause === filterCause) && filter.test(r));
  }, [all, filter, filterCause]);
  const selected = state.selectedId ? all.find((r) => r.id === state.selectedId) : undefined;
  const shownStatus = status && (status.recordId === undefined || status.recordId === state.selectedId) ? status : undefined;

  // Another failure opens at its verdict, not where the last one was scrolled to.
  useLayoutEffect(() => {
    if (detailRef.current) detailRef.current.scrollTop = 0;
  }, [state.selectedId]);

  // Fetch the detail view's code once the first rows have painted (not before: the list comes
  // first), so that the first click rarely waits for it.
  const hasRows = all.length > 0;
  useEffect(() => {
    if (!hasRows || detailModule) return;
    const t = setTimeout(() => void loadDetail().catch(() => undefined), 50);
    return () => clearTimeout(t);
  }, [hasRows]);

  const causesPresent = useMemo(() => new Set(all.map((r) => r.findings[0]?.cause).filter(Boolean)), [all]);

  const doImport = async (file: File) => {
    setImporting(true);
    notify(`Reading ${file.name}…`);
    // Let the message paint before the (synchronous) parse.
    await new Promise((r) => setTimeout(r, 16));
    try {
      const { importHar } = await import('./import.ts');
      const imported = await importHar(file, { include403: settings?.statuses[403] ?? false });
      dispatch({ type: 'import', imported });
      notify(
        `${file.name}: ${imported.records.length} auth failure${imported.records.length === 1 ? '' : 's'} in ${imported.entries} entr${imported.entries === 1 ? 'y' : 'ies'}${imported.skipped.length > 0 ? `; ${imported.skipped.length} unreadable (partial result)` : ''}.`,
        'ok',
      );
    } catch (e) {
      // A broken file never replaces what is shown.
      notify(`Could not import ${file.name}: ${e instanceof Error ? e.message : String(e)}`, 'error');
    } finally {
      setImporting(false);
    }
  };

  const onRerun = (id: string, result: RerunResult) => {
    dispatch({ type: 'rerun', id, result });
    if (!id.startsWith('har:')) void backend.request('record-rerun', { recordId: id, result }).catch(() => undefined);
  };

  const clear = async () => {
    if (state.imported) {
      dispatch({ type: 'import', imported: undefined });
      notify('Back to the live capture of this tab.');
      return;
    }
    if (backend.tabId === undefined) return;
    dispatch({ type: 'cleared' });
    try {
      await backend.request('clear-tab', { tabId: backend.tabId });
    } catch (e) {
      notify(e instanceof Error ? e.message : String(e), 'error');
    }
  };

  const setPreserve = async (on: boolean) => {
    if (!settings) return;
    try {
      setSettings(await backend.request('set-settings', { settings: { ...settings, preserveLog: on } }));
    } catch (e) {
      notify(e instanceof Error ? e.message : String(e), 'error');
    }
  };

  const doExport = async (kind: 'md' | 'har', which: 'selected' | 'all') => {
    setExportOpen(false);
    const list = which === 'selected' ? (selected ? [selected] : []) : rows;
    if (list.length === 0) {
      notify('Nothing to export.', 'error');
      return;
    }
    try {
      const [{ exportHar, exportFileName }, { markdownReport }] = await Promise.all([import('../core/export.ts'), import('../core/report-md.ts')]);
      if (kind === 'md') {
        backend.download(exportFileName('md', exportSecrets), markdownReport(list.map((r) => ({ entry: r.entry, findings: r.findings, notes: r.notes ?? [] })), { includeSecrets: exportSecrets, page: pageUrl, version: VERSION }), 'text/markdown');
      } else {
        const har = exportHar(list, { includeSecrets: exportSecrets, version: VERSION });
        backend.download(exportFileName('har', exportSecrets), JSON.stringify(har, null, 2), 'application/json');
      }
      notify(`Exported ${list.length} failure${list.length === 1 ? '' : 's'}${exportSecrets ? ' WITH secrets' : ', secrets masked'}.`, 'ok');
    } catch (e) {
      notify(e instanceof Error ? e.message : String(e), 'error');
    }
    setExportSecrets(false);
  };

  const allowReveal = settings?.allowReveal ?? true;
  const pageOrigin = pageOriginOf(pageUrl);
  const hidden = all.length - rows.length;

  return (
    <Frozen frozen={!shown}>
      <div
        class={`panel${dragging ? ' dragging' : ''}`}
        onDragOver={(e) => {
          if (e.dataTransfer?.types.includes('Files')) {
            e.preventDefault();
            setDragging(true);
          }
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          const f = e.dataTransfer?.files[0];
          if (f) void doImport(f);
        }}
      >
        <div class="toolbar" role="toolbar" aria-label="Why 401">
          <button type="button" class="icon" onClick={() => void clear()} title={state.imported ? 'Close the imported file' : 'Clear this tab’s list (and its badge)'}>
            {state.imported ? 'Close import' : 'Clear'}
          </button>
          <label title="Keep the list across page loads" class={state.imported ? 'disabled' : ''}>
            <input type="checkbox" disabled={!settings || !!state.imported} checked={settings?.preserveLog ?? false} onChange={(e) => void setPreserve((e.currentTarget as HTMLInputElement).checked)} /> Preserve log
          </label>
          <input
            type="search"
            placeholder="Filter"
            aria-label="Filter by text"
            aria-invalid={filter.errors.length > 0}
            title={filter.errors.length > 0 ? filter.errors.join('\n') : 'Words, status:401 (or 4xx), method:OPTIONS, domain:api.example.com (*.example.com), cause:token-expired, scheme:bearer, /regex/; a leading - negates a term'}
            value={filterText}
            onInput={(e) => setFilterText((e.currentTarget as HTMLInputElement).value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape' && filterText) {
                e.preventDefault();
                e.stopPropagation();
                setFilterText('');
              }
            }}
          />
          <select aria-label="Filter by cause" value={filterCause} onChange={(e) => setFilterCause((e.currentTarget as HTMLSelectElement).value as CauseId | '')}>
            <option value="">All causes</option>
            {CAUSE_IDS.filter((c) => causesPresent.has(c) || c === filterCause).map((c) => (
              <option key={c} value={c}>
                {CAUSES[c].label}
              </option>
            ))}
          </select>
          <span class="spacer" />
          <button type="button" onClick={() => fileInput.current?.click()} disabled={importing} title="Import a HAR file from any browser or tool (or drop it here)">
            {importing ? 'Importing…' : 'Import…'}
          </button>
          <input
            ref={fileInput}
            type="file"
            accept=".har,.json,application/json"
            class="visually-hidden"
            tabIndex={-1}
            onChange={(e) => {
              const input = e.currentTarget as HTMLInputElement;
              const f = input.files?.[0];
              input.value = '';
              if (f) void doImport(f);
            }}
          />
          <div class="menu-wrap">
            <button type="button" aria-haspopup="menu" aria-expanded={exportOpen} onClick={() => setExportOpen(!exportOpen)} disabled={all.length === 0}>
              Export ▾
            </button>
            {exportOpen && (
              <div class="menu" role="menu" onKeyDown={(e) => e.key === 'Escape' && setExportOpen(false)}>
                <button type="button" role="menuitem" disabled={!selected} onClick={() => void doExport('md', 'selected')}>
                  Report of the selected failure (Markdown)
                </button>
                <button type="button" role="menuitem" onClick={() => void doExport('md', 'all')}>
                  Report of {hidden > 0 ? 'the shown' : 'all'} failures (Markdown)
                </button>
                <button type="button" role="menuitem" disabled={!selected} onClick={() => void doExport('har', 'selected')}>
                  HAR of the selected failure
                </button>
                <button type="button" role="menuitem" onClick={() => void doExport('har', 'all')}>
                  HAR of {hidden > 0 ? 'the shown' : 'all'} failures
                </button>
                <label>
                  <input type="checkbox" checked={exportSecrets} onChange={(e) => setExportSecrets((e.currentTarget as HTMLInputElement).checked)} /> include secrets (this export only)
                </label>
              </div>
            )}
          </div>
        </div>

        {state.imported && (
          <div class="banner info" role="status">
            Showing <strong>{safe(state.imported.name)}</strong>: {state.imported.records.length} auth failure{state.imported.records.length === 1 ? '' : 's'} in {state.imported.entries} entries
            {state.imported.skipped.length > 0 ? `; ${state.imported.skipped.length} entries could not be read (partial result)` : ''}. The live capture goes on meanwhile.{' '}
            <button type="button" class="link" onClick={() => void clear()}>
              Back to live
            </button>
          </div>
        )}
        {!state.imported && state.dropped > 0 && (
          <div class="banner warn" role="status">
            {state.dropped} older failure{state.dropped === 1 ? ' was' : 's were'} dropped to stay within the per-tab cap ({state.count} in all since the list was cleared). Raise the cap in the extension’s settings.
          </div>
        )}
        {!state.imported && state.lost > 0 && (
          <div class="banner warn" role="status">
            {state.lost} failure{state.lost === 1 ? ' was' : 's were'} counted but not recorded: the browser stopped the background while it was gathering their evidence.
          </div>
        )}
        {!state.connected && backend.tabId !== undefined && (
          <div class="banner warn" role="status">
            Reconnecting to the background (the browser restarted it)…
          </div>
        )}

        <div class={`split${narrow ? ' narrow' : ''}`} ref={splitRef}>
          <div class="split-list" ref={listRef} style={split.size > 0 ? { flexBasis: `${split.size}px` } : undefined}>
            {all.length === 0 ? (
              <div class="empty">
                <h2>No sign-in failures in this tab yet</h2>
                <p>Why 401 lists every 401 and 407 this tab gets (and 403s, if you turn them on in the extension’s settings), with why it happened and how to fix it. It records them even while DevTools is closed.</p>
                <p>Use the site, or reload the page, and failures appear here as they happen. To read a saved session instead, import a HAR file (Import… above, or drop the file here).</p>
              </div>
            ) : rows.length === 0 ? (
              <div class="empty">
                <p>No failure matches the filter.</p>
                <button
                  type="button"
                  onClick={() => {
                    setFilterText('');
                    setFilterCause('');
                  }}
                >
                  Clear the filter
                </button>
              </div>
            ) : (
              <List
                rows={rows}
                selectedId={state.selectedId}
                pageOrigin={source === 'live' ? pageOrigin : undefined}
                onSelect={(id) => dispatch({ type: 'select', id })}
                onOpen={() => detailRef.current?.querySelector<HTMLElement>('.detail')?.focus()}
                follow={source === 'live'}
                columns={columns.columns}
                onResizeColumn={columns.resize}
                onResetColumns={columns.reset}
              />
            )}
          </div>
          <div
            class="splitter"
            role="separator"
            tabIndex={0}
            aria-orientation={narrow ? 'horizontal' : 'vertical'}
            aria-label="Resize the list"
            aria-valuenow={split.size || undefined}
            aria-valuemin={narrow ? 90 : 260}
            aria-valuemax={Math.max(0, containerSize() - (narrow ? 120 : 280))}
            title="Drag to resize the list (or focus and use the arrow keys)"
            onPointerDown={(e) => {
              const box = listRef.current?.getBoundingClientRect();
              const start = (narrow ? box?.height : box?.width) ?? split.size;
              const total = containerSize();
              startDrag(e as unknown as PointerEvent, (dx, dy) => split.setSize(start + (narrow ? dy : dx), total));
            }}
            onKeyDown={(e) => {
              const step = e.shiftKey ? 64 : 16;
              const grow = narrow ? e.key === 'ArrowDown' : e.key === 'ArrowRight';
              const shrink = narrow ? e.key === 'ArrowUp' : e.key === 'ArrowLeft';
              if (!grow && !shrink) return;
              e.preventDefault();
              const box = listRef.current?.getBoundingClientRect();
              const now = (narrow ? box?.height : box?.width) ?? split.size;
              split.setSize(now + (grow ? step : -step), containerSize());
            }}
          />
          <div class="split-detail" ref={detailRef}>
            {selected ? (
              <LazyDetail
                key={selected.id}
                record={selected}
                allowReveal={allowReveal}
                backend={backend}
                source={source}
                pageUrl={pageUrl}
                onRerun={(r) => onRerun(selected.id, r)}
                notify={notifyFor(selected.id)}
                onBack={() => listRef.current?.querySelector<HTMLElement>('.list-body')?.focus()}
              />
            ) : (
              <div class="empty detail-empty">{all.length > 0 ? <p>Select a failure to see why it happened and how to fix it. (↑/↓ to move, Enter to open, Esc to go back.)</p> : null}</div>
            )}
          </div>
        </div>
        <div class={`statusbar ${shownStatus?.kind ?? ''}`}>
          <span class="status-text" role="status" aria-live="polite">
            {shownStatus ? safe(shownStatus.text) : ''}
          </span>
          <span class="count" aria-live="polite">
            {rows.length}
            {hidden > 0 ? ` of ${all.length}` : ''} failure{all.length === 1 ? '' : 's'}
            {!state.imported && state.count > all.length ? ` (${state.count} since cleared)` : ''}
          </span>
        </div>
      </div>
    </Frozen>
  );
}
