/**
 * Settings (options page). Stored by the background in storage.local (settings only, never
 * captured data), validated there; every change is saved at once and applied immediately.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Diagnostics, WatchState } from '../shared/protocol.ts';
import { CAP_LIMITS, DEFAULT_TYPES, RESOURCE_TYPES, normalizeSite, type ResourceType, type Settings } from '../shared/settings.ts';
import { safe } from '../ui/components.tsx';

export interface OptionsBackend {
  get(): Promise<Settings>;
  save(s: Settings): Promise<Settings>;
  clearAll(): Promise<{ tabs: number }>;
  diagnostics(): Promise<Diagnostics>;
  /** Ask for the optional notifications permission (a user gesture). */
  requestNotifications(): Promise<boolean>;
  watch(): Promise<WatchState>;
  /** Start (asks the browser for the capture's permission in this click, then tells the background) or pause. */
  setWatching(on: boolean): Promise<WatchState>;
  /** The keyboard shortcut that pauses and resumes, as the browser has it now ('' when unset). */
  shortcut(): Promise<string>;
  /** Opened as the first-run page (options.html#welcome). */
  welcome: boolean;
}

/** Watching or paused, the sites the browser lets it see, and the first-run start. */
function Watching({ backend, onStatus }: { backend: OptionsBackend; onStatus: (text: string, kind: 'ok' | 'error') => void }) {
  const [w, setW] = useState<WatchState | undefined>(undefined);
  const [shortcut, setShortcut] = useState<string | undefined>(undefined);
  useEffect(() => {
    backend.watch().then(setW, () => undefined);
    backend.shortcut().then(setShortcut, () => undefined);
  }, []);
  if (!w) return null;
  const set = async (on: boolean) => {
    try {
      const next = await backend.setWatching(on);
      setW(next);
      if (on && !next.listening) onStatus('The browser did not grant the permission: Why 401 is still paused.', 'error');
      else onStatus(next.listening ? 'Watching.' : 'Paused: the listeners and the webRequest permission are given back. What was captured is kept.', 'ok');
    } catch (e) {
      onStatus(`Could not ${on ? 'start' : 'pause'}: ${e instanceof Error ? e.message : String(e)}`, 'error');
    }
  };
  const keys = shortcut ? <kbd>{shortcut}</kbd> : 'a keyboard shortcut (none is set: the browser’s extension shortcuts page sets one)';
  if (!w.listening) {
    // The first-run page, or the settings page of an install the user has not started yet.
    const first = backend.welcome || w.started === false;
    return (
      <section class={`watching paused${first ? ' welcome' : ''}`} aria-labelledby="watching-h">
        <h2 id="watching-h">{first ? 'Start watching for sign-in failures' : 'Why 401 is paused'}</h2>
        <p>
          {first
            ? 'Why 401 reads the headers and cookies of requests that fail to explain them, keeps them in memory only, and sends nothing anywhere. To hear requests it needs the browser’s webRequest permission: starting asks for it (no prompt appears).'
            : 'It hears no requests and holds no webRequest permission, so pages pay nothing for it. The failures it captured before are kept.'}
        </p>
        <p>
          <button id="start-watching" type="button" class="primary" onClick={() => void set(true)}>
            {first ? 'Start watching' : 'Resume watching'}
          </button>
        </p>
        <p class="muted small">Later, the popup’s switch or {keys} pauses and resumes.</p>
      </section>
    );
  }
  return (
    <section class="watching" aria-labelledby="watching-h">
      <h2 id="watching-h">Watching</h2>
      <Field
        label="Sites"
        hint="To watch only some sites, set Why 401’s site access in the browser: Chrome’s extension menu (“This can read and change site data”), Firefox’s per-site permissions. On a site left out, the panel can still read the failures DevTools itself recorded."
      >
        {w.sites.all ? (
          <span>Every site</span>
        ) : w.sites.origins.length === 0 ? (
          <span>No site: the browser lets Why 401 see none. Allow sites from the browser’s extension menu.</span>
        ) : (
          <ul class="sites">
            {w.sites.origins.map((o) => (
              <li key={o} class="mono">
                {safe(o)}
              </li>
            ))}
          </ul>
        )}
      </Field>
      <Field label="Pause" hint={<>A pause removes the listeners and gives the webRequest permission back: pages pay nothing for Why 401 until you resume. What was captured is kept. Also {keys}, or the popup’s switch.</>}>
        <button id="pause-watching" type="button" onClick={() => void set(false)}>
          Pause watching
        </button>
      </Field>
    </section>
  );
}

