/**
 * Per-tab state, kept in storage.session (never local or sync) so that it survives the service
 * worker being stopped: a small meta item per tab (`t:<tabId>`: counts), its timeline (`l:<tabId>`)
 * and one item per failure (`r:<tabId>:<seq>`, as JSON text). An in-memory mirror answers every read; writes are batched
 * (failures within ~30 ms, timeline changes within ~1 s) instead of one write per request.
 *
 * Caps: per tab and overall, oldest dropped first, and the number dropped is kept and shown.
 * When storage.session's quota is reached, the oldest tenth is dropped (and counted) and the
 * write retried, a bounded number of times: never an exception loop.
 */
import { repeatCount } from '../core/verdict/burst.ts';
import { CAUSES } from '../core/verdict/causes.ts';
import type { Finding, Note } from '../core/verdict/finding.ts';
import type { HarEntry, JarCookie } from '../core/exchange/har-types.ts';
import { emptyTimeline, observe, observeClearedCookies } from '../core/exchange/timeline.ts';
import type { KeyValueStore } from '../platform/types.ts';
import type { StoredRecord, TabMeta, TabSnapshot } from '../shared/records.ts';
import type { ClearReason } from '../shared/protocol.ts';
import { META, RECORD, TIMELINE, decodeMeta, decodeRecord, decodeTimeline, encodeRecord, encodeTimeline, recordKey } from './store-codec.ts';

export { recordKey } from './store-codec.ts';


export interface StoreLimits {
  perTab: number;
  total: number;
}

export type StoreEvent =
  | { type: 'record'; tabId: number; record: StoredRecord }
  | { type: 'record-updated'; tabId: number; record: StoredRecord }
  | { type: 'cleared'; tabId: number; reason?: ClearReason; removed?: number }
  | { type: 'meta'; tabId: number };

interface TabState {
  meta: TabMeta;
  /** Ordered by seq. */
  records: StoredRecord[];
}

function newMeta(tabId: number): TabMeta {
  return { v: 1, tabId, seq: 1, count: 0, dropped: 0, lost: 0, partial: 0, page: 0, timeline: emptyTimeline() };
}

function isQuotaError(e: unknown): boolean {
  return /quota/i.test(String((e as Error)?.message ?? e));
}

export class TabStore {
  private readonly tabs = new Map<number, TabState>();
  private readonly dirty = new Set<string>();
  private readonly removals = new Set<string>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private flushDue = Infinity;
  private flushing: Promise<void> = Promise.resolve();
  private totalRecords = 0;
  readonly ready: Promise<void>;
  /** Errors seen while writing, for diagnostics (never thrown at callers). */
  readonly writeErrors: string[] = [];

  constructor(
    private readonly kv: KeyValueStore,
    private readonly limits: () => StoreLimits,
    private readonly emit: (e: StoreEvent) => void = () => undefined,
  ) {
    this.ready = this.load();
  }

  private async load(): Promise<void> {
    let all: Record<string, unknown> = {};
    try {
      all = await this.kv.get(null);
    } catch {
      all = {};
    }
    const records = new Map<number, StoredRecord[]>();
    for (const [key, value] of Object.entries(all)) {
      if (key.startsWith(META)) {
        const meta = decodeMeta(value);
        if (meta) this.tabs.set(meta.tabId, { meta, records: [] });
      } else if (key.startsWith(RECORD)) {
        const record = decodeRecord(value);
        if (!record) continue;
        const list = records.get(record.tabId) ?? [];
        list.push(record);
        records.set(record.tabId, list);
      }
    }
    for (const [key, value] of Object.entries(all)) {
      if (!key.startsWith(TIMELINE)) continue;
      const state = this.tabs.get(Number(key.slice(TIMELINE.length)));
      const timeline = decodeTimeline(value);
      if (state && timeline) state.meta.timeline = timeline;
    }
    for (const [tabId, list] of records) {
      const state = this.tabs.get(tabId);
      if (!state) {
        // A record without its tab's meta: an interrupted clear. Drop it.
        for (const r of list) this.removals.add(recordKey(r.tabId, r.seq));
        continue;
      }
      list.sort((a, b) => a.seq - b.seq);
      state.records = list;
      this.totalRecords += list.length;
    }
    for (const state of this.tabs.values()) {
      // Counted before the worker stopped and never recorded: say so, visibly.
      const kept = state.meta.count - state.meta.dropped - state.meta.lost;
      const missing = kept - state.records.length;
      if (missing > 0) {
        state.meta.lost += missing;
        this.markMeta(state.meta.tabId);
      } else if (missing < 0) {
        // Records the meta already counts as dropped (the oldest go first) or cleared, whose
        // removal a stopped worker did not finish: removed now.
        for (const r of state.records.splice(0, Math.min(-missing, state.records.length))) {
          this.removals.add(recordKey(r.tabId, r.seq));
          this.totalRecords--;
        }
      }
    }
    if (this.removals.size > 0) this.scheduleFlush(1000);
  }

