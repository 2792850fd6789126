/**
 * What the user can do on one failure, as the action bar and the detail call it: re-runs (core
 * builds the request and judges the answer), copies (masked by core unless the user includes
 * secrets for that copy), Clear site cookies with its preview and undo, clearing storage, reading
 * the browser's cookie setting. The only place the detail reaches the background or the browser:
 * its components call these and render the outcome.
 */
import type { ActionPlan, DetailRecord, RerunMode } from '../../core/views/detail.ts';
import { endpointOf } from '../../core/redaction/redact-url.ts';
import { markdownReport } from '../../core/views/report-md.ts';
import { toCurl, toFetch } from '../../core/actions/reproduce.ts';
import { fixedBy, rerunSucceeded } from '../../core/actions/rerun-result.ts';
import { rerunRequest, rerunResult } from '../../core/actions/rerun.ts';
import type { ClearScope, CookieSummary, OtherPartition } from '../../shared/protocol.ts';
import type { RerunResult } from '../../shared/records.ts';
import type { PanelBackend } from '../backend.ts';

export type Notify = (message: string, kind?: 'ok' | 'error' | 'info') => void;

export interface CookiePreview {
  cookies: CookieSummary[];
  site: string;
  /** The site's cookies under other top-level sites, which the clear leaves alone. */
  otherPartitions: OtherPartition[];
}

export interface UndoState {
  undoId: string;
  text: string;
  conflicts?: string[];
}

