/**
 * The toolbar popup: many users never open DevTools, so this is their whole product. The tab's
 * failures in plain words, what to do, and one click to clear the site's cookies (with undo),
 * then, as a second step, to reload.
 */
import { useEffect, useState } from 'preact/hooks';
import { ago, causeView, clearingHelps, urlView } from '../core/view.ts';
import type { CookieSummary, SummaryItem, TabSummary } from '../shared/protocol.ts';
import type { Settings } from '../shared/settings.ts';
import { sevClass, safe } from '../ui/components.tsx';
import { pageAccess } from '../ui/restricted.ts';

export interface PopupBackend {
  tabId: number | undefined;
  tabUrl: string | undefined;
  summary(tabId: number): Promise<TabSummary>;
  settings(): Promise<Settings>;
  previewCookies(url: string): Promise<{ cookies: CookieSummary[]; site: string }>;
  clearCookies(url: string, tabId: number): Promise<{ undoId: string; cleared: number }>;
  undoCookies(undoId: string, overwrite: boolean): Promise<{ restored: number; conflicts: string[]; failed: string[] }>;
  setPaused(host: string, paused: boolean): Promise<Settings>;
  hasHostAccess(): Promise<boolean>;
  requestHostAccess(): Promise<boolean>;
  reload(tabId: number): Promise<void>;
  openSettings(): Promise<void>;
  now(): number;
}

function Failure({ item, now }: { item: SummaryItem; now: number }) {
  const url = urlView(item.url);
  return (
    <li class={`failure ${sevClass(item.fixed ? 'ok' : item.severity)}`}>
      <span class="dot" aria-hidden="true" />
      <div>
        <p class="plain">{item.fixed ? `Fixed. ${safe(item.plain)}` : safe(item.plain)}</p>
        <p class="meta">
          <span class="mono">
            {safe(item.method)} {safe(url.host)}
            {safe(url.path)}
          </span>{' '}
          · {item.status} · {causeView(item.cause).label} · {ago(item.at, now)}
        </p>
        {!item.fixed && item.userFixes[0] && <p class="todo">What to do: {item.userFixes[0]}</p>}
        {item.note && <p class="note">{safe(item.note)}.</p>}
      </div>
    </li>
  );
}

const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);

