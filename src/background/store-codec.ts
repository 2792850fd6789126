/**
 * How the store's items are written to storage.session and read back: keys, the compact form
 * of a record, and validation of whatever is found there (a stored item is input like any other).
 */
import { CAUSES } from '../core/verdict/causes.ts';
import type { Finding } from '../core/verdict/finding.ts';
import { emptyTimeline, settleSuccesses, type Timeline } from '../core/exchange/timeline.ts';
import type { StoredRecord, TabMeta } from '../shared/records.ts';

/** `t:<tabId>`: a tab's counts. */
export const META = 't:';
/** `r:<tabId>:<seq>`: one failure. */
export const RECORD = 'r:';
/** `l:<tabId>`: a tab's timeline, written apart from its meta: it changes often and need not be written with every failure. */
export const TIMELINE = 'l:';

export function recordKey(tabId: number, seq: number): string {
  return `${RECORD}${tabId}:${seq}`;
}

function isMeta(v: unknown): v is TabMeta {
  const m = v as Partial<TabMeta> | null;
  return !!m && m.v === 1 && typeof m.tabId === 'number' && typeof m.seq === 'number' && typeof m.count === 'number';
}

/** A tab's meta as stored (its timeline is a separate item). */
export function decodeMeta(value: unknown): TabMeta | undefined {
  if (!isMeta(value)) return undefined;
  return { ...value, lost: value.lost ?? 0, timeline: emptyTimeline() };
}

export function decodeRecord(value: unknown): StoredRecord | undefined {
  const record = readStored(value);
  return isRecordLike(record) ? hydrate(record) : undefined;
}

export function encodeRecord(r: StoredRecord): string {
  return JSON.stringify(compact(r));
}

export function decodeTimeline(value: unknown): Timeline | undefined {
  const t = readStored(value);
  return t && typeof t === 'object' && !Array.isArray(t) ? { ...emptyTimeline(), ...(t as object) } : undefined;
}

export function encodeTimeline(t: Timeline): string {
  settleSuccesses(t);
  return JSON.stringify(t);
}

/**
 * A record as written to storage: a finding's fixes and actions are the cause's standing ones
 * (from the catalogue), so they are left out and put back when read. A third of a record's size.
 */
function compact(r: StoredRecord): StoredRecord {
  return {
    ...r,
    findings: r.findings.map((f) => {
      const info = CAUSES[f.cause];
      const same = JSON.stringify(f.fixes) === JSON.stringify(info.fixes) && JSON.stringify(f.actions) === JSON.stringify(info.actions);
      if (!same) return f;
      const { fixes: _f, actions: _a, ...rest } = f;
      return rest as Finding;
    }),
  };
}

/**
 * Records and timelines are written as JSON text. storage.session counts an object by the memory
 * its values take in the browser (each small string and object has overhead), about three times
 * its JSON length for a record full of short headers; text is counted by its length. So a record
 * takes a third of the quota this way. Objects (as written before) are still read.
 */
function readStored(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

function hydrate(r: StoredRecord): StoredRecord {
  return {
    ...r,
    findings: r.findings.map((f) => (f.fixes && f.actions ? f : { ...f, fixes: f.fixes ?? CAUSES[f.cause].fixes, actions: f.actions ?? CAUSES[f.cause].actions })),
  };
}

function isRecordLike(v: unknown): v is StoredRecord {
  const r = v as Partial<StoredRecord> | null;
  return !!r && typeof r.tabId === 'number' && typeof r.seq === 'number' && typeof r.entry === 'object' && Array.isArray(r.findings);
}
