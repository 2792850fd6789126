/**
 * Re-diagnosis on purpose: when a setting that changes verdicts changes (the clock-skew
 * tolerance), every stored failure is judged again, here and only here, with the context it was
 * first judged on, and says so ("re-diagnosed at … because …"). Nothing else recomputes a verdict.
 */
import { judge } from '../core/diagnose.ts';
import type { DiagnoseOptions } from '../core/facts.ts';
import { emptyTimeline } from '../core/timeline.ts';
import type { StoredRecord } from '../shared/records.ts';
import type { TabStore } from './store.ts';

export function rejudgeAll(store: Pick<TabStore, 'tabIds' | 'records' | 'updateRecord'>, options: DiagnoseOptions, reason: string, at: number = Date.now()): number {
  let n = 0;
  for (const tabId of store.tabIds()) {
    for (const record of [...store.records(tabId)]) {
      const j = judge(record.entry, emptyTimeline(), options);
      const updated: StoredRecord = { ...record, entry: j.entry, findings: j.findings, rediagnosed: { at, reason } };
      if (j.notes.length > 0) updated.notes = j.notes;
      else delete updated.notes;
      store.updateRecord(updated);
      n++;
    }
  }
  return n;
}
