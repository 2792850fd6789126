/**
 * The Why 401 panel: the inspected tab's auth failures (or an imported HAR's), each explained
 * from its evidence, with the fixes one click away. State and every call to the background live
 * in the store (store/panel-store.ts); this file lays the parts out.
 */
import { Component, type ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { safe } from '../ui/components.tsx';
import { applyTheme } from '../ui/theme.ts';
import type { PanelBackend } from './backend.ts';
import type { DetailPaneProps } from './Detail.tsx';
import { List } from './List.tsx';
import { useRecordedEvidence } from './recorded.ts';
import { startDrag, useColumns, useNarrow, useSplit } from './layout.ts';
import { PanelStore, useStore } from './store/panel-store.ts';
import { Banners, StatusBar, Toolbar } from './Toolbar.tsx';

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

function LazyDetail(props: DetailPaneProps) {
  const [mod, setMod] = useState(detailModule);
  const [failed, setFailed] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (!mod) loadDetail().then(setMod, (e: unknown) => setFailed(e instanceof Error ? e.message : String(e)));
  }, []);
  if (failed) return <div class="empty detail-empty"><p>The detail view could not be loaded: {safe(failed)}</p></div>;
  if (!mod) return <div class="empty detail-empty" aria-busy="true"><p>Loading…</p></div>;
  return <mod.DetailPane {...props} />;
}

/** The sign-in view, loaded when first opened (it brings core's flow code). */
type SignInModule = typeof import('./SignIn.tsx');
let signInModule: SignInModule | undefined;
function LazySignIn({ store }: { store: PanelStore }) {
  const [mod, setMod] = useState(signInModule);
  useEffect(() => {
    if (!mod) void import('./SignIn.tsx').then((m) => setMod((signInModule = m)));
  }, []);
  if (!mod) return <div class="empty" aria-busy="true"><p>Loading…</p></div>;
  return <mod.SignIn store={store} />;
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

export function App({ backend }: { backend: PanelBackend }) {
  const store = useMemo(() => new PanelStore(backend), [backend]);
  const view = useStore(store);
  const s = store.state;
  const [dragging, setDragging] = useState(false);
  const detailRef = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const splitRef = useRef<HTMLDivElement>(null);
  const narrow = useNarrow();
  const split = useSplit(narrow);
  const columns = useColumns();
  const containerSize = () => (narrow ? splitRef.current?.clientHeight : splitRef.current?.clientWidth) ?? 800;

  useEffect(() => store.start(), [store]);
  // Theme: follow DevTools.
  useEffect(() => {
    applyTheme(backend.theme());
    backend.onThemeChange(applyTheme);
  }, [backend]);
  // While DevTools records, failures get their response bodies and call stacks (evidence the background never has).
  useRecordedEvidence(backend, s.live);

  // Another failure opens at its verdict, not where the last one was scrolled to.
  useLayoutEffect(() => {
    if (detailRef.current) detailRef.current.scrollTop = 0;
  }, [s.selectedId]);

  // Fetch the detail view's code once the first rows have painted (not before: the list comes first).
  const hasRows = view.all.length > 0;
  useEffect(() => {
    if (!hasRows || detailModule) return;
    const t = setTimeout(() => void loadDetail().catch(() => undefined), 50);
    return () => clearTimeout(t);
  }, [hasRows]);

  const { rows, all, selected, source } = view;
  return (
    <Frozen frozen={!s.shown}>
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
          if (f) void store.importFile(f);
        }}
      >
        <Toolbar store={store} view={view} />
        <Banners store={store} view={view} />
        {s.signIn.open ? <LazySignIn store={store} /> : null}
        <div class={`split${narrow ? ' narrow' : ''}`} ref={splitRef} hidden={s.signIn.open}>
          <div class="split-list" ref={listRef} style={split.size > 0 ? { flexBasis: `${split.size}px` } : undefined}>
            {all.length === 0 ? (
              <div class="empty">
                <h2>No sign-in failures in this tab yet</h2>
                <p>Why 401 lists every 401 and 407 this tab gets (and 403s, if you turn them on in the extension’s settings), with why it happened and how to fix it. {s.following ? 'The browser’s site access leaves this site out, so for now it reads them from what DevTools records, while DevTools is open.' : `It records them even while DevTools is closed${s.watching === false ? (s.watchStarted === false ? ', once you start it: it has not started yet' : ', once it watches again: it is paused now') : ''}.`}</p>
                <p>Use the site, or reload the page, and failures appear here as they happen. To read a saved session instead, import a HAR file (Import… above, or drop the file here).</p>
              </div>
            ) : rows.length === 0 ? (
              <div class="empty">
                <p>No failure matches the filter.</p>
                <button
                  type="button"
                  onClick={store.clearFilter}
                >
                  Clear the filter
                </button>
              </div>
            ) : (
              <List
                rows={rows}
                {...(s.groupRepeats ? { groups: view.groups } : {})}
                selectedId={s.selectedId}
                pageOrigin={view.pageOrigin}
                onSelect={store.select}
                onOpen={() => detailRef.current?.querySelector<HTMLElement>('.detail')?.focus()}
                follow={source === 'live' || s.following}
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
              <LazyDetail key={selected.id} store={store} record={selected} source={source} {...(s.groupRepeats && view.groups.has(selected.id) ? { group: view.groups.get(selected.id)! } : {})} onBack={() => listRef.current?.querySelector<HTMLElement>('.list-body')?.focus()} />
            ) : (
              <div class="empty detail-empty">{all.length > 0 ? <p>Select a failure to see why it happened and how to fix it. (↑/↓ to move, Enter to open, Esc to go back.)</p> : null}</div>
            )}
          </div>
        </div>
        <StatusBar store={store} view={view} />
      </div>
    </Frozen>
  );
}