export interface FailureActions {
  /**
   * Send it again (the caller has asked for confirmation where the plan says so). An imported
   * request goes without the browser's cookies unless `withBrowserCookies` (the user ticked it).
   */
  rerun(mode: RerunMode, authorization?: string, withBrowserCookies?: boolean): Promise<void>;
  copy(kind: 'curl' | 'fetch' | 'markdown', includeSecrets: boolean): Promise<void>;
  previewCookies(scope: ClearScope): Promise<CookiePreview | undefined>;
  clearCookies(scope: ClearScope, site: string): Promise<UndoState | undefined>;
  /** Undo a clear; returns the undo state still open (a conflict to settle), or undefined when done. */
  undoClear(undo: UndoState, overwrite: boolean): Promise<UndoState | undefined>;
  clearStorage(): Promise<void>;
  readCookiePolicy(): Promise<void>;
  /** The request body DevTools recorded, for a re-run of a method that has one. */
  recordedBody(): Promise<string | undefined>;
  openSource?: (url: string, line: number, column: number) => void;
  showInNetwork?: () => void;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function failureActions(record: DetailRecord, plan: ActionPlan, source: 'live' | 'import', backend: PanelBackend, notify: Notify, onRerun: (r: RerunResult) => void): FailureActions {
  const entry = record.entry;
  const storeId = entry._why401?.storeId;
  /** The page the failure happened in: its partition is the one a clear acts on. */
  const topLevelUrl = entry._why401?.topLevelUrl ?? entry._why401?.context?.topLevelUrl;
  let body: Promise<string | undefined> | undefined;
  const recordedBody = () => {
    body ??= plan.needsBody && backend.recordedBody ? backend.recordedBody(entry.request.url, entry.request.method, entry.startedDateTime).catch(() => undefined) : Promise.resolve(undefined);
    return body;
  };
  const live = source === 'live';
  return {
    async rerun(mode, authorization, withBrowserCookies = false) {
      const sent = await recordedBody();
      const request = rerunRequest(entry, mode, {
        ...(authorization !== undefined ? { authorization } : {}),
        ...(sent !== undefined ? { body: sent } : {}),
        ...(source === 'import' ? { withBrowserCredentials: withBrowserCookies } : {}),
      });
      const here = plan.where[mode].inPage && backend.fetchInPage !== undefined;
      const frameUrl = here ? plan.where[mode].frameUrl : undefined;
      // The page's fetch is a real request of the tab: the background attributes its answer to this
      // failure instead of listing it as a new one.
      if (here && backend.tabId !== undefined) await backend.request('expect-rerun', { tabId: backend.tabId, url: request.url, method: request.method }).catch(() => undefined);
      const out = here ? await backend.fetchInPage!(request, frameUrl) : await backend.fetchFromExtension(request);
      const result = rerunResult(entry, mode, frameUrl !== undefined ? 'frame' : here ? 'page' : 'extension', request, out);
      onRerun(result);
      const ok = rerunSucceeded(result);
      const fixed = fixedBy([result]) !== undefined;
      notify(
        result.error ? `Re-run failed: ${result.error}` : `Re-run → ${result.status} ${result.statusText}${fixed ? ': fixed.' : ok ? ': not the same request as the original (see the detail).' : ''}`,
        fixed ? 'ok' : ok ? 'info' : 'error',
      );
    },
    async copy(kind, includeSecrets) {
      const made =
        kind === 'curl'
          ? { what: 'cURL command', ...toCurl(entry, { includeSecrets }) }
          : kind === 'fetch'
            ? { what: 'fetch() call', ...toFetch(entry, { includeSecrets }) }
            : { what: 'Explanation', text: markdownReport([{ entry, findings: record.findings, notes: record.notes ?? [] }], { includeSecrets }), masked: [] as string[] };
      try {
        await backend.copy(made.text);
        notify(includeSecrets ? `${made.what} copied, WITH secrets.` : `${made.what} copied${made.masked.length > 0 ? ` (masked: ${made.masked.join('; ')})` : ''}.`, 'ok');
      } catch (e) {
        notify(message(e), 'error');
      }
    },
    async previewCookies(scope) {
      try {
        return await backend.request('preview-clear-cookies', { url: entry.request.url, scope, ...(topLevelUrl ? { topLevelUrl } : {}), ...(storeId ? { storeId } : backend.tabId !== undefined ? { tabId: backend.tabId } : {}) });
      } catch (e) {
        notify(message(e), 'error');
        return undefined;
      }
    },
    async clearCookies(scope, site) {
      if (!live) return undefined;
      try {
        const r = await backend.request('clear-cookies', { url: entry.request.url, scope, tabId: backend.tabId ?? -1, ...(topLevelUrl ? { topLevelUrl } : {}), ...(storeId ? { storeId } : {}) });
        return { undoId: r.undoId, text: `Cleared ${r.cleared} cookie${r.cleared === 1 ? '' : 's'} of ${site}.` };
      } catch (e) {
        notify(message(e), 'error');
        return undefined;
      }
    },
    async undoClear(undo, overwrite) {
      try {
        const r = await backend.request('undo-clear-cookies', { undoId: undo.undoId, overwrite });
        if (r.conflicts.length > 0 && !overwrite) {
          return { ...undo, conflicts: r.conflicts, text: `Restored ${r.restored}. The site has set ${r.conflicts.map((c) => `"${c}"`).join(', ')} again since: keep the new one, or overwrite it with the old one?` };
        }
        notify(`Restored ${r.restored} cookie${r.restored === 1 ? '' : 's'}${r.failed.length > 0 ? `; could not restore ${r.failed.join(', ')} (kept for another try)` : ''}.`, r.failed.length > 0 ? 'error' : 'ok');
        return undefined;
      } catch (e) {
        notify(message(e), 'error');
        return undo;
      }
    },
    async clearStorage() {
      if (!live || !plan.origin) return;
      try {
        await backend.clearSiteData(plan.origin);
        notify(`Cleared the storage and cache of ${plan.origin}.`, 'ok');
      } catch (e) {
        notify(message(e), 'error');
      }
    },
    async readCookiePolicy() {
      try {
        if (!(await backend.allowCookiePolicy())) {
          notify('Why 401 was not allowed to read the browser’s cookie setting; nothing changed.', 'error');
          return;
        }
        if (backend.tabId === undefined) return;
        const r = await backend.request('read-cookie-policy', { tabId: backend.tabId });
        notify(
          r.policy
            ? `Your browser’s setting: third-party cookies ${r.policy.thirdParty} (${r.policy.setting}). ${r.rejudged} failure${r.rejudged === 1 ? '' : 's'} re-diagnosed with it.`
            : 'The browser did not say how it treats third-party cookies.',
          r.policy ? 'ok' : 'error',
        );
      } catch (e) {
        notify(`Could not read the browser’s cookie setting: ${message(e)}`, 'error');
      }
    },
    recordedBody,
    ...(live && backend.openSource ? { openSource: (url: string, line: number, column: number) => void backend.openSource!(url, line, column) } : {}),
    // The Network panel's filter, narrowed to this very request: its full URL, method and status.
    ...(live && backend.showInNetwork ? { showInNetwork: () => void backend.showInNetwork!(networkFilter(entry.request.url, entry.request.method, entry.response.status)) } : {}),
  };
}

/**
 * The Network panel's filter for one request: its endpoint (no query or fragment, where tokens
 * travel: the filter box is on screen, and secrets stay masked until revealed), its method, its status.
 */
export function networkFilter(url: string, method: string, status: number): string {
  return `${endpointOf(url)} method:${method.toUpperCase()} status-code:${status}`;
}

const controllers = new WeakMap<object, FailureActions>();

/** The controller of the failure a detail shows: one per model (a new verdict or context makes a new one). */
export function actionsFor(store: { backend: PanelBackend; notify(text: string, kind?: 'ok' | 'error' | 'info', recordId?: string): void; rerunDone(id: string, r: RerunResult): void }, record: DetailRecord, model: { actions: ActionPlan }): FailureActions {
  let a = controllers.get(model);
  if (!a) {
    a = failureActions(record, model.actions, model.actions.source, store.backend, (text, kind) => store.notify(text, kind, record.id), (r) => store.rerunDone(record.id, r));
    controllers.set(model, a);
  }
  return a;
}