export function Popup({ backend }: { backend: PopupBackend }) {
  const [summary, setSummary] = useState<TabSummary | undefined>(undefined);
  const [settings, setSettings] = useState<Settings | undefined>(undefined);
  const [access, setAccess] = useState<boolean | undefined>(undefined);
  const [cookies, setCookies] = useState<{ cookies: CookieSummary[]; site: string } | undefined>(undefined);
  const [undo, setUndo] = useState<{ undoId: string; cleared: number; conflicts?: string[] } | undefined>(undefined);
  const [message, setMessage] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const { tabId, tabUrl } = backend;
  const kind = pageAccess(tabUrl);
  const host = (() => {
    try {
      return tabUrl ? new URL(tabUrl).hostname : undefined;
    } catch {
      return undefined;
    }
  })();

  const refresh = async () => {
    if (tabId === undefined) return;
    try {
      setSummary(await backend.summary(tabId));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  useEffect(() => {
    void refresh();
    backend.settings().then(setSettings, () => undefined);
    backend.hasHostAccess().then(setAccess, () => setAccess(false));
    if (tabUrl && kind === 'ok') backend.previewCookies(tabUrl).then(setCookies, () => undefined);
  }, []);

  const paused = host !== undefined && (settings?.pausedSites ?? []).some((p) => host === p || host.endsWith(`.${p}`));

  const clear = async () => {
    if (!tabUrl || tabId === undefined) return;
    setBusy(true);
    setError(undefined);
    try {
      const r = await backend.clearCookies(tabUrl, tabId);
      setUndo(r);
      setMessage(`Cleared ${r.cleared} cookie${r.cleared === 1 ? '' : 's'} for ${cookies?.site ?? host ?? 'this site'}. You are probably signed out now: reload the page to sign in again.`);
      setCookies(await backend.previewCookies(tabUrl));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const doUndo = async (overwrite: boolean) => {
    if (!undo || !tabUrl) return;
    setBusy(true);
    try {
      const r = await backend.undoCookies(undo.undoId, overwrite);
      if (r.conflicts.length > 0 && !overwrite) {
        setUndo({ ...undo, conflicts: r.conflicts });
        setMessage(`Restored ${r.restored}. The site has set ${r.conflicts.map((c) => `"${c}"`).join(', ')} again since you cleared: keep the new one, or put the old one back?`);
      } else {
        setUndo(undefined);
        setMessage(`Restored ${r.restored} cookie${r.restored === 1 ? '' : 's'}${r.failed.length > 0 ? `; could not restore ${r.failed.join(', ')}` : ''}.`);
      }
      setCookies(await backend.previewCookies(tabUrl));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const togglePause = async () => {
    if (!host) return;
    try {
      setSettings(await backend.setPaused(host, !paused));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const grant = async () => {
    const ok = await backend.requestHostAccess();
    setAccess(ok);
    if (!ok) setError('Permission not granted: Why 401 cannot see this site’s requests.');
  };

  const count = summary?.count ?? 0;
  const shown = summary?.latest ?? [];
  // Clearing leads only when a failure's cause is one it fixes (a dead or blocked session).
  const clearLeads = count > 0 && clearingHelps(shown.filter((i) => !i.fixed).map((i) => i.cause));
  return (
    <main class="popup">
      <header>
        <img src="icons/icon-32.png" alt="" width={20} height={20} />
        <h1>Why 401</h1>
        <button type="button" class="icon" onClick={() => void backend.openSettings()} title="Settings" aria-label="Settings">
          ⚙
        </button>
      </header>

      {kind === 'browser-page' || kind === 'store' || (kind === 'unknown' && tabId !== undefined) ? (
        <section class="notice">
          <p>
            <strong>Why 401 cannot look at this page.</strong> Browsers do not let extensions see {kind === 'store' ? 'the extension stores' : 'their own pages (settings, new tab, extensions)'}.
          </p>
          <p class="muted">Open the site you want to check, then click the Why 401 button again.</p>
        </section>
      ) : (
        <>
          {access === false && (
            <section class="notice warn">
              <p>
                <strong>Why 401 needs your permission to see sign-in failures on websites.</strong> It reads the requests’ headers and cookies to explain them, and sends nothing anywhere.
              </p>
              <button type="button" class="primary" onClick={() => void grant()}>
                Allow on all websites
              </button>
            </section>
          )}
          {kind === 'file' && <p class="notice muted">Local files: Why 401 sees them only if the browser lets extensions access file URLs.</p>}
          <p class="summary">
            {host && <span class="host mono">{safe(host)}</span>}
            {summary === undefined ? (
              ' …'
            ) : count === 0 ? (
              <span> — no sign-in failures in this tab.</span>
            ) : (
              <span>
                {' '}
                — <strong>{count}</strong> sign-in failure{count === 1 ? '' : 's'} in this tab
              </span>
            )}
          </p>
          {summary && count === 0 && (
            <p class="muted empty">
              Why 401 counts the 401 and 407 responses this tab gets{settings?.statuses[403] ? ', and 403s' : ''}{paused ? '. Capture is paused for this site.' : ', and explains them here.'}
            </p>
          )}
          {shown.length > 0 && (
            <ul class="failures">
              {shown.map((item) => (
                <Failure key={item.id} item={item} now={backend.now()} />
              ))}
            </ul>
          )}
          {count > shown.length && (
            <p class="muted more">
              {count - shown.length} more{summary && summary.dropped > 0 ? ` (${summary.dropped} older ones not kept)` : ''}.
            </p>
          )}
          {count > 0 && (
            <p class="devtools muted">
              Details, evidence and re-runs: open DevTools ({isMac ? '⌥⌘I' : 'F12 or Ctrl+Shift+I'}) and choose the <strong>Why 401</strong> panel.
            </p>
          )}

          {kind === 'ok' && (
            <section class="cookies">
              {undo ? (
                <div class="undo" role="status">
                  <p>{message}</p>
                  {undo.conflicts ? (
                    <>
                      <button type="button" disabled={busy} onClick={() => setUndo(undefined)}>
                        Keep the new
                      </button>{' '}
                      <button type="button" disabled={busy} onClick={() => void doUndo(true)}>
                        Put the old back
                      </button>
                    </>
                  ) : (
                    <>
                      <button type="button" class="primary" disabled={busy} onClick={() => void doUndo(false)}>
                        Undo
                      </button>{' '}
                      <button type="button" disabled={busy || tabId === undefined} onClick={() => tabId !== undefined && void backend.reload(tabId).then(() => window.close())}>
                        Reload the page
                      </button>
                    </>
                  )}
                </div>
              ) : (
                <>
                  {cookies !== undefined && cookies.cookies.length === 0 ? (
                    <p class="muted small">The browser holds no cookies for {safe(cookies.site)}.</p>
                  ) : (
                    <button type="button" class={clearLeads ? 'primary wide' : 'wide'} disabled={busy || !cookies} onClick={() => void clear()}>
                      {cookies === undefined ? 'Clear cookies for this site' : `Clear ${cookies.cookies.length} cookie${cookies.cookies.length === 1 ? '' : 's'} for ${cookies.site}`}
                    </button>
                  )}
                  {cookies && cookies.cookies.length > 0 && count > 0 && !clearLeads && <p class="muted small">These failures are not about the site’s cookies: clearing them signs you out and is unlikely to help.</p>}
                  {cookies && cookies.cookies.length > 0 && (
                    <p class="muted small">
                      Every subdomain of {safe(cookies.site)}
                      {cookies.cookies.some((c) => c.partitioned) ? ', partitioned cookies included' : ''}. This signs you out; you can undo it.
                    </p>
                  )}
                  {message && <p class="ok small">{message}</p>}
                </>
              )}
            </section>
          )}
          {host && kind === 'ok' && (
            <p class="pause">
              <button type="button" class="link" onClick={() => void togglePause()}>
                {paused ? `Resume capture on ${host}` : `Pause capture on ${host}`}
              </button>
            </p>
          )}
        </>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </main>
  );
}
