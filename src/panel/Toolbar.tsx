/**
 * The panel's one toolbar row, the banners under it and the status bar, like the Network panel's:
 * Clear, Preserve log, the filter (Network's syntax) and the cause filter, Import and Export.
 * Everything it shows comes from the store; everything it does is a store method.
 */
import { useRef, useState } from 'preact/hooks';
import type { CauseId } from '../core/views/view.ts';
import { safe } from '../ui/components.tsx';
import { MenuButton } from '../ui/menu.tsx';
import type { PanelStore, PanelView } from './store/panel-store.ts';

export function Toolbar({ store, view }: { store: PanelStore; view: PanelView }) {
  const s = store.state;
  const fileInput = useRef<HTMLInputElement>(null);
  const [exportSecrets, setExportSecrets] = useState(false);
  const exportAs = (kind: 'md' | 'har', which: 'selected' | 'all') => () => {
    void store.exportAs(kind, which, exportSecrets);
    setExportSecrets(false);
  };
  const what = view.hidden > 0 ? 'the shown' : 'all';
  return (
    <div class="toolbar" role="toolbar" aria-label="Why 401">
      <button type="button" class="icon" onClick={() => void store.clear()} title={s.following ? 'Clear the list (DevTools’ log of this tab is still followed)' : s.imported ? 'Close the imported file' : 'Clear this tab’s list (and its badge)'}>
        {s.imported && !s.following ? 'Close import' : 'Clear'}
      </button>
      <label title="Keep the list across page loads" class={s.imported && !s.following ? 'disabled' : ''}>
        <input type="checkbox" disabled={!s.settings || (!!s.imported && !s.following)} checked={s.settings?.preserveLog ?? false} onChange={(e) => void store.setPreserve((e.currentTarget as HTMLInputElement).checked)} /> Preserve log
      </label>
      <input
        type="search"
        placeholder="Filter"
        aria-label="Filter by text"
        aria-invalid={view.filter.errors.length > 0}
        title={view.filter.errors.length > 0 ? view.filter.errors.join('\n') : 'Words, status:401 (or 4xx), method:OPTIONS, domain:api.example.com (*.example.com), cause:token-expired, scheme:bearer, /regex/; a leading - negates a term'}
        value={s.filterText}
        onInput={(e) => store.setFilterText((e.currentTarget as HTMLInputElement).value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && s.filterText) {
            e.preventDefault();
            e.stopPropagation();
            store.setFilterText('');
          }
        }}
      />
      <select aria-label="Filter by cause" value={s.filterCause} onChange={(e) => store.setFilterCause((e.currentTarget as HTMLSelectElement).value as CauseId | '')}>
        <option value="">All causes</option>
        {view.causes.map((c) => (
          <option key={c.id} value={c.id}>
            {c.label}
          </option>
        ))}
      </select>
      <span class="spacer" />
      <button type="button" onClick={() => fileInput.current?.click()} disabled={s.importing} title="Import a HAR file from any browser or tool (or drop it here)">
        {s.importing ? 'Importing…' : 'Import…'}
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
          if (f) void store.importFile(f);
        }}
      />
      <MenuButton
        label="Export ▾"
        className="export"
        align="right"
        disabled={view.all.length === 0}
        title="Export a report or a HAR file (secrets masked unless you include them for that export)"
        items={[
          { label: 'Report of the selected failure (Markdown)', disabled: !view.selected, onSelect: exportAs('md', 'selected') },
          { label: `Report of ${what} failures (Markdown)`, onSelect: exportAs('md', 'all') },
          { label: 'HAR of the selected failure', disabled: !view.selected, onSelect: exportAs('har', 'selected') },
          { label: `HAR of ${what} failures`, onSelect: exportAs('har', 'all') },
        ]}
        footer={
          <label>
            <input type="checkbox" checked={exportSecrets} onChange={(e) => setExportSecrets((e.currentTarget as HTMLInputElement).checked)} /> include secrets (this export only)
          </label>
        }
      />
    </div>
  );
}