  tabIds(): number[] {
    return [...this.tabs.keys()];
  }

  has(tabId: number): boolean {
    return this.tabs.has(tabId);
  }

  private state(tabId: number): TabState {
    let s = this.tabs.get(tabId);
    if (!s) {
      s = { meta: newMeta(tabId), records: [] };
      this.tabs.set(tabId, s);
    }
    return s;
  }

  meta(tabId: number): TabMeta {
    return this.state(tabId).meta;
  }

  records(tabId: number): StoredRecord[] {
    return this.tabs.get(tabId)?.records ?? [];
  }

  record(id: string): StoredRecord | undefined {
    const [tab, seq] = id.split(':').map(Number);
    return this.tabs.get(tab ?? -1)?.records.find((r) => r.seq === seq);
  }

  snapshot(tabId: number): TabSnapshot {
    const s = this.tabs.get(tabId);
    const meta = s?.meta ?? newMeta(tabId);
    const snap: TabSnapshot = { tabId, count: meta.count, dropped: meta.dropped, lost: meta.lost, partial: meta.partial, records: s ? [...s.records] : [] };
    if (meta.repeats) snap.repeats = meta.repeats;
    if (meta.topUrl) snap.topUrl = meta.topUrl;
    if (meta.latest) snap.latest = meta.latest;
    return snap;
  }

  /**
   * Count a failure now (the badge shows it at once) and reserve its place; `complete` adds the
   * record when its evidence (the cookie jar) has been gathered.
   */
  reserve(tabId: number): { seq: number; page: number } {
    const s = this.state(tabId);
    const seq = s.meta.seq++;
    s.meta.count++;
    this.markMeta(tabId);
    this.scheduleFlush(30);
    return { seq, page: s.meta.page };
  }

  complete(tabId: number, seq: number, page: number, entry: HarEntry, findings: Finding[], partial?: string, notes: Note[] = [], pending = false): StoredRecord | undefined {
    const s = this.tabs.get(tabId);
    if (!s) return undefined; // the tab closed meanwhile
    if (page !== s.meta.page) return undefined; // the list was cleared (or the page changed) meanwhile
    const at = Date.parse(entry.startedDateTime);
    const record: StoredRecord = { id: `${tabId}:${seq}`, tabId, seq, at: Number.isNaN(at) ? Date.now() : at, page, entry, findings };
    if (s.meta.loads) record.load = s.meta.loads;
    if (notes.length > 0) record.notes = notes;
    if (pending) record.pending = true;
    if (partial) {
      record.partial = partial;
      s.meta.partial++;
    }
    // Insert in seq order (evidence for a later failure can arrive first).
    let i = s.records.length;
    while (i > 0 && s.records[i - 1]!.seq > seq) i--;
    s.records.splice(i, 0, record);
    this.totalRecords++;
    const primary = findings[0];
    if (primary && i === s.records.length - 1) {
      s.meta.latest = { cause: primary.cause, severity: CAUSES[primary.cause].severity, title: primary.title, plain: primary.plain };
    }
    this.dirty.add(recordKey(tabId, seq));
    this.removals.delete(recordKey(tabId, seq));
    this.countRepeats(s);
    this.markMeta(tabId);
    this.enforceCaps(tabId);
    this.scheduleFlush(30);
    this.emit({ type: 'record', tabId, record });
    return record;
  }

  /** A reservation that will never complete (the failure was not recorded after all). */
  abandon(tabId: number, page: number): void {
    const s = this.tabs.get(tabId);
    if (!s || page !== s.meta.page) return;
    s.meta.count = Math.max(0, s.meta.count - 1);
    this.markMeta(tabId);
    this.scheduleFlush(30);
  }

  updateRecord(record: StoredRecord): void {
    const s = this.tabs.get(record.tabId);
    let i = -1;
    if (s) for (let k = s.records.length - 1; k >= 0; k--) if (s.records[k]!.seq === record.seq) {
      i = k;
      break;
    }
    if (!s || i === -1) return;
    if (record.partial && !s.records[i]!.partial) s.meta.partial++;
    if (!record.partial && s.records[i]!.partial) s.meta.partial = Math.max(0, s.meta.partial - 1);
    s.records[i] = record;
    // A verdict can split a repeat from its group (another cause) or join it.
    const repeats = s.meta.repeats;
    this.countRepeats(s);
    if (s.meta.repeats !== repeats) this.markMeta(record.tabId);
    const primary = record.findings[0];
    if (primary && i === s.records.length - 1) {
      s.meta.latest = { cause: primary.cause, severity: CAUSES[primary.cause].severity, title: primary.title, plain: primary.plain };
      this.markMeta(record.tabId);
    }
    this.dirty.add(recordKey(record.tabId, record.seq));
    this.scheduleFlush(30);
    this.emit({ type: 'record-updated', tabId: record.tabId, record });
  }

