/**
 * Import a HAR file into the panel: the same streaming reader and diagnosis as the CLI, in the
 * panel's page. Failures become records shown like live ones (ids "har:<index>"); its sign-in
 * flows are read on the way (core/flows) for the sign-in view.
 */
import { diagnoseTimeline } from '../core/verdict/diagnose.ts';
import type { DiagnoseOptions } from '../core/verdict/facts.ts';
import { readEntry, scanHarEntries } from '../core/exchange/har-read.ts';
import type { HarEntry } from '../core/exchange/har-types.ts';
import { FlowRecorder } from '../core/flows/record.ts';
import { flowViews, type FlowView } from '../core/flows/view.ts';
import type { StoredRecord } from '../shared/records.ts';

export interface Imported {
  name: string;
  entries: number;
  skipped: string[];
  /** Each failure's entry carries the context it was judged on (`_why401.context`). */
  records: StoredRecord[];
  /** The sign-in flows of the file (core/flows), broken ones first. */
  flows: FlowView[];
}

export interface FileLike {
  name: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** Throws a one-line error for what is not a HAR; entries that cannot be read make a partial result. */
export async function importHar(file: FileLike, options: DiagnoseOptions): Promise<Imported> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const skipped: string[] = [];
  let entries = 0;
  const flows = new FlowRecorder();
  function* read(): Generator<{ index: number; entry: HarEntry }> {
    for (const slice of scanHarEntries(bytes)) {
      entries++;
      const r = readEntry(slice);
      if ('entry' in r) {
        flows.observe(r.entry, slice.index);
        yield { index: slice.index, entry: r.entry };
      }
      else skipped.push(r.error);
    }
  }
  const records: StoredRecord[] = [];
  for (const d of diagnoseTimeline(read(), options)) {
    const at = Date.parse(d.entry.startedDateTime);
    const id = `har:${d.index}`;
    const record: StoredRecord = { id, tabId: -1, seq: d.index, at: Number.isNaN(at) ? 0 : at, page: 0, entry: d.entry, findings: d.findings };
    if (d.notes.length > 0) record.notes = d.notes;
    records.push(record);
  }
  return { name: file.name, entries, skipped, records, flows: flowViews(flows.flows()) };
}