export function Banners({ store, view }: { store: PanelStore; view: PanelView }) {
  const s = store.state;
  const n = (k: number, one: string, many: string) => `${k} ${k === 1 ? one : many}`;
  return (
    <>
      {s.watching === false && (
        <div class="banner warn paused" role="status">
          {s.watchStarted === false ? (
            <>
              <strong>Why 401 has not started watching yet:</strong> it hears no requests until you start it.{' '}
            </>
          ) : (
            <>
              <strong>Why 401 is paused:</strong> it hears no requests, so new failures are not listed{view.all.length > 0 && !s.imported ? ' (the ones below were captured before)' : ''}.{' '}
            </>
          )}
          {store.backend.startWatching ? (
            <button type="button" class="link" onClick={() => void store.resumeWatching()}>
              {s.watchStarted === false ? 'Start watching' : 'Resume watching'}
            </button>
          ) : (
            s.watchStarted === false ? 'Start it from its toolbar button.' : 'Resume from its toolbar button.'
          )}
          {store.backend.recordedLog && !s.imported && (
            <>
              {' '}
              or{' '}
              <button type="button" class="link" onClick={() => void store.readDevtoolsLog()}>
                read this tab’s failures from DevTools’ network log
              </button>
            </>
          )}
        </div>
      )}
      {s.watching !== false && s.siteHidden === true && !s.imported && (
        <div class="banner warn site-hidden" role="status">
          <strong>Why 401 cannot see this site:</strong> the browser’s site access for Why 401 leaves it out, so its requests are not watched. Allow it from the browser’s extension menu
          {store.backend.followLog ? (
            <>
              , or{' '}
              <button type="button" class="link" onClick={() => void store.followDevtoolsLog()}>
                follow this tab in DevTools’ network log
              </button>{' '}
              while DevTools is open
            </>
          ) : store.backend.recordedLog ? (
            <>
              , or{' '}
              <button type="button" class="link" onClick={() => void store.readDevtoolsLog()}>
                read this tab’s failures from DevTools’ network log
              </button>
            </>
          ) : null}
          .
        </div>
      )}
      {s.imported && s.following && (
        <div class="banner info following" role="status">
          <strong>Following DevTools’ network log</strong> — the browser’s site access leaves this site out, so the panel judges what DevTools records while it is open: {n(s.imported.records.length, 'auth failure', 'auth failures')} in {s.imported.entries} entries. The badge and the popup do not count these; allow the site in the browser’s extension menu to watch it always.{' '}
          <button type="button" class="link" onClick={store.unfollow}>
            Stop following
          </button>
        </div>
      )}
      {s.imported && !s.following && (
        <div class="banner info" role="status">
          Showing <strong>{safe(s.imported.name)}</strong>: {n(s.imported.records.length, 'auth failure', 'auth failures')} in {s.imported.entries} entries
          {s.imported.skipped.length > 0 ? `; ${s.imported.skipped.length} entries could not be read (partial result)` : ''}. The live capture goes on meanwhile.{' '}
          <button type="button" class="link" onClick={() => void store.clear()}>
            Back to live
          </button>
        </div>
      )}
      {!s.imported && s.clearedByNavigation > 0 && !(s.settings?.preserveLog ?? false) && (
        <div class="banner info" role="status">
          {n(s.clearedByNavigation, 'failure was', 'failures were')} cleared when the page navigated.{' '}
          <button type="button" class="link" onClick={() => void store.setPreserve(true)}>
            Turn on Preserve log
          </button>{' '}
          to keep failures across page loads.{' '}
          <button type="button" class="link" aria-label="Dismiss" onClick={store.dismissNavigationNote}>
            Dismiss
          </button>
        </div>
      )}
      {!s.imported && s.dropped > 0 && (
        <div class="banner warn" role="status">
          {n(s.dropped, 'older failure was', 'older failures were')} dropped to stay within the per-tab cap ({s.count} in all since the list was cleared). Raise the cap in the extension’s settings.
        </div>
      )}
      {!s.imported && s.lost > 0 && (
        <div class="banner warn" role="status">
          {n(s.lost, 'failure was', 'failures were')} counted but not recorded: the browser stopped the background while it was gathering their evidence.
        </div>
      )}
      {!s.connected && store.backend.tabId !== undefined && (
        <div class="banner warn" role="status">
          Reconnecting to the background (the browser restarted it)…
        </div>
      )}
    </>
  );
}

export function StatusBar({ store, view }: { store: PanelStore; view: PanelView }) {
  const s = store.state;
  const brokenFlows = s.signIn.flows.filter((f) => f.broken).length;
  return (
    <div class={`statusbar ${view.status?.kind ?? ''}`}>
      <span class="status-text" role="status" aria-live="polite">
        {view.status ? safe(view.status.text) : ''}
      </span>
      <button type="button" class={`sign-in-toggle${brokenFlows > 0 ? ' broken' : ''}`} aria-pressed={s.signIn.open} onClick={store.toggleSignIn} title="OAuth and OpenID Connect sign-ins: which step broke, and why">
        {s.signIn.open ? 'Sign-in flows ▾' : brokenFlows > 0 ? `Sign-in flows: ${brokenFlows} broken` : 'Sign-in flows'}
      </button>
      <span class="count" aria-live="polite">
        {view.rows.length}
        {view.hidden > 0 ? ` of ${view.total}` : ''} failure{view.total === 1 ? '' : 's'}
        {s.groupRepeats && view.repeats > 0 ? ` (and ${view.repeats} repeat${view.repeats === 1 ? '' : 's'}, grouped)` : ''}
        {!s.imported && s.count > view.all.length ? ` (${s.count} since cleared)` : ''}
      </span>
      {view.repeats > 0 && (
        <button type="button" class="group-toggle" aria-pressed={!s.groupRepeats} onClick={() => store.setGroupRepeats(!s.groupRepeats)} title="Repeats of one failure (a storm of parallel requests, a retry or refresh loop): one row with its count, or each request on its own row">
          {s.groupRepeats ? 'Show each' : 'Group repeats'}
        </button>
      )}
    </div>
  );
}