  /** Fold a non-failing exchange into the tab's timeline (batched: no write per request). */
  observe(tabId: number, entry: HarEntry): void {
    const s = this.state(tabId);
    observe(s.meta.timeline, entry);
    this.dirty.add(TIMELINE + tabId);
    this.removals.delete(TIMELINE + tabId);
    if (!this.tabs.has(tabId)) this.markMeta(tabId);
    this.scheduleFlush(1000);
  }

  /** Why 401 cleared (or, with Undo, restored) cookies for the user: on the tab's timeline, so the next failure says so. */
  observeCleared(tabId: number, cookies: readonly JarCookie[], at: number, url: string, how: 'cleared' | 'restored' = 'cleared'): void {
    const s = this.state(tabId);
    observeClearedCookies(s.meta.timeline, cookies, at, url, how);
    this.dirty.add(TIMELINE + tabId);
    this.removals.delete(TIMELINE + tabId);
    if (!this.tabs.has(tabId)) this.markMeta(tabId);
    this.scheduleFlush(100);
  }

  /** A new top-level document: a new list unless the log is preserved; the timeline stays. */
  newPage(tabId: number, url: string, preserveLog: boolean): void {
    const s = this.state(tabId);
    s.meta.topUrl = url;
    s.meta.loads = (s.meta.loads ?? 0) + 1;
    if (!preserveLog) {
      const removed = s.records.length;
      s.meta.page++;
      this.dropRecords(s, s.records.length, false);
      s.meta.count = 0;
      s.meta.repeats = 0;
      s.meta.repeatsDropped = 0;
      s.meta.dropped = 0;
      s.meta.lost = 0;
      s.meta.partial = 0;
      delete s.meta.latest;
      this.emit({ type: 'cleared', tabId, reason: 'navigation', removed });
    }
    this.markMeta(tabId);
    this.scheduleFlush(200);
  }

  /** The user's "clear": the list and the badge go; the timeline (context) stays. */
  clearTab(tabId: number): number {
    const s = this.tabs.get(tabId);
    if (!s) return 0;
    const n = s.records.length;
    s.meta.page++;
    this.dropRecords(s, n, false);
    s.meta.count = 0;
    s.meta.repeats = 0;
    s.meta.repeatsDropped = 0;
    s.meta.dropped = 0;
    s.meta.lost = 0;
    s.meta.partial = 0;
    delete s.meta.latest;
    this.markMeta(tabId);
    this.scheduleFlush(30);
    this.emit({ type: 'cleared', tabId, reason: 'user', removed: n });
    return n;
  }

  /** A closed tab's data is deleted. */
  removeTab(tabId: number): void {
    const s = this.tabs.get(tabId);
    if (!s) return;
    this.dropRecords(s, s.records.length, false);
    this.tabs.delete(tabId);
    this.dirty.delete(META + tabId);
    this.dirty.delete(TIMELINE + tabId);
    this.removals.add(META + tabId);
    this.removals.add(TIMELINE + tabId);
    this.scheduleFlush(30);
  }

  clearAll(): number {
    const ids = [...this.tabs.keys()];
    for (const id of ids) {
      this.removeTab(id);
      this.emit({ type: 'cleared', tabId: id });
    }
    return ids.length;
  }

  /** The kept records' repeats (core/verdict/burst.ts), beside those of the dropped ones. */
  private countRepeats(s: TabState): void {
    s.meta.repeats = (s.meta.repeatsDropped ?? 0) + repeatCount(s.records);
  }

  private dropRecords(s: TabState, n: number, count: boolean): void {
    if (count && n > 0) {
      // The dropped ones' repeats stay counted (their count does): the repeats among them.
      const before = repeatCount(s.records);
      const after = repeatCount(s.records.slice(n));
      s.meta.repeatsDropped = (s.meta.repeatsDropped ?? 0) + Math.max(0, before - after);
    }
    const gone = s.records.splice(0, n);
    for (const r of gone) {
      const key = recordKey(r.tabId, r.seq);
      this.dirty.delete(key);
      this.removals.add(key);
    }
    this.totalRecords -= gone.length;
    if (count) s.meta.dropped += gone.length;
  }

