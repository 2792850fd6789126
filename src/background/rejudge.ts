/**
 * Re-diagnosis on purpose: when a setting that changes verdicts changes (the clock-skew
 * tolerance), every stored failure is judged again, here and only here, with the context it was
 * first judged on, and says so ("re-diagnosed at … because …"). Nothing else recomputes a verdict.
 */
import { judge } from '../core/verdict/diagnose.ts';
import { readInitiator, writeInitiator } from '../core/exchange/initiator.ts';
import type { DiagnoseOptions } from '../core/verdict/facts.ts';
import type { CookiePolicy } from '../core/exchange/har-types.ts';
import { emptyTimeline } from '../core/exchange/timeline.ts';
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
  // Not judged yet (its jar is being read): the one judgement to come reads the new evidence.
  if (record.pending) return { ...record, entry };
  const j = judge(entry, emptyTimeline(), options);
  const updated: StoredRecord = { ...record, entry: j.entry, findings: j.findings, rediagnosed: { at, reason } };
  if (j.notes.length > 0) updated.notes = j.notes;
  else delete updated.notes;
  return updated;
}

/** The most of a response body kept with a record (the messages that say why are short). */
export const MAX_KEPT_BODY = 4096;

/**
 * What DevTools recorded for a failure (the background never reads bodies or stacks): the body,
 * kept bounded with the record, which is judged again with it (and says so); who sent it (the
 * initiator and its call stack), kept for the detail view and exports. Evidence the record
 * already has is never replaced. The same record back when nothing was added.
 */
export function withRecorded(record: StoredRecord, recorded: { body?: { text: string; mimeType: string }; initiator?: unknown }, options: DiagnoseOptions, at: number = Date.now()): StoredRecord {
  let next = record;
  const who = record.entry._initiator === undefined && recorded.initiator !== undefined ? readInitiator(recorded.initiator) : undefined;
  if (who) next = { ...next, entry: { ...next.entry, _initiator: writeInitiator(who) } };
  const { body } = recorded;
  if (body && typeof record.entry.response.content.text !== 'string' && body.text !== '') {
    const entry = { ...next.entry, response: { ...next.entry.response, content: { ...next.entry.response.content, size: body.text.length, mimeType: body.mimeType || next.entry.response.content.mimeType, text: body.text.slice(0, MAX_KEPT_BODY) } } };
    next = rejudged(next, entry, options, 'with the response body DevTools recorded', at);
  }
  return next;
}

/**
 * The browser's third-party-cookie setting, read after the failure because the user allowed it
 * from the finding: kept with the record (its time says when it was read) and judged again.
 */
export function withCookiePolicy(record: StoredRecord, policy: CookiePolicy, options: DiagnoseOptions, at: number = Date.now()): StoredRecord {
  const entry = { ...record.entry, _why401: { ...record.entry._why401, cookiePolicy: policy } };
  return rejudged(record, entry, options, "with the browser's third-party-cookie setting, read just now", at);
}
