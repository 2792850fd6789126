/**
 * The fixes beside the explanation. What the bar leads with comes from the findings (each cause's
 * `actions`, core/causes.ts): "Re-run with new Authorization…" for an expired token, "Clear site
 * cookies…" for a dead session, nothing cookie-related for a preflight. Re-run is one split
 * button (as sent, without cookies, with a new Authorization); copies are one menu; what signs
 * you out or cannot be undone is in "More", behind a confirmation. Imported failures get no
 * action on the live browser. Nothing is re-sent without asking when it could have effects, and
 * every copy is masked unless "include secrets" is ticked for that one copy.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Action } from '../core/causes.ts';
import type { Facts } from '../core/facts.ts';
import { displayUrl } from '../core/redact-url.ts';
import { markdownReport } from '../core/report-md.ts';
import { toCurl, toFetch } from '../core/reproduce.ts';
import { isSafeMethod, rerunRequest, rerunResult, type RerunMode } from '../core/rerun.ts';
import { isPrivateHost, originOf, parseUrl } from '../core/site.ts';
import type { ClearScope, CookieSummary } from '../shared/protocol.ts';
import type { RerunResult, StoredRecord } from '../shared/records.ts';
import { safe } from '../ui/components.tsx';
import { MenuButton, SplitButton, type MenuItem } from '../ui/menu.tsx';
import type { PanelBackend } from './backend.ts';

export interface ActionsProps {
  record: StoredRecord;
  facts: Facts;
  backend: PanelBackend;
  source: 'live' | 'import';
  pageUrl: string | undefined;
  onRerun(result: RerunResult): void;
  notify(message: string, kind?: 'ok' | 'error'): void;
}

const RERUN_LABEL: Record<RerunMode, string> = {
  'as-sent': 'Re-run',
  'without-cookies': 'Re-run without cookies',
  edited: 'Re-run with new Authorization…',
};

const MODE_OF: Partial<Record<Action, RerunMode>> = { rerun: 'as-sent', 'rerun-without-cookies': 'without-cookies', 'edit-and-rerun': 'edited' };

/**
 * Schemes whose credentials the browser may have added itself (its sign-in dialog, cached HTTP
 * auth): the page's scripts never saw them, so a re-run never hands them to the page.
 */
const BROWSER_HANDLED = new Set(['basic', 'digest', 'negotiate', 'ntlm']);

/** What the bar offers for a failure, in order: the lead fix first (from the findings), then the rest. */
export function offeredActions(record: StoredRecord, facts: Facts, source: 'live' | 'import'): { lead: Action | undefined; rerunModes: RerunMode[]; clearCookies: boolean; clearStorage: boolean } {
  const url = parseUrl(record.entry.request.url);
  const web = url !== undefined && /^https?:$/.test(url.protocol);
  // A preflight never carries credentials: re-running it or touching cookies fixes nothing.
  const rerunModes: RerunMode[] = facts.preflight ? [] : ['as-sent', 'without-cookies', 'edited'];
  const clearCookies = source === 'live' && web && !facts.preflight;
  const clearStorage = source === 'live' && web;
  const available = (a: Action) => (a === 'clear-site-cookies' ? clearCookies : MODE_OF[a] !== undefined ? rerunModes.includes(MODE_OF[a]!) : false);
  const lead = record.findings.flatMap((f) => f.actions).find(available);
  return { lead, rerunModes, clearCookies, clearStorage };
}

type Pending = { kind: 'confirm'; mode: RerunMode; authorization?: string } | { kind: 'edit' } | { kind: 'cookies' } | { kind: 'storage' } | undefined;

