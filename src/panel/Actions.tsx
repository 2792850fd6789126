/**
 * The fixes beside the explanation, as core's action plan decides them (`ActionPlan` in
 * core/views/detail.ts: what leads, which re-runs, where they go, what asks first). Re-run is one split
 * button (as sent, without cookies, with a new Authorization); copies are one menu; what signs you
 * out or cannot be undone is in "More", behind a confirmation. Every call goes through the
 * failure's controller (store/failure-actions.ts); each part here keeps only its own open/closed
 * state.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ActionPlan, RerunMode } from '../core/views/detail.ts';
import type { ClearScope } from '../shared/protocol.ts';
import { safe } from '../ui/components.tsx';
import { MenuButton, SplitButton, type MenuItem } from '../ui/menu.tsx';
import type { CookiePreview, FailureActions, UndoState } from './store/failure-actions.ts';

const RERUN_LABEL: Record<RerunMode, string> = {
  'as-sent': 'Re-run',
  'without-cookies': 'Re-run without cookies',
  edited: 'Re-run with new Authorization…',
};

const MODE_WORDS: Record<RerunMode, string> = { 'as-sent': 'as it was sent', 'without-cookies': 'without cookies', edited: 'with the new Authorization' };

type Open = { kind: 'confirm'; mode: RerunMode; authorization?: string } | { kind: 'edit' } | { kind: 'cookies' } | { kind: 'storage' } | undefined;

export function Actions({ plan, act }: { plan: ActionPlan; act: FailureActions }) {
  const source = plan.source;
  const [open, setOpen] = useState<Open>(undefined);
  const [busy, setBusy] = useState(false);
  const [includeSecrets, setIncludeSecrets] = useState(false);

  const run = async (mode: RerunMode, authorization?: string, withBrowserCookies?: boolean) => {
    setOpen(undefined);
    setBusy(true);
    try {
      await act.rerun(mode, authorization, withBrowserCookies);
    } finally {
      setBusy(false);
    }
  };
  const ask = (mode: RerunMode, authorization?: string) => (plan.confirm[mode] ? setOpen({ kind: 'confirm', mode, ...(authorization !== undefined ? { authorization } : {}) }) : void run(mode, authorization));
  const start = (mode: RerunMode) => (mode === 'edited' ? setOpen({ kind: 'edit' }) : ask(mode));
  const copy = (kind: 'curl' | 'fetch' | 'markdown') => () => {
    void act.copy(kind, includeSecrets);
    setIncludeSecrets(false);
  };
  const more: MenuItem[] = [];
  if (plan.clearCookies) more.push({ label: 'Clear site cookies…', onSelect: () => setOpen({ kind: 'cookies' }), danger: true, title: 'Signs you out of the site; you can undo it right after' });
  if (plan.clearStorage) more.push({ label: 'Clear site storage & cache…', onSelect: () => setOpen({ kind: 'storage' }), danger: true, title: 'localStorage, IndexedDB, caches and service workers; cannot be undone' });

  return (
    <div class="actions">
      <div class="action-bar" role="toolbar" aria-label="Actions">
        {plan.lead === 'clear-site-cookies' && (
          <button type="button" class="primary" onClick={() => setOpen({ kind: 'cookies' })} title="The likely fix: sign in again with fresh cookies (undo right after)">
            Clear site cookies…
          </button>
        )}
        {plan.rerunModes.length > 0 && (
          <SplitButton
            label={busy ? 'Re-running…' : RERUN_LABEL[plan.mainMode]}
            primary={plan.leadMode !== undefined}
            disabled={busy}
            title={`Send it again ${plan.where[plan.mainMode].text}`}
            onClick={() => start(plan.mainMode)}
            menuLabel="More ways to re-run"
            items={plan.rerunModes.map((m) => ({ label: `${RERUN_LABEL[m]}${m === 'as-sent' ? ' as sent' : ''}`, onSelect: () => start(m), title: `Send it again ${plan.where[m].text}` }))}
          />
        )}
        <MenuButton
          label="Copy ▾"
          items={[
            { label: 'Copy as cURL', onSelect: copy('curl') },
            { label: 'Copy as fetch', onSelect: copy('fetch') },
            { label: 'Copy explanation (Markdown)', onSelect: copy('markdown') },
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
      <p class="where faint">{plan.whereLine}</p>
      {plan.where['as-sent'].differs.length > 0 && (
        <p class="where differs">
          A re-run as sent will not be the same request, so its answer will not say whether this one works now: {plan.where['as-sent'].differs.map(safe).join('; ')}.
        </p>
      )}
      {open?.kind === 'confirm' && <ConfirmRerun plan={plan} act={act} source={source} mode={open.mode} onSend={(cookies) => void run(open.mode, open.authorization, cookies)} onCancel={() => setOpen(undefined)} />}
      {open?.kind === 'edit' && <EditAuthorization plan={plan} onSubmit={(auth) => ask('edited', auth)} onCancel={() => setOpen(undefined)} />}
      {open?.kind === 'cookies' && <ClearCookies plan={plan} act={act} onDone={() => setOpen(undefined)} />}
      {open?.kind === 'storage' && (
        <div class="confirm" role="alertdialog" aria-label="Clear site storage and cache">
          <p>
            Clear localStorage, IndexedDB, Cache Storage, service workers and the HTTP cache of <strong class="mono">{safe(plan.origin ?? '')}</strong>? Cookies are not touched. This
            cannot be undone.
          </p>
          <button
            type="button"
            class="primary"
            onClick={() => {
              setOpen(undefined);
              void act.clearStorage();
            }}
          >
            Clear storage and cache
          </button>{' '}
          <button type="button" onClick={() => setOpen(undefined)}>
            Cancel
          </button>
        </div>
      )}
    </div>
  );
}

function ConfirmRerun({ plan, act, source, mode, onSend, onCancel }: { plan: ActionPlan; act: FailureActions; source: 'live' | 'import'; mode: RerunMode; onSend(withBrowserCookies: boolean): void; onCancel(): void }) {
  const [bodyMissing, setBodyMissing] = useState(false);
  const [cookies, setCookies] = useState(false);
  useEffect(() => {
    if (plan.needsBody) void act.recordedBody().then((b) => setBodyMissing(b === undefined));
  }, [act]);
  return (
    <div class="confirm" role="alertdialog" aria-label="Confirm re-run">
      <p>
        Send <strong class="mono">{safe(plan.method)}</strong> <span class="mono">{safe(plan.url)}</span> again {MODE_WORDS[mode]}, {plan.where[mode].text}?{plan.unsafe && ' Its effects will happen again (an order placed twice, a record deleted).'}
        {source === 'import' && ` This request comes from a log (an imported HAR file, or DevTools’ network log), not from Why 401’s capture: it goes to ${safe(plan.host)}, from your browser.`}
      </p>
      {mode === 'edited' && (
        <p class="warn">
          The Authorization you pasted goes to <strong class="mono">{safe(plan.origin ?? plan.host)}</strong> and nowhere else. Send it only if you trust that origin with this token.
        </p>
      )}
      {source === 'import' && mode !== 'without-cookies' && (
        <label class="warn">
          <input type="checkbox" checked={cookies} onChange={(e) => setCookies((e.currentTarget as HTMLInputElement).checked)} /> Send my browser’s own cookies and saved sign-ins for{' '}
          <span class="mono">{safe(plan.host)}</span> with it (off: the file’s request goes without them)
        </label>
      )}
      {bodyMissing && <p class="warn">Its body was not captured (DevTools records bodies only while it is open), so the re-run sends it without a body.</p>}
      {plan.privateHost !== undefined && <p class="warn">Note: {safe(plan.privateHost)} is a private or loopback address (your machine or local network).</p>}
      <button type="button" class="primary" onClick={() => onSend(cookies)}>
        Send it
      </button>{' '}
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

function EditAuthorization({ plan, onSubmit, onCancel }: { plan: ActionPlan; onSubmit(auth: string): void; onCancel(): void }) {
  const [auth, setAuth] = useState(plan.authTemplate);
  return (
    <form
      class="edit"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(auth);
      }}
    >
      <label for="new-auth">
        New Authorization header for <strong class="mono">{safe(plan.origin ?? plan.host)}</strong> (paste a fresh token; it is sent there from the extension, never handed to the page):
      </label>
      <textarea id="new-auth" rows={2} value={auth} spellcheck={false} onInput={(e) => setAuth((e.currentTarget as HTMLTextAreaElement).value)} />
      <span>
        <button type="submit" class="primary">
          Re-run with this
        </button>{' '}
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </span>
    </form>
  );
}

/** Clear site cookies: what will go is shown first (by scope); after clearing, Undo restores them. */
function ClearCookies({ plan, act, onDone }: { plan: ActionPlan; act: FailureActions; onDone(): void }) {
  const [scope, setScope] = useState<ClearScope>('site');
  const [preview, setPreview] = useState<CookiePreview | 'loading' | undefined>(undefined);
  const [undo, setUndo] = useState<UndoState | undefined>(undefined);
  const look = (next: ClearScope) => {
    setScope(next);
    setPreview('loading');
    void act.previewCookies(next).then(setPreview);
  };
  useEffect(() => look(scope), [act]);
  if (undo) {
    return (
      <div class="undo" role="status">
        {undo.text}{' '}
        {undo.conflicts ? (
          <>
            <button type="button" onClick={onDone}>
              Keep the new
            </button>{' '}
            <button type="button" onClick={() => void act.undoClear(undo, true).then((u) => (u ? setUndo(u) : onDone()))}>
              Overwrite with the old
            </button>
          </>
        ) : (
          <button type="button" class="primary" onClick={() => void act.undoClear(undo, false).then((u) => (u ? setUndo(u) : onDone()))}>
            Undo
          </button>
        )}
      </div>
    );
  }
  const ready = preview !== undefined && preview !== 'loading' ? preview : undefined;
  return (
    <div class="confirm" role="dialog" aria-label="Clear site cookies">
      <fieldset>
        <legend>Which cookies</legend>
        <label>
          <input type="radio" name="scope" checked={scope === 'host'} onChange={() => look('host')} /> those sent to {safe(plan.host)}
        </label>
        <label>
          <input type="radio" name="scope" checked={scope === 'site'} onChange={() => look('site')} /> the whole site ({safe(ready?.site ?? '')}, every subdomain)
        </label>
      </fieldset>
      {!ready ? (
        <p class="muted">Looking…</p>
      ) : ready.cookies.length === 0 ? (
        <p class="muted">No cookies to clear.</p>
      ) : (
        <ul class="cookie-list">
          {ready.cookies.map((c) => (
            <li key={`${c.name}|${c.domain}|${c.path}|${c.partitionSite ?? ''}`}>
              <strong>{safe(c.name)}</strong> <span class="muted mono">{safe(c.domain)}{safe(c.path)}</span>
              {c.partitioned && <span class="chip sev-info">{c.partitionSite ? `partitioned under ${safe(c.partitionSite)}` : 'partitioned'}</span>}
            </li>
          ))}
        </ul>
      )}
      {ready && ready.otherPartitions.length > 0 && (
        <p class="muted other-partitions">
          Kept: {ready.otherPartitions.map((o) => `${o.count} under ${safe(o.site)}`).join(', ')} (this site’s cookies in other sites’ partitions; this failure did not use them).
        </p>
      )}
      <p class="muted">This signs you out of the site. You can undo it right after.</p>
      <button type="button" class="primary" disabled={!ready || ready.cookies.length === 0} onClick={() => void act.clearCookies(scope, ready?.site ?? '').then((u) => (u ? setUndo(u) : onDone()))}>
        Clear {ready?.cookies.length ?? ''} cookie{ready?.cookies.length === 1 ? '' : 's'}
      </button>{' '}
      <button type="button" onClick={onDone}>
        Cancel
      </button>
    </div>
  );
}
