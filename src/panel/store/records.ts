/**
 * The panel's records: the live list as the background pushes it (snapshots, records, the caps),
 * the imported file, the selection, and re-runs beside their failure. A pure reducer, tested in
 * Node; the selection and the caps follow one rule each (`keptSelection`, `capped`).
 */
import type { Push } from '../../shared/protocol.ts';
import { MAX_RERUNS } from '../../shared/records.ts';
import type { RerunResult, StoredRecord, TabSnapshot } from '../../shared/records.ts';
import type { Imported } from '../import.ts';

export interface RecordsState {
  live: StoredRecord[];
  count: number;
  dropped: number;
  lost: number;
  connected: boolean;
  imported: Imported | undefined;
  selectedId: string | undefined;
  /** Failures the last new page removed while Preserve log was off (the panel says so). */
  clearedByNavigation: number;
}

export type RecordsAction =
  | { type: 'push'; push: Push }
  | { type: 'pushes'; pushes: Push[] }
  | { type: 'connected'; connected: boolean }
  | { type: 'select'; id: string | undefined }
  | { type: 'import'; imported: Imported | undefined }
  /** The followed DevTools log read again: its records replace the imported ones, keeping their re-runs, and the selection when `sameIds` (entries only appended). */
  | { type: 'follow'; imported: Imported; sameIds: boolean }
  | { type: 'rerun'; id: string; result: RerunResult }
  | { type: 'cleared' }
  | { type: 'dismiss-navigation' };

function fromSnapshot(state: RecordsState, s: TabSnapshot): RecordsState {
  // Rebuilt after a reconnect: keep the selection when the record still exists.
  return { ...state, live: s.records, count: s.count, dropped: s.dropped, lost: s.lost, selectedId: keptSelection(state, s.records) };
}

/** The caps drop the oldest: the list keeps what the background keeps (count − dropped), never more. */
function capped(live: StoredRecord[], count: number, dropped: number): StoredRecord[] {
  const keep = count - dropped;
  return live.length > keep && keep >= 0 ? live.slice(live.length - keep) : live;
}

/** The selection after the live list was replaced or emptied: kept only while its record exists (an imported selection is not the live list's). */
function keptSelection(state: RecordsState, live: readonly StoredRecord[]): string | undefined {
  if (state.imported) return state.selectedId;
  return state.selectedId && live.some((r) => r.id === state.selectedId) ? state.selectedId : undefined;
}

/** Many records at once (a burst): merged in one pass instead of one copy of the list per record. */
export function applyPushes(state: RecordsState, pushes: Push[]): RecordsState {
  let next = state;
  let added: StoredRecord[] = [];
  const flush = () => {
    if (added.length === 0) return;
    const ids = new Set(added.map((r) => r.id));
    const live = next.live.filter((r) => !ids.has(r.id)).concat(added);
    live.sort((x, y) => x.seq - y.seq);
    next = { ...next, live: capped(live, next.count, next.dropped) };
    added = [];
  };
  for (const p of pushes) {
    if (p.type === 'record') {
      added.push(p.record);
      next = { ...next, count: p.count, dropped: p.dropped };
    } else {
      flush();
      next = recordsReducer(next, { type: 'push', push: p });
    }
  }
  flush();
  return next;
}

export function recordsReducer(state: RecordsState, a: RecordsAction): RecordsState {
  switch (a.type) {
    case 'pushes':
      return applyPushes(state, a.pushes);
    case 'push': {
      const p = a.push;
      if (p.type === 'snapshot') return fromSnapshot(state, p.snapshot);
      if (p.type === 'record') {
        const live = state.live.filter((r) => r.id !== p.record.id);
        live.push(p.record);
        live.sort((x, y) => x.seq - y.seq);
        return { ...state, live: capped(live, p.count, p.dropped), count: p.count, dropped: p.dropped };
      }
      if (p.type === 'older') {
        // The rest of the first snapshot, older than everything shown: prepended, never duplicated.
        const have = new Set(state.live.map((r) => r.id));
        const first = state.live[0]?.seq ?? Number.POSITIVE_INFINITY;
        const add = p.records.filter((r) => !have.has(r.id) && r.seq < first);
        return add.length === 0 ? state : { ...state, live: [...add, ...state.live] };
      }
      if (p.type === 'record-updated') return { ...state, live: state.live.map((r) => (r.id === p.record.id ? p.record : r)) };
      if (p.type === 'cleared') return { ...state, live: [], count: 0, dropped: 0, lost: 0, selectedId: keptSelection(state, []), clearedByNavigation: p.reason === 'navigation' ? (p.removed ?? state.live.length) : 0 };
      if (p.type === 'meta') {
        return { ...state, count: p.count, dropped: p.dropped, live: capped(state.live, p.count, p.dropped) };
      }
      return state;
    }
    case 'connected':
      return { ...state, connected: a.connected };
    case 'select':
      return { ...state, selectedId: a.id };
    case 'import':
      return { ...state, imported: a.imported, selectedId: undefined };
    case 'follow': {
      if (!a.sameIds) return { ...state, imported: a.imported, selectedId: undefined };
      const reruns = new Map((state.imported?.records ?? []).flatMap((r) => (r.reruns?.length ? [[r.id, r.reruns] as const] : [])));
      const records = a.imported.records.map((r) => (reruns.has(r.id) ? { ...r, reruns: reruns.get(r.id) } : r));
      return { ...state, imported: { ...a.imported, records }, selectedId: records.some((r) => r.id === state.selectedId) ? state.selectedId : undefined };
    }
    case 'rerun': {
      // The background keeps the latest MAX_RERUNS; so does the panel.
      const upd = (r: StoredRecord) => (r.id === a.id ? { ...r, reruns: [...(r.reruns ?? []), a.result].slice(-MAX_RERUNS) } : r);
      if (state.imported && a.id.startsWith('har:')) return { ...state, imported: { ...state.imported, records: state.imported.records.map(upd) } };
      return { ...state, live: state.live.map(upd) };
    }
    case 'cleared':
      return { ...state, live: [], count: 0, dropped: 0, lost: 0, selectedId: keptSelection(state, []), clearedByNavigation: 0 };
    case 'dismiss-navigation':
      return { ...state, clearedByNavigation: 0 };
  }
}