const TYPE_LABELS: Record<ResourceType, string> = {
  main_frame: 'Pages (top-level documents)',
  sub_frame: 'Frames',
  xmlhttprequest: 'fetch() and XMLHttpRequest',
  other: 'Other (includes CORS preflights)',
  script: 'Scripts',
  ping: 'Beacons and pings',
  websocket: 'WebSockets',
  stylesheet: 'Style sheets',
  image: 'Images',
  font: 'Fonts',
  media: 'Audio and video',
  object: 'Plugins (object/embed)',
};

function Field({ label, hint, children }: { label: ComponentChildren; hint?: ComponentChildren; children: ComponentChildren }) {
  return (
    <div class="field">
      <div class="label">{label}</div>
      <div class="control">
        {children}
        {hint && <div class="hint">{hint}</div>}
      </div>
    </div>
  );
}

function lines(text: string): string[] {
  return text.split(/[\n,]+/).map((s) => s.trim()).filter(Boolean);
}

export function Options({ backend }: { backend: OptionsBackend }) {
  const [s, setS] = useState<Settings | undefined>(undefined);
  const [status, setStatus] = useState<{ text: string; kind: 'ok' | 'error' | 'info' } | undefined>(undefined);
  const [allow, setAllow] = useState('');
  const [deny, setDeny] = useState('');
  const [diag, setDiag] = useState<Diagnostics | undefined>(undefined);
  const [confirmClear, setConfirmClear] = useState(false);

  useEffect(() => {
    backend.get().then(
      (v) => {
        setS(v);
        setAllow(v.siteAllowlist.join('\n'));
        setDeny(v.siteDenylist.join('\n'));
      },
      (e: unknown) => setStatus({ text: `Could not load the settings: ${e instanceof Error ? e.message : String(e)}`, kind: 'error' }),
    );
    backend.diagnostics().then(setDiag, () => undefined);
  }, []);

  if (!s) return <main class="options">{status ? <p class="error">{status.text}</p> : <p class="muted">Loading…</p>}</main>;

  const save = async (next: Settings, note?: string) => {
    setS(next);
    try {
      const saved = await backend.save(next);
      setS(saved);
      const corrected = JSON.stringify(saved) !== JSON.stringify({ ...next, version: saved.version });
      setStatus({ text: corrected ? 'Saved (out-of-range values were corrected).' : (note ?? 'Saved.'), kind: 'ok' });
    } catch (e) {
      setStatus({ text: `Not saved: ${e instanceof Error ? e.message : String(e)}`, kind: 'error' });
    }
  };

  const saveSites = (which: 'siteAllowlist' | 'siteDenylist', text: string) => {
    const entries = lines(text);
    const bad = entries.filter((x) => normalizeSite(x) === undefined);
    if (bad.length > 0) {
      setStatus({ text: `Not a site: ${bad.slice(0, 3).join(', ')}. Write host names such as example.com (one per line).`, kind: 'error' });
      return;
    }
    void save({ ...s, [which]: entries.map((x) => normalizeSite(x)!) });
  };

  const toggleType = (t: ResourceType, on: boolean) => {
    const next = on ? [...new Set([...s.resourceTypes, t])] : s.resourceTypes.filter((x) => x !== t);
    if (next.length === 0) {
      setStatus({ text: 'Watch at least one kind of request.', kind: 'error' });
      return;
    }
    void save({ ...s, resourceTypes: next });
  };

  const setNotifications = async (on: boolean) => {
    if (on && !(await backend.requestNotifications())) {
      setStatus({ text: 'Notifications need your permission; it was not granted.', kind: 'error' });
      return;
    }
    void save({ ...s, notifications: on });
  };

  /** A setting that is on or off, saved as soon as it changes. */
  const flag = (key: 'preserveLog' | 'allowReveal' | 'badgeAlert' | 'captureInFull' | 'followSignIns', text: string) => (
    <label class="check">
      <input type="checkbox" checked={s[key]} onChange={(e) => void save({ ...s, [key]: (e.currentTarget as HTMLInputElement).checked })} /> {text}
    </label>
  );
  const num = (value: string, fallback: number) => {
    const n = Number(value);
    return Number.isFinite(n) ? n : fallback;
  };

  return (
    <main class="options">
      <header>
        <img src="icons/icon-48.png" alt="" width={32} height={32} />
        <div>
          <h1>Why 401 settings</h1>
          <p class="muted">Changes are saved and applied at once. Settings live in this browser’s extension storage; captured requests never do.</p>
        </div>
      </header>

      <Watching backend={backend} onStatus={(text, kind) => setStatus({ text, kind })} />

      <section>
        <h2>What counts as a failure</h2>
        <Field label="Statuses" hint="Any other error that carries an authentication challenge (WWW-Authenticate or DPoP-Nonce) always counts.">
          {(['401', '407', '403'] as const).map((code) => (
            <label key={code} class="check">
              <input type="checkbox" checked={s.statuses[code]} onChange={(e) => void save({ ...s, statuses: { ...s.statuses, [code]: (e.currentTarget as HTMLInputElement).checked } })} />{' '}
              {code} {code === '401' ? 'Unauthorized' : code === '407' ? 'Proxy Authentication Required' : 'Forbidden'}
            </label>
          ))}
        </Field>
        <Field label="Requests watched" hint={`The default watches what carries API calls and pages. Images, fonts, styles and media add work for little gain; turn them on only if your app protects them.`}>
          <div class="grid">
            {RESOURCE_TYPES.map((t) => (
              <label key={t} class="check">
                <input type="checkbox" checked={s.resourceTypes.includes(t)} onChange={(e) => toggleType(t, (e.currentTarget as HTMLInputElement).checked)} /> {TYPE_LABELS[t]}
                {DEFAULT_TYPES.includes(t) ? '' : <span class="muted"> (off by default)</span>}
              </label>
            ))}
          </div>
        </Field>
        <Field
          label="How closely"
          hint="By default pages are watched lightly (Chrome then hides their Cookie headers from extensions) and in full only for fetch/XHR, sites that have failed and tabs where the panel is open: that keeps the cost low on every page. Full everywhere shows the cookies of a page’s very first failure too, at a cost on every page. (Firefox always shows every header.)"
        >
          {flag('captureInFull', 'Watch every request in full')}
        </Field>
        <Field
          label="Sign-in flows"
          hint="With DevTools closed, Why 401 follows OAuth and OpenID Connect sign-ins and the token’s life after them: it hears the form body of a request whose path names a token (and in Firefox reads its answer as it passes, unchanged), keeps what the checks compare — never a token, code or secret — and reads no other request. Off: the listener goes (pages save its small cost), and the sign-in view and the token’s lane show only what DevTools records while open."
        >
          {flag('followSignIns', 'Follow sign-ins with DevTools closed')}
        </Field>
      </section>

      <section>
        <h2>Keeping the list</h2>
        <Field label="Preserve log" hint="Keep a tab’s list when it loads another page (like the Network panel’s option).">
          {flag('preserveLog', 'Keep failures across page loads')}
        </Field>
        <Field label={<label for="per-tab">Per tab</label>} hint={`${CAP_LIMITS.perTab[0]}–${CAP_LIMITS.perTab[1]} failures kept per tab; older ones are dropped (and counted).`}>
          <input id="per-tab" type="number" min={CAP_LIMITS.perTab[0]} max={CAP_LIMITS.perTab[1]} value={s.perTabCap} onChange={(e) => void save({ ...s, perTabCap: num((e.currentTarget as HTMLInputElement).value, s.perTabCap) })} />
        </Field>
        <Field label={<label for="total">In all</label>} hint={`${CAP_LIMITS.total[0]}–${CAP_LIMITS.total[1]} failures kept across every tab (in memory only).`}>
          <input id="total" type="number" min={CAP_LIMITS.total[0]} max={CAP_LIMITS.total[1]} value={s.totalCap} onChange={(e) => void save({ ...s, totalCap: num((e.currentTarget as HTMLInputElement).value, s.totalCap) })} />
        </Field>
      </section>

      <section>
        <h2>Secrets and tokens</h2>
        <Field label="Revealing secrets" hint="Tokens, passwords and cookie values are always masked. This only says whether the panel offers “reveal”.">
          {flag('allowReveal', 'Allow revealing a masked value on click')}
        </Field>
        <Field label={<label for="skew">Clock-skew tolerance</label>} hint="Seconds of slack when judging a token’s exp and nbf against the request time (0–3600).">
          <input id="skew" type="number" min={0} max={3600} value={s.clockSkewSeconds} onChange={(e) => void save({ ...s, clockSkewSeconds: num((e.currentTarget as HTMLInputElement).value, s.clockSkewSeconds) })} /> seconds
        </Field>
      </section>

      <section>
        <h2>Sites</h2>
        <Field label={<label for="allow">Only these sites</label>} hint="When not empty, Why 401 watches only these sites (one host per line; example.com covers its subdomains).">
          <textarea id="allow" rows={3} value={allow} onInput={(e) => setAllow((e.currentTarget as HTMLTextAreaElement).value)} onBlur={() => saveSites('siteAllowlist', allow)} placeholder="example.com" />
        </Field>
        <Field label={<label for="deny">Never these sites</label>} hint="Why 401 never looks at these sites’ requests.">
          <textarea id="deny" rows={3} value={deny} onInput={(e) => setDeny((e.currentTarget as HTMLTextAreaElement).value)} onBlur={() => saveSites('siteDenylist', deny)} placeholder="bank.example" />
        </Field>
        <Field label="Ignored from the popup" hint="Their failures are not kept; their requests are still heard. A pause (above) is what stops hearing.">
          {s.pausedSites.length === 0 ? (
            <span class="muted">None.</span>
          ) : (
            <ul class="paused">
              {s.pausedSites.map((p) => (
                <li key={p}>
                  <span class="mono">{safe(p)}</span>{' '}
                  <button type="button" class="link" onClick={() => void save({ ...s, pausedSites: s.pausedSites.filter((x) => x !== p) }, `Resumed ${p}.`)}>
                    resume
                  </button>
                </li>
              ))}
            </ul>
          )}
        </Field>
      </section>

      <section>
        <h2>Badge and alerts</h2>
        <Field label="Badge" hint="The toolbar button always counts the tab’s failures, coloured by the latest one’s severity.">
          {flag('badgeAlert', 'Flash the badge when a new failure arrives')}
        </Field>
        <Field label="Notifications" hint="A system notification for each new failure. Off unless you turn it on; the browser asks for permission.">
          <label class="check">
            <input type="checkbox" checked={s.notifications} onChange={(e) => void setNotifications((e.currentTarget as HTMLInputElement).checked)} /> Show a system notification
          </label>
        </Field>
      </section>

      <section>
        <h2>Captured data</h2>
        <Field label="Clear everything" hint="Deletes every tab’s captured failures and context now (it is also deleted when a tab closes and when the browser quits).">
          {confirmClear ? (
            <span>
              Delete all captured data?{' '}
              <button
                type="button"
                class="primary"
                onClick={() =>
                  void backend.clearAll().then(
                    (r) => {
                      setConfirmClear(false);
                      setStatus({ text: `Cleared the captured data of ${r.tabs} tab${r.tabs === 1 ? '' : 's'}.`, kind: 'ok' });
                    },
                    (e: unknown) => setStatus({ text: String(e), kind: 'error' }),
                  )
                }
              >
                Delete
              </button>{' '}
              <button type="button" onClick={() => setConfirmClear(false)}>
                Cancel
              </button>
            </span>
          ) : (
            <button type="button" onClick={() => setConfirmClear(true)}>
              Clear all captured data now
            </button>
          )}
        </Field>
        {diag && (
          <p class="muted small">
            Version {diag.version} · {diag.records} failure{diag.records === 1 ? '' : 's'} kept across {diag.tabs} tab{diag.tabs === 1 ? '' : 's'} · {diag.listening === false ? 'paused' : diag.extraHeaders ? 'Chrome capture (extraHeaders)' : 'Firefox capture'}
            {diag.errors.length + diag.writeErrors.length > 0 ? ` · ${diag.errors.length + diag.writeErrors.length} background error(s): ${[...diag.errors, ...diag.writeErrors].slice(0, 2).join('; ')}` : ''}
          </p>
        )}
      </section>
      <div class={`status ${status?.kind ?? ''}`} role="status" aria-live="polite">
        {status?.text ?? ''}
      </div>
    </main>
  );
}