  private enforceCaps(tabId: number): void {
    const { perTab, total } = this.limits();
    const s = this.tabs.get(tabId);
    if (s && s.records.length > perTab) {
      this.dropRecords(s, s.records.length - perTab, true);
      this.markMeta(tabId);
    }
    while (this.totalRecords > total) {
      // The oldest record of all tabs goes first.
      let oldest: TabState | undefined;
      for (const t of this.tabs.values()) {
        const first = t.records[0];
        if (first && (!oldest || first.at < oldest.records[0]!.at)) oldest = t;
      }
      if (!oldest) break;
      this.dropRecords(oldest, 1, true);
      this.markMeta(oldest.meta.tabId);
      this.emit({ type: 'meta', tabId: oldest.meta.tabId });
    }
  }

  private markMeta(tabId: number): void {
    this.dirty.add(META + tabId);
    this.removals.delete(META + tabId);
  }

  private scheduleFlush(withinMs: number): void {
    const due = Date.now() + withinMs;
    if (this.flushTimer !== undefined && due >= this.flushDue) return;
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushDue = due;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flushDue = Infinity;
      void this.flush();
    }, withinMs);
  }

  /** Write what changed. Serialised: one write at a time, in order. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writeOnce(0));
    return this.flushing;
  }

  private async writeOnce(attempt: number): Promise<void> {
    if (this.dirty.size === 0 && this.removals.size === 0) return;
    const items: Record<string, unknown> = {};
    for (const key of this.dirty) {
      const value = this.valueFor(key);
      if (value !== undefined) items[key] = value;
    }
    const removals = [...this.removals];
    this.dirty.clear();
    this.removals.clear();
    try {
      // The meta (its count and dropped) and the new records first, the removals after: a worker
      // stopped between the two leaves records the meta already counts as dropped or cleared,
      // which the next load removes, instead of records gone that the meta still counts (shown
      // as "lost").
      if (Object.keys(items).length > 0) await this.kv.set(items);
      if (removals.length > 0) await this.kv.remove(removals);
    } catch (e) {
      this.writeErrors.push(String((e as Error)?.message ?? e).slice(0, 200));
      if (this.writeErrors.length > 20) this.writeErrors.shift();
      // Put the work back, make room if storage is full, and retry a bounded number of times.
      for (const key of Object.keys(items)) if (!this.removals.has(key)) this.dirty.add(key);
      for (const key of removals) if (!this.dirty.has(key)) this.removals.add(key);
      if (attempt >= 3) return;
      if (isQuotaError(e)) {
        // Full: the removals must go first to make room (only here can a stop between the two
        // writes count a dropped record as lost).
        this.dropOldestFraction(0.1);
        const room = [...this.removals];
        this.removals.clear();
        await this.kv.remove(room).catch(() => room.forEach((k) => this.removals.add(k)));
      }
      await this.writeOnce(attempt + 1);
    }
  }

  /** Storage is full: drop the oldest share of every record (counted as dropped). */
  private dropOldestFraction(fraction: number): void {
    const all = [...this.tabs.values()].flatMap((t) => t.records.map((r) => ({ t, r })));
    all.sort((a, b) => a.r.at - b.r.at);
    const n = Math.max(1, Math.ceil(all.length * fraction));
    for (const { t, r } of all.slice(0, n)) {
      const i = t.records.indexOf(r);
      if (i === -1) continue;
      t.records.splice(i, 1);
      this.totalRecords--;
      t.meta.dropped++;
      const key = recordKey(r.tabId, r.seq);
      this.dirty.delete(key);
      this.removals.add(key);
      this.markMeta(t.meta.tabId);
      this.emit({ type: 'meta', tabId: t.meta.tabId });
    }
  }

  private valueFor(key: string): unknown {
    if (key.startsWith(META)) {
      const meta = this.tabs.get(Number(key.slice(META.length)))?.meta;
      if (!meta) return undefined;
      const { timeline: _timeline, ...rest } = meta;
      return rest;
    }
    if (key.startsWith(TIMELINE)) {
      const timeline = this.tabs.get(Number(key.slice(TIMELINE.length)))?.meta.timeline;
      return timeline && encodeTimeline(timeline);
    }
    const [, tab, seq] = key.split(':');
    const s = this.tabs.get(Number(tab));
    if (!s) return undefined;
    for (let k = s.records.length - 1; k >= 0; k--) if (s.records[k]!.seq === Number(seq)) return encodeRecord(s.records[k]!);
    return undefined;
  }

  get size(): number {
    return this.totalRecords;
  }
}
