/**
 * The fixes beside the explanation: re-run (as sent, without cookies, with a new
 * Authorization), clear the site's cookies (with undo) or its storage and cache, copy as cURL or
 * fetch, copy the explanation. Nothing is re-sent without asking when it could have effects, and
 * secrets are masked in every copy unless "include secrets" is ticked for that one copy.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Facts } from '../core/facts.ts';
import { displayUrl } from '../core/redact-url.ts';
import { markdownReport } from '../core/report-md.ts';
import { toCurl, toFetch } from '../core/reproduce.ts';
import { isSafeMethod, rerunRequest, rerunResult, type RerunMode } from '../core/rerun.ts';
import { isPrivateHost, originOf, parseUrl } from '../core/site.ts';
import type { ClearScope, CookieSummary } from '../shared/protocol.ts';
import type { RerunResult, StoredRecord } from '../shared/records.ts';
import { safe } from '../ui/components.tsx';
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
  // The page reproduces the original when it made the request (same origin, same cookies).
  const inPage = source === 'live' && backend.fetchInPage !== undefined && pageOrigin !== undefined && (facts.initiator === pageOrigin || originOf(entry.request.url) === pageOrigin);
  const where = inPage ? 'in the inspected page (same cookies, same origin)' : 'from the extension (not the page: its cookies and origin may differ)';

  const copy = async (what: string, text: string, masked: string[]) => {
    try {
      await backend.copy(text);
      notify(includeSecrets ? `${what} copied, WITH secrets.` : `${what} copied${masked.length > 0 ? ` (masked: ${masked.join('; ')})` : ''}.`, 'ok');
    } catch (e) {
      notify(e instanceof Error ? e.message : String(e), 'error');
    }
    setIncludeSecrets(false);
  };

  const copyResult = (what: string, r: { text: string; masked: string[] }) => copy(what, r.text, r.masked);

  const needsBody = !isSafeMethod(method) && entry.request.postData?.text === undefined;
  const [body, setBody] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (needsBody && backend.recordedBody) void backend.recordedBody(entry.request.url, entry.request.method, entry.startedDateTime).then(setBody);
  }, [record.id]);

  const run = async (mode: RerunMode, authorization?: string) => {
    setPending(undefined);
    setBusy(true);
    const f = rerunRequest(entry, mode, { ...(authorization !== undefined ? { authorization } : {}), ...(body !== undefined ? { body } : {}) });
    const out = inPage ? await backend.fetchInPage!(f) : await backend.fetchFromExtension(f);
    const result = rerunResult(entry, mode, inPage ? 'page' : 'extension', f, out);
    setBusy(false);
    onRerun(result);
    notify(out.error ? `Re-run failed: ${out.error}` : `Re-run → ${out.status} ${out.statusText}${out.status < 400 ? ': fixed.' : ''}`, out.status > 0 && out.status < 400 ? 'ok' : 'error');
  };

  const ask = (mode: RerunMode, authorization?: string) => {
    // Effects happen again for POST, PUT, PATCH, DELETE; an imported request always shows what it will do.
    if (!isSafeMethod(method) || source === 'import') setPending({ kind: 'confirm', mode, ...(authorization !== undefined ? { authorization } : {}) });
    else void run(mode, authorization);
  };

  const openCookies = async (next: ClearScope = scope) => {
    setScope(next);
    setPending({ kind: 'cookies' });
    try {
      setPreview(await backend.request('preview-clear-cookies', { url: entry.request.url, scope: next }));
    } catch (e) {
      setPreview(undefined);
      notify(e instanceof Error ? e.message : String(e), 'error');
    }
  };

  const clearCookies = async () => {
    setPending(undefined);
    try {
      const r = await backend.request('clear-cookies', { url: entry.request.url, scope, tabId: backend.tabId ?? -1 });
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
        setUndo({ ...undo, conflicts: r.conflicts, text: `Restored ${r.restored}. The site has set ${r.conflicts.map((c) => `"${c}"`).join(', ')} again since: keep the new value, or overwrite it with the old one?` });
        return;
      }
      setUndo(undefined);
      notify(`Restored ${r.restored} cookie${r.restored === 1 ? '' : 's'}${r.failed.length > 0 ? `; could not restore ${r.failed.join(', ')}` : ''}.`, r.failed.length > 0 ? 'error' : 'ok');
    } catch (e) {
      notify(e instanceof Error ? e.message : String(e), 'error');
    }
  };

  const clearStorage = async () => {
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

  const privateTarget = url !== undefined && isPrivateHost(url.hostname);
  return (
    <div class="actions">
      <div class="action-bar" role="toolbar" aria-label="Actions">
        <button type="button" disabled={busy} onClick={() => ask('as-sent')} title={`Send it again ${where}`}>
          {busy ? 'Re-running…' : 'Re-run'}
        </button>
        <button type="button" disabled={busy} onClick={() => ask('without-cookies')} title="Send it again with no cookies">
          Re-run without cookies
        </button>
        <button type="button" disabled={busy} onClick={() => setPending({ kind: 'edit' })}>
          Re-run with new Authorization…
        </button>
        <span class="sep" />
        <button type="button" onClick={() => void openCookies()} disabled={url === undefined || !/^https?:$/.test(url.protocol)}>
          Clear site cookies…
        </button>
        <button type="button" onClick={() => setPending({ kind: 'storage' })}>
          Clear site storage &amp; cache…
        </button>
        <span class="sep" />
        <button type="button" onClick={() => void copyResult('cURL command', toCurl(entry, { includeSecrets }))}>
          Copy as cURL
        </button>
        <button type="button" onClick={() => void copyResult('fetch() call', toFetch(entry, { includeSecrets }))}>
          Copy as fetch
        </button>
        <button type="button" onClick={() => void copy('Explanation', markdownReport([{ entry, findings: record.findings }], { includeSecrets }), [])}>
          Copy explanation
        </button>
        <label class="include-secrets" title="For the next copy only">
          <input type="checkbox" checked={includeSecrets} onChange={(e) => setIncludeSecrets((e.currentTarget as HTMLInputElement).checked)} /> include secrets
        </label>
      </div>
      <p class="where faint">Re-runs go {where}.</p>

      {pending?.kind === 'confirm' && (
        <div class="confirm" role="alertdialog" aria-label="Confirm re-run">
          <p>
            Send <strong class="mono">{safe(method)}</strong> <span class="mono">{safe(displayUrl(entry.request.url))}</span> again{' '}
            {pending.mode === 'without-cookies' ? 'without cookies' : pending.mode === 'edited' ? 'with the new Authorization' : 'as it was sent'}, {where}?
            {!isSafeMethod(method) && ' Its effects will happen again (an order placed twice, a record deleted).'}
            {source === 'import' && ' This request comes from an imported HAR file.'}
          </p>
          {needsBody && body === undefined && (
            <p class="warn">Its body was not captured (DevTools records bodies only while it is open), so the re-run sends it without a body.</p>
          )}
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
          <label for="new-auth">New Authorization header (paste a fresh token):</label>
          <textarea id="new-auth" rows={2} value={auth} spellcheck={false} onInput={(e) => setAuth((e.currentTarget as HTMLTextAreaElement).value)} />
          <button type="submit" class="primary">
            Re-run with this
          </button>{' '}
          <button type="button" onClick={() => setPending(undefined)}>
            Cancel
          </button>
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
                <li key={`${c.name}|${c.domain}|${c.path}`}>
                  <strong>{safe(c.name)}</strong> <span class="muted mono">{safe(c.domain)}{safe(c.path)}</span>
                  {c.partitioned && <span class="chip sev-info">partitioned</span>}
                </li>
              ))}
            </ul>
          )}
          <p class="muted">This signs you out of the site. You can undo it right after.</p>
          <button type="button" class="primary" disabled={!preview || preview.cookies.length === 0} onClick={() => void clearCookies()}>
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
          <button type="button" class="primary" onClick={() => void clearStorage()}>
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
