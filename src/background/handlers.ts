/**
 * Request handlers, an object keyed by message type (DESIGN.md, How the code is written, 3). Each receives a request a
 * guard has already accepted; errors are returned to the caller as data.
 */
import { groupFailures } from '../core/verdict/burst.ts';
import type { Diagnostics, WatchState, RequestMap, RequestType, Request, SummaryItem, TabSummary } from '../shared/protocol.ts';
import { CAUSES } from '../core/verdict/causes.ts';
import { fixedBy, parseRerunResult } from '../core/actions/rerun-result.ts';
import { displayUrl } from '../core/redaction/redact-url.ts';
import { validateSettings, normalizeSite, type Settings } from '../shared/settings.ts';
import { MAX_RERUNS, type StoredRecord } from '../shared/records.ts';
import type { BadgeController } from './badge.ts';
import { summarize, type CookieActions } from './cookie-actions.ts';
import { exportHar } from '../core/exchange/export.ts';
import type { FlowLog } from './flows.ts';
import type { TabStore } from './store.ts';
import { withCookiePolicy, withRecorded } from './rejudge.ts';
import type { DiagnoseOptions } from '../core/verdict/facts.ts';
import type { CookiePolicy } from '../core/exchange/har-types.ts';

export interface HandlerDeps {
  /** The install's tag key, once read (background/tag-key.ts). */
  tagKey: Promise<string>;
  /** The settings a re-diagnosis uses (the user's clock-skew tolerance). */
  judgeOptions(): DiagnoseOptions;
  /** The cookie store a tab uses (platform/cookieStoreOfTab). */
  storeOfTab(tabId: number): Promise<string | undefined>;
  /** The browser's third-party-cookie setting now, when the user allowed reading it. */
  cookiePolicy(storeId: string | undefined): Promise<CookiePolicy | undefined>;
  /** A re-run from the tab itself is coming: its answer is not a new failure. */
  expectRerun(tabId: number, url: string, method: string): void;
  diagnostics: () => Diagnostics;
  store: TabStore;
  badge: BadgeController;
  cookies: CookieActions;
  settings: () => Settings;
  saveSettings: (s: Settings) => Promise<void>;
  /** Clear all: what the capture itself remembers (failing origins, cookie fingerprints) goes too. */
  forgetCapture?: () => Promise<void>;
  /** The sign-in flows the capture followed (background/flows.ts). */
  flows?: FlowLog;
  version: string;
  /** Pause (`false`), follow a grant (`true`), or just say (`undefined`): background/watch.ts. */
  watch?: (on: boolean | undefined) => Promise<WatchState>;
}

type Handlers = { [K in RequestType]: (req: Extract<Request, { type: K }>) => Promise<RequestMap[K]['res']> };

