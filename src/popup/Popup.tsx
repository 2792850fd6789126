/**
 * The toolbar popup: many users never open DevTools, so this is their whole product. The tab's
 * failures in plain words, what to do, and one click to clear the site's cookies (with undo),
 * then, as a second step, to reload.
 */
import { useEffect, useMemo } from 'preact/hooks';
import { ago, causeView, clearingHelps, urlView } from '../core/views/view.ts';
import type { SummaryItem } from '../shared/protocol.ts';
import { sevClass, safe } from '../ui/components.tsx';
import { pageAccess } from '../ui/restricted.ts';
import { PopupStore, usePopupStore, type PopupBackend } from './popup-store.ts';

export type { PopupBackend } from './popup-store.ts';

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
          {item.repeats ? <strong class="repeats" title={`${item.repeats} more like it, grouped: a storm or a loop`}> · ×{item.repeats + 1}</strong> : null}
        </p>
        {!item.fixed && item.userFixes[0] && <p class="todo">What to do: {item.userFixes[0]}</p>}
        {item.note && <p class="note">{safe(item.note)}.</p>}
      </div>
    </li>
  );
}

const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);

export function Popup({ backend }: { backend: PopupBackend }) {
  const store = useMemo(() => new PopupStore(backend, pageAccess(backend.tabUrl) === 'ok'), [backend]);
  const kind = store.access;
  useEffect(() => store.start(), [store]);
  const { summary, settings, access, watch, cookies, undo, message, error, busy } = usePopupStore(store);
  const listening = watch?.listening;
  const notice = store.pageNotice;
  const heardForNow = store.heardForNow;
  const { tabId } = backend;
  const host = store.host;
  const paused = store.paused;
  const clear = () => store.clear();
  const doUndo = (overwrite: boolean) => store.undoClear(overwrite);
  const togglePause = () => store.togglePause();
  const grant = (which: 'site' | 'all') => store.grant(which);

  const count = summary?.count ?? 0;
  const shown = summary?.latest ?? [];
  // Clearing leads only when a failure's cause is one it fixes (a dead or blocked session).
  const clearLeads = count > 0 && clearingHelps(shown.filter((i) => !i.fixed).map((i) => i.cause));
  return (
    <main class="popup">
      <header>
        <img src="icons/icon-32.png" alt="" width={20} height={20} />
        <h1>Why 401</h1>
        {watch && (
          <button type="button" role="switch" aria-checked={listening} class={`watch-switch ${listening ? 'on' : 'off'}`} disabled={busy} onClick={() => void store.setWatching(!listening)} title={listening ? 'Pause: stop hearing requests and give the webRequest permission back' : 'Resume watching requests'}>
            <span class="track" aria-hidden="true">
              <span class="knob" />
            </span>
            {listening ? 'Watching' : watch.started === false ? 'Not started' : 'Paused'}
          </button>
        )}
        <button type="button" class="icon" onClick={() => void backend.openSettings()} title="Settings" aria-label="Settings">
          ⚙
        </button>
      </header>

      {notice === 'browser-page' || notice === 'store' ? (
        <section class="notice">
          <p>
            <strong>Why 401 cannot look at this page.</strong> Browsers do not let extensions see {notice === 'store' ? 'the extension stores' : 'their own pages (settings, new tab, extensions)'}.
          </p>
          <p class="muted">Open the site you want to check, then click the Why 401 button again.</p>
        </section>
      ) : notice === 'hidden' ? (
        <section class="notice warn">
          <p>
            <strong>Why 401 cannot see this page.</strong> Either it is one of the browser’s own pages, or the browser’s site access for Why 401 leaves this site out: then its requests are not watched.
          </p>
          <p class="muted">Allow this site from the browser’s extension menu (the puzzle piece, then Why 401), or:</p>
          <button type="button" onClick={() => void grant('all')}>
            Allow on all websites
          </button>
        </section>
      ) : (
        <>
          {listening === false && (
            <section class="notice paused" role="status">
              <p>
                {watch?.started === false ? (
                  <>
                    <strong>Not started yet.</strong> Why 401 hears no requests until you start it. It reads the headers and cookies of requests that fail to explain them, keeps them in memory only, and sends nothing anywhere.
                  </>
                ) : (
                  <>
                    <strong>Paused.</strong> Why 401 hears no requests and holds no webRequest permission, so pages pay nothing for it. {count > 0 ? 'The failures below were captured before the pause.' : 'What it captured before is kept.'}
                  </>
                )}
              </p>
              <button type="button" class="primary" disabled={busy} onClick={() => void store.setWatching(true)}>
                {watch?.started === false ? 'Start watching' : 'Resume watching'}
              </button>
            </section>
          )}
          {listening !== false && access === false && (
            <section class="notice warn">
              <p>
                <strong>Why 401 cannot see {host ? <span class="mono">{safe(host)}</span> : 'this site'}’s requests.</strong> The browser’s site access for Why 401 leaves this site out. It reads the requests’ headers and cookies to explain failures, and sends nothing anywhere.
              </p>
              {heardForNow && (
                <p class="muted heard-for-now">
                  For now it hears this tab’s requests (you opened Why 401 on it), until the tab leaves <span class="mono">{safe(heardForNow)}</span>.
                </p>
              )}
              {host && (
                <button type="button" class="primary" disabled={busy} onClick={() => void grant('site')}>
                  Watch {host}
                </button>
              )}{' '}
              <button type="button" disabled={busy} onClick={() => void grant('all')}>
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
              <span> — {summary.signIn ? 'no 401 or 407 responses' : 'no sign-in failures'} in this tab.</span>
            ) : (
              <span>
                {' '}
                — <strong>{count}</strong> sign-in failure{count === 1 ? '' : 's'} in this tab
              </span>
            )}
          </p>
          {summary?.signIn && (
            <p class="sign-in-broke" role="status">
              <strong>Sign-in broke{summary.signIn.broken > 1 ? ` (${summary.signIn.broken} flows)` : ''}:</strong> {safe(summary.signIn.title)} <span class="muted">({safe(summary.signIn.label)})</span>. The panel’s <em>Sign-in flows</em> shows each step.
            </p>
          )}
          {summary && count === 0 && (
            <p class="muted empty">
              Why 401 counts the 401 and 407 responses this tab gets{settings?.statuses[403] ? ', and 403s' : ''}{paused ? '. You asked it to ignore this site.' : ', and explains them here.'}
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
                      <button type="button" disabled={busy} onClick={() => store.keepNew()}>
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
                {paused ? `Stop ignoring ${host}` : `Ignore ${host}`}
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
