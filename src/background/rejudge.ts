/**
 * Re-diagnosis on purpose: when a setting that changes verdicts changes (the clock-skew
 * tolerance), every stored failure is judged again, here and only here, with the context it was
 * first judged on, and says so ("re-diagnosed at … because …"). Nothing else recomputes a verdict.
 */
import { judge } from '../core/diagnose.ts';
import type { DiagnoseOptions } from '../core/facts.ts';
import type { CookiePolicy } from '../core/har-types.ts';
import { emptyTimeline } from '../core/timeline.ts';
import type { StoredRecord } from '../shared/records.ts';
import type { TabStore } from './store.ts';

export function rejudgeAll(store: Pick<TabStore, 'tabIds' | 'records' | 'updateRecord'>, options: DiagnoseOptions, reason: string, at: number = Date.now()): number {
  let n = 0;
  for (const tabId of store.tabIds()) {
    for (const record of [...store.records(tabId)]) {
      store.updateRecord(rejudged(record, record.entry, options, reason, at));
      n++;
    }
  }
  return n;
}

/** One record judged again: with new evidence (its response body) or new settings. */
export function rejudged(record: StoredRecord, entry: StoredRecord['entry'], options: DiagnoseOptions, reason: string, at: number = Date.now()): StoredRecord {
  const j = judge(entry, emptyTimeline(), options);
  const updated: StoredRecord = { ...record, entry: j.entry, findings: j.findings, rediagnosed: { at, reason } };
  if (j.notes.length > 0) updated.notes = j.notes;
  else delete updated.notes;
  return updated;
}

/** The most of a response body kept with a record (the messages that say why are short). */
export const MAX_KEPT_BODY = 4096;

/**
 * The body DevTools recorded for a failure (the background never reads bodies): kept with the
 * record, bounded, and the record judged again with it, saying so.
 */
export function withBody(record: StoredRecord, text: string, mimeType: string, options: DiagnoseOptions, at: number = Date.now()): StoredRecord {
  const entry = { ...record.entry, response: { ...record.entry.response, content: { ...record.entry.response.content, size: text.length, mimeType: mimeType || record.entry.response.content.mimeType, text: text.slice(0, MAX_KEPT_BODY) } } };
  return rejudged(record, entry, options, 'with the response body DevTools recorded', at);
}

/**
 * The browser's third-party-cookie setting, read after the failure because the user allowed it
 * from the finding: kept with the record (its time says when it was read) and judged again.
 */
export function withCookiePolicy(record: StoredRecord, policy: CookiePolicy, options: DiagnoseOptions, at: number = Date.now()): StoredRecord {
  const entry = { ...record.entry, _why401: { ...record.entry._why401, cookiePolicy: policy } };
  return rejudged(record, entry, options, "with the browser's third-party-cookie setting, read just now", at);
}