export function createHandlers(deps: HandlerDeps): Handlers {
  const { store, badge, cookies } = deps;
  return {
    'export-har': async ({ tabId, includeSecrets }) => {
      await store.ready;
      return exportHar(store.records(tabId), { includeSecrets: includeSecrets === true, version: deps.version });
    },
    'get-snapshot': async ({ tabId }) => {
      await store.ready;
      return store.snapshot(tabId);
    },
    'get-summary': async ({ tabId, latest }) => {
      await store.ready;
      const snap = store.snapshot(tabId);
      const items: SummaryItem[] = [];
      // A group of repeats (core/verdict/burst.ts) is one failure: its first, with how many more came.
      const groups = groupFailures(snap.records);
      for (const g of groups.slice(-(latest ?? 3)).reverse()) {
        const r = g.head;
        const f = r.findings[0];
        if (!f) continue;
        // The popup's reader is not a developer: only the note that changes what they saw.
        const note = r.notes?.find((n) => n.kind === 'script-never-saw-status');
        items.push({
          id: r.id,
          at: r.at,
          method: r.entry.request.method,
          url: displayUrl(r.entry.request.url),
          status: r.entry.response.status,
          cause: f.cause,
          severity: CAUSES[f.cause].severity,
          title: f.title,
          plain: f.plain,
          userFixes: f.fixes.users,
          fixed: fixedBy(r.reruns) !== undefined,
          ...(note ? { note: note.title } : {}),
          ...(g.members.length > 1 ? { repeats: g.members.length - 1 } : {}),
        });
      }
      const out: TabSummary = { tabId, count: Math.max(0, snap.count - (snap.repeats ?? 0)), dropped: snap.dropped, lost: snap.lost, latest: items };
      const broken = (deps.flows?.flows(tabId) ?? []).filter((f) => f.broken);
      if (broken.length > 0) out.signIn = { broken: broken.length, label: broken[0]!.findings[0]!.label, title: broken[0]!.findings[0]!.title };
      if (snap.topUrl) out.topUrl = displayUrl(snap.topUrl);
      return out;
    },
    'get-flows': async ({ tabId }) => {
      await deps.flows?.ready;
      return { flows: deps.flows?.flows(tabId) ?? [], answers: deps.flows?.readsAnswers ?? false };
    },
    'clear-tab': async ({ tabId }) => {
      await store.ready;
      deps.flows?.forgetTab(tabId);
      const cleared = store.clearTab(tabId);
      await badge.update(tabId);
      return { cleared };
    },
    'get-settings': async () => deps.settings(),
    'get-tag-key': async () => ({ key: await deps.tagKey }),
    'set-settings': async ({ settings }) => {
      const valid = validateSettings(settings);
      await deps.saveSettings(valid);
      return valid;
    },
    'clear-all': async () => {
      await store.ready;
      const ids = store.tabIds();
      store.clearAll();
      deps.flows?.forgetAll();
      await deps.forgetCapture?.();
      await store.flush();
      await Promise.all(ids.map((id) => badge.reapply(id)));
      return { tabs: ids.length };
    },
    'preview-clear-cookies': async ({ url, scope, tabId, storeId, topLevelUrl }) => {
      const store = storeId ?? (tabId !== undefined ? await deps.storeOfTab(tabId) : undefined);
      const { cookies: list, site, otherPartitions } = await cookies.preview(url, scope, store, topLevelUrl);
      return { cookies: list.map(summarize), site, otherPartitions };
    },
    'clear-cookies': async ({ url, scope, tabId, storeId, topLevelUrl }) => {
      const { undoId, cleared } = await cookies.clear(url, scope, tabId, storeId ?? (await deps.storeOfTab(tabId)), topLevelUrl);
      await store.ready;
      store.observeCleared(tabId, cleared, Date.now(), url);
      return { undoId, cleared: cleared.length, cookies: cleared.map(summarize) };
    },
    'undo-clear-cookies': async ({ undoId, overwrite }) => {
      const { restored, conflicts, failed, back, tabId, url } = await cookies.undo(undoId, overwrite === true);
      await store.ready;
      if (back.length > 0 && store.has(tabId)) store.observeCleared(tabId, back, Date.now(), url, 'restored');
      return { restored, conflicts, failed };
    },
    'record-rerun': async ({ recordId, result }) => {
      await store.ready;
      const record = store.record(recordId);
      if (!record) throw new Error('that failure is no longer in the list');
      const checked = parseRerunResult(result);
      if (!checked) throw new Error('malformed re-run result');
      const updated: StoredRecord = { ...record, reruns: [...(record.reruns ?? []), checked].slice(-MAX_RERUNS) };
      store.updateRecord(updated);
      return updated;
    },
    'attach-recorded': async ({ recordId, body, initiator }) => {
      await store.ready;
      const record = store.record(recordId);
      if (!record) throw new Error('that failure is no longer in the list');
      const updated = withRecorded(record, { ...(body ? { body } : {}), ...(initiator !== undefined ? { initiator } : {}) }, deps.judgeOptions());
      if (updated !== record) store.updateRecord(updated);
      return updated;
    },
    'read-cookie-policy': async ({ tabId }) => {
      await store.ready;
      const storeId = await deps.storeOfTab(tabId);
      const policy = await deps.cookiePolicy(storeId);
      if (!policy) return { policy: null, rejudged: 0 };
      let rejudged = 0;
      for (const record of [...store.records(tabId)]) {
        if (record.entry._why401?.cookiePolicy || !record.findings.some((f) => f.wants === 'cookie-policy')) continue;
        store.updateRecord(withCookiePolicy(record, policy, deps.judgeOptions()));
        rejudged++;
      }
      return { policy, rejudged };
    },
    'expect-rerun': async ({ tabId, url, method }) => {
      deps.expectRerun(tabId, url, method);
      return { expected: true };
    },
    'get-diagnostics': async () => {
      await store.ready;
      return deps.diagnostics();
    },
    'get-watch': async () => {
      if (!deps.watch) throw new Error('no capture here');
      return deps.watch(undefined);
    },
    'set-watching': async ({ on }) => {
      if (!deps.watch) throw new Error('no capture here');
      return deps.watch(on);
    },
    'set-paused': async ({ host, paused }) => {
      const site = normalizeSite(host);
      if (!site) throw new Error('not a host name');
      const s = deps.settings();
      const pausedSites = paused ? [...new Set([...s.pausedSites, site])] : s.pausedSites.filter((p) => p !== site);
      const next = validateSettings({ ...s, pausedSites });
      await deps.saveSettings(next);
      return next;
    },
  };
}