export function Actions({ record, facts, backend, source, pageUrl, onRerun, notify }: ActionsProps) {
  const [pending, setPending] = useState<Pending>(undefined);
  const [busy, setBusy] = useState(false);
  const [includeSecrets, setIncludeSecrets] = useState(false);
  const [auth, setAuth] = useState(`${facts.credentials?.scheme === 'basic' ? 'Basic' : 'Bearer'} `);
  const [scope, setScope] = useState<ClearScope>('site');
  const [preview, setPreview] = useState<{ cookies: CookieSummary[]; site: string } | undefined>(undefined);
  const [undo, setUndo] = useState<{ undoId: string; text: string; conflicts?: string[] } | undefined>(undefined);
  const entry = record.entry;
  const method = entry.request.method.toUpperCase();
  const url = parseUrl(entry.request.url);
  const pageOrigin = originOf(pageUrl);
  const storeId = entry._why401?.storeId;
  const { lead, rerunModes, clearCookies, clearStorage } = offeredActions(record, facts, source);

  // The page reproduces the original when it made the request (same origin, same cookies), unless
  // the re-run would hand the page a credential its scripts never had.
  const pageMade = source === 'live' && backend.fetchInPage !== undefined && pageOrigin !== undefined && (facts.initiator === pageOrigin || originOf(entry.request.url) === pageOrigin);
  const browserCredential = facts.credentials !== null && BROWSER_HANDLED.has(facts.credentials.scheme);
  const inPage = (mode: RerunMode) => pageMade && mode !== 'edited' && !(browserCredential && mode !== 'without-cookies');
  const whereText = (mode: RerunMode) =>
    inPage(mode) ? 'in the inspected page (same cookies, same origin; the page’s own scripts can see it and could change its answer)' : 'from the extension (not the page: its cookies and origin may differ)';

  const copy = async (what: string, text: string, masked: string[]) => {
    try {
      await backend.copy(text);
      notify(includeSecrets ? `${what} copied, WITH secrets.` : `${what} copied${masked.length > 0 ? ` (masked: ${masked.join('; ')})` : ''}.`, 'ok');
    } catch (e) {
      notify(e instanceof Error ? e.message : String(e), 'error');
    }
    setIncludeSecrets(false);
  };

  const needsBody = !isSafeMethod(method) && entry.request.postData?.text === undefined;
  const [body, setBody] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (needsBody && backend.recordedBody) void backend.recordedBody(entry.request.url, entry.request.method, entry.startedDateTime).then(setBody);
  }, [record.id]);

  const run = async (mode: RerunMode, authorization?: string) => {
    setPending(undefined);
    setBusy(true);
    const request = rerunRequest(entry, mode, { ...(authorization !== undefined ? { authorization } : {}), ...(body !== undefined ? { body } : {}) });
    const here = inPage(mode);
    try {
      // The page's fetch is a real request of the tab: the background attributes its answer to this
      // failure instead of listing it as a new one.
      if (here && backend.tabId !== undefined) await backend.request('expect-rerun', { tabId: backend.tabId, url: request.url, method: request.method }).catch(() => undefined);
      const out = here ? await backend.fetchInPage!(request) : await backend.fetchFromExtension(request);
      const result = rerunResult(entry, mode, here ? 'page' : 'extension', request, out);
      onRerun(result);
      notify(out.error ? `Re-run failed: ${out.error}` : `Re-run → ${out.status} ${out.statusText}${out.status < 400 ? ': fixed.' : ''}`, out.status > 0 && out.status < 400 ? 'ok' : 'error');
    } finally {
      setBusy(false);
    }
  };

  const ask = (mode: RerunMode, authorization?: string) => {
    // Effects happen again for POST, PUT, PATCH, DELETE; an imported request always shows what it will do.
    if (!isSafeMethod(method) || source === 'import') setPending({ kind: 'confirm', mode, ...(authorization !== undefined ? { authorization } : {}) });
    else void run(mode, authorization);
  };
  const start = (mode: RerunMode) => (mode === 'edited' ? setPending({ kind: 'edit' }) : ask(mode));

  const openCookies = async (next: ClearScope = scope) => {
    setScope(next);
    setPending({ kind: 'cookies' });
    try {
      setPreview(await backend.request('preview-clear-cookies', { url: entry.request.url, scope: next, ...(storeId ? { storeId } : backend.tabId !== undefined ? { tabId: backend.tabId } : {}) }));
    } catch (e) {
      setPreview(undefined);
      notify(e instanceof Error ? e.message : String(e), 'error');
    }
  };

  const clearCookiesNow = async () => {
    setPending(undefined);
    try {
      const r = await backend.request('clear-cookies', { url: entry.request.url, scope, tabId: backend.tabId ?? -1, ...(storeId ? { storeId } : {}) });
      setUndo({ undoId: r.undoId, text: `Cleared ${r.cleared} cookie${r.cleared === 1 ? '' : 's'} of ${preview?.site ?? ''}.` });
    } catch (e) {
      notify(e instanceof Error ? e.message : String(e), 'error');
    }
  };

  const undoClear = async (overwrite = false) => {
    if (!undo) return;
    try {
      const r = await backend.request('undo-clear-cookies', { undoId: undo.undoId, overwrite });
      if (r.conflicts.length > 0 && !overwrite) {
        setUndo({ ...undo, conflicts: r.conflicts, text: `Restored ${r.restored}. The site has set ${r.conflicts.map((c) => `"${c}"`).join(', ')} again since: keep the new one, or overwrite it with the old one?` });
        return;
      }
      setUndo(undefined);
      notify(`Restored ${r.restored} cookie${r.restored === 1 ? '' : 's'}${r.failed.length > 0 ? `; could not restore ${r.failed.join(', ')} (kept for another try)` : ''}.`, r.failed.length > 0 ? 'error' : 'ok');
    } catch (e) {
      notify(e instanceof Error ? e.message : String(e), 'error');
    }
  };

  const clearStorageNow = async () => {
    setPending(undefined);
    const origin = originOf(entry.request.url);
    if (!origin) return;
    try {
      await backend.clearSiteData(origin);
      notify(`Cleared the storage and cache of ${origin}.`, 'ok');
    } catch (e) {
      notify(e instanceof Error ? e.message : String(e), 'error');
    }
  };

  const leadMode = lead ? MODE_OF[lead] : undefined;
  const mainMode: RerunMode = leadMode ?? 'as-sent';
  const privateTarget = url !== undefined && isPrivateHost(url.hostname);
  const more: MenuItem[] = [];
  if (clearCookies) more.push({ label: 'Clear site cookies…', onSelect: () => void openCookies(), danger: true, title: 'Signs you out of the site; you can undo it right after' });
  if (clearStorage) more.push({ label: 'Clear site storage & cache…', onSelect: () => setPending({ kind: 'storage' }), danger: true, title: 'localStorage, IndexedDB, caches and service workers; cannot be undone' });

  return (
    <div class="actions">
      <div class="action-bar" role="toolbar" aria-label="Actions">
        {lead === 'clear-site-cookies' && (
          <button type="button" class="primary" onClick={() => void openCookies()} title="The likely fix: sign in again with fresh cookies (undo right after)">
            Clear site cookies…
          </button>
        )}
        {rerunModes.length > 0 && (
          <SplitButton
            label={busy ? 'Re-running…' : RERUN_LABEL[mainMode]}
            primary={leadMode !== undefined}
            disabled={busy}
            title={`Send it again ${whereText(mainMode)}`}
            onClick={() => start(mainMode)}
            menuLabel="More ways to re-run"
            items={rerunModes.map((m) => ({ label: `${RERUN_LABEL[m]}${m === 'as-sent' ? ' as sent' : ''}`, onSelect: () => start(m), title: `Send it again ${whereText(m)}` }))}
          />
        )}
        <MenuButton
          label="Copy ▾"
          items={[
            { label: 'Copy as cURL', onSelect: () => void (async () => { const r = toCurl(entry, { includeSecrets }); await copy('cURL command', r.text, r.masked); })() },
            { label: 'Copy as fetch', onSelect: () => void (async () => { const r = toFetch(entry, { includeSecrets }); await copy('fetch() call', r.text, r.masked); })() },
            { label: 'Copy explanation (Markdown)', onSelect: () => void copy('Explanation', markdownReport([{ entry, findings: record.findings, notes: record.notes ?? [] }], { includeSecrets }), []) },
          ]}
          footer={
            <label class="include-secrets" title="For the next copy only">
              <input type="checkbox" checked={includeSecrets} onChange={(e) => setIncludeSecrets((e.currentTarget as HTMLInputElement).checked)} /> include secrets (next copy only)
            </label>
          }
        />
        {more.length > 0 && <MenuButton label="More ▾" items={more} />}
        {includeSecrets && <span class="chip sev-warning">next copy includes secrets</span>}
      </div>
      {rerunModes.length > 0 ? (
        <p class="where faint">
          {inPage('as-sent') === inPage('edited')
            ? `Re-runs go ${whereText('as-sent')}.`
            : `Re-runs go ${whereText('as-sent')}. With a new Authorization they go from the extension: a pasted token is never handed to the page.`}
        </p>
      ) : (
        <p class="where faint">A CORS preflight carries no credentials and cannot be re-sent on its own: the fix is on the server (answer OPTIONS without asking for authentication).</p>
      )}

      {pending?.kind === 'confirm' && (
        <div class="confirm" role="alertdialog" aria-label="Confirm re-run">
          <p>
            Send <strong class="mono">{safe(method)}</strong> <span class="mono">{safe(displayUrl(entry.request.url))}</span> again{' '}
            {pending.mode === 'without-cookies' ? 'without cookies' : pending.mode === 'edited' ? 'with the new Authorization' : 'as it was sent'}, {whereText(pending.mode)}?
            {!isSafeMethod(method) && ' Its effects will happen again (an order placed twice, a record deleted).'}
            {source === 'import' && ` This request comes from an imported HAR file: it goes to ${safe(url?.host ?? entry.request.url)}, from your browser.`}
          </p>
          {needsBody && body === undefined && <p class="warn">Its body was not captured (DevTools records bodies only while it is open), so the re-run sends it without a body.</p>}
          {privateTarget && <p class="warn">Note: {safe(url!.hostname)} is a private or loopback address (your machine or local network).</p>}
          <button type="button" class="primary" onClick={() => void run(pending.mode, pending.authorization)}>
            Send it
          </button>{' '}
          <button type="button" onClick={() => setPending(undefined)}>
            Cancel
          </button>
        </div>
      )}

      {pending?.kind === 'edit' && (
        <form
          class="edit"
          onSubmit={(e) => {
            e.preventDefault();
            ask('edited', auth);
          }}
        >
          <label for="new-auth">New Authorization header (paste a fresh token; it is sent from the extension, never handed to the page):</label>
          <textarea id="new-auth" rows={2} value={auth} spellcheck={false} onInput={(e) => setAuth((e.currentTarget as HTMLTextAreaElement).value)} />
          <span>
            <button type="submit" class="primary">
              Re-run with this
            </button>{' '}
            <button type="button" onClick={() => setPending(undefined)}>
              Cancel
            </button>
          </span>
        </form>
      )}

      {pending?.kind === 'cookies' && (
        <div class="confirm" role="dialog" aria-label="Clear site cookies">
          <fieldset>
            <legend>Which cookies</legend>
            <label>
              <input type="radio" name="scope" checked={scope === 'host'} onChange={() => void openCookies('host')} /> those sent to {safe(url?.hostname ?? '')}
            </label>
            <label>
              <input type="radio" name="scope" checked={scope === 'site'} onChange={() => void openCookies('site')} /> the whole site ({safe(preview?.site ?? '')}, every subdomain), partitioned ones included
            </label>
          </fieldset>
          {preview === undefined ? (
            <p class="muted">Looking…</p>
          ) : preview.cookies.length === 0 ? (
            <p class="muted">No cookies to clear.</p>
          ) : (
            <ul class="cookie-list">
              {preview.cookies.map((c) => (
                <li key={`${c.name}|${c.domain}|${c.path}|${c.partitioned}`}>
                  <strong>{safe(c.name)}</strong> <span class="muted mono">{safe(c.domain)}{safe(c.path)}</span>
                  {c.partitioned && <span class="chip sev-info">partitioned</span>}
                </li>
              ))}
            </ul>
          )}
          <p class="muted">This signs you out of the site. You can undo it right after.</p>
          <button type="button" class="primary" disabled={!preview || preview.cookies.length === 0} onClick={() => void clearCookiesNow()}>
            Clear {preview?.cookies.length ?? ''} cookie{preview?.cookies.length === 1 ? '' : 's'}
          </button>{' '}
          <button type="button" onClick={() => setPending(undefined)}>
            Cancel
          </button>
        </div>
      )}

      {pending?.kind === 'storage' && (
        <div class="confirm" role="alertdialog" aria-label="Clear site storage and cache">
          <p>
            Clear localStorage, IndexedDB, Cache Storage, service workers and the HTTP cache of <strong class="mono">{safe(originOf(entry.request.url) ?? '')}</strong>? Cookies are not
            touched. This cannot be undone.
          </p>
          <button type="button" class="primary" onClick={() => void clearStorageNow()}>
            Clear storage and cache
          </button>{' '}
          <button type="button" onClick={() => setPending(undefined)}>
            Cancel
          </button>
        </div>
      )}

      {undo && (
        <div class="undo" role="status">
          {undo.text}{' '}
          {undo.conflicts ? (
            <>
              <button type="button" onClick={() => setUndo(undefined)}>
                Keep the new
              </button>{' '}
              <button type="button" onClick={() => void undoClear(true)}>
                Overwrite with the old
              </button>
            </>
          ) : (
            <button type="button" class="primary" onClick={() => void undoClear(false)}>
              Undo
            </button>
          )}
        </div>
      )}
    </div>
  );
}
