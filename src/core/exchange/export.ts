/**
 * The one HAR writer: the automation hook, the panel's exports (all, filtered, selected) and any
 * other caller make their HAR here. Every entry is an exchange the browser really made, as
 * captured (method, URL, status); what the timeline knew when a failure was judged travels in
 * that entry's `_why401.context`, and the verdict in `_why401.findings` (DESIGN.md, "The exchange
 * record"). Redacted unless the caller includes secrets for this one export; the log's comment
 * says which, and what was masked.
 */
import type { Finding, Note } from '../verdict/finding.ts';
import type { Har, HarEntry } from './har-types.ts';
import { RedactionReceipt, redactEntry } from '../redaction/redact.ts';

export interface ExportItem {
  /** The entry as recorded, its verdict inputs pinned (`_why401.context`, `_why401.options`). */
  entry: HarEntry;
  findings: Finding[];
  notes?: Note[];
}

export interface ExportOptions {
  includeSecrets: boolean;
  version: string;
}

export const EXPORT_COMMENT_MASKED = 'Exported by Why 401. Secrets were masked';
export const EXPORT_COMMENT_SECRETS = 'Exported by Why 401 WITH SECRETS: tokens, passwords and cookie values are included as captured. Share with care.';

/** The entry as an export writes it: the verdict beside the evidence, masked unless asked. */
export function exportEntry(item: ExportItem, includeSecrets: boolean, receipt: RedactionReceipt): HarEntry {
  const e: HarEntry = { ...item.entry, _why401: { ...item.entry._why401, findings: item.findings, ...(item.notes && item.notes.length > 0 ? { notes: item.notes } : {}) } };
  return includeSecrets ? e : redactEntry(e, receipt);
}

/**
 * The failures as a HAR log; `flowSteps`: the exchanges of the tab's sign-in flows besides them
 * (core/flows/view.ts `flowStepEntries`), masked alike (their tokens' tags kept), so that the
 * file's flows read again in the panel and `why401 explain`.
 */
export function exportHar(items: readonly ExportItem[], options: ExportOptions, flowSteps: readonly HarEntry[] = []): Har {
  const receipt = new RedactionReceipt();
  const entries = [...items.map((it) => exportEntry(it, options.includeSecrets, receipt)), ...flowSteps.map((e) => (options.includeSecrets ? e : redactEntry(e, receipt)))];
  // Log order: by request time (records of one tab already are; a stable sort keeps ties as given).
  const order = entries.map((e, i) => ({ e, i, t: Date.parse(e.startedDateTime) }));
  order.sort((a, b) => (Number.isNaN(a.t) || Number.isNaN(b.t) ? 0 : a.t - b.t) || a.i - b.i);
  const comment = options.includeSecrets
    ? EXPORT_COMMENT_SECRETS
    : `${EXPORT_COMMENT_MASKED} (${receipt.lines().join('; ') || 'none found'}). Every entry is an exchange the browser made; _why401.context holds what Why 401 knew of earlier traffic when it judged it, and _why401.findings its verdict${flowSteps.length > 0 ? `; ${flowSteps.length} entr${flowSteps.length === 1 ? 'y is a step' : 'ies are steps'} of the sign-in flows, without a verdict` : ''}.`;
  return {
    log: {
      version: '1.2',
      creator: { name: 'Why 401', version: options.version },
      entries: order.map((x) => x.e),
      comment,
    },
  };
}

function redactComment(receipt: RedactionReceipt, source: string | undefined): string {
  return `Masked by why401 redact${source ? ` from ${source}` : ''}: ${receipt.lines().join('; ') || 'no secret found'}. Values masked alike share a tag (#…), so they can still be told apart and matched.`;
}

/**
 * Any HAR, sanitized for a bug report (`why401 redact`): every entry the reader could read, in the
 * file's order, masked by the same redactor as every other output (values masked alike share a
 * tag); nothing is judged or added. Entries the reader could not read are left out (the caller
 * says so): an unread entry could hold anything. Written as the lines of
 * `JSON.stringify(har, null, 2)`, one entry at a time, so that a large file is masked without
 * holding the whole copy (and its text) in memory at once; each piece is whole lines, without
 * the last line's newline.
 */
export function* redactedHarLines(entries: Iterable<HarEntry>, options: { version: string; source?: string | undefined }): Generator<string> {
  const receipt = new RedactionReceipt();
  const creator = JSON.stringify({ name: 'Why 401', version: options.version }, null, 2).replace(/\n/g, '\n    ');
  const head = `{\n  "log": {\n    "version": "1.2",\n    "creator": ${creator},\n    "entries": [`;
  let held: string | undefined;
  for (const e of entries) {
    const text = `      ${JSON.stringify(redactEntry(e, receipt), null, 2).replace(/\n/g, '\n      ')}`;
    if (held === undefined) yield head;
    else yield `${held},`;
    held = text;
  }
  if (held === undefined) yield `${head}],`;
  else yield `${held}\n    ],`;
  yield `    "comment": ${JSON.stringify(redactComment(receipt, options.source))}\n  }\n}`;
}

/** A file name that says when, and whether the copy holds secrets (so it is not shared by mistake). */
export function exportFileName(kind: 'har' | 'md', includeSecrets: boolean, now: Date = new Date()): string {
  return `why401-${now.toISOString().replace(/[:.]/g, '-').slice(0, 23)}${includeSecrets ? '-WITH-SECRETS' : ''}.${kind}`;
}
