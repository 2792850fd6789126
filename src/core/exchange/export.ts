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
 * says so): an unread entry could hold anything. Written as the text of
 * `JSON.stringify(har, null, 2)` in pieces, to be written one after the other as they come: an
 * entry is masked and written before the next is read, and a large value is written as its own
 * piece, so a large file is masked without holding the copy (or two texts of an entry) in memory.
 */
export function* redactedHarPieces(entries: Iterable<HarEntry>, options: { version: string; source?: string | undefined }): Generator<string> {
  const receipt = new RedactionReceipt();
  const creator = JSON.stringify({ name: 'Why 401', version: options.version }, null, 2).replace(/\n/g, '\n    ');
  yield `{\n  "log": {\n    "version": "1.2",\n    "creator": ${creator},\n    "entries": [`;
  let first = true;
  // Nothing in this loop holds an entry: each entry's pieces come from an iterator that lets go
  // of it (and of its masked copy) once they are given out, so neither is in memory while the
  // next entry is read. (A generator keeps its locals even once finished.)
  const it = entries[Symbol.iterator]();
  for (let pieces = nextEntryPieces(it, receipt); pieces !== undefined; pieces = nextEntryPieces(it, receipt)) {
    yield first ? '\n      ' : ',\n      ';
    first = false;
    yield* pieces;
  }
  yield first ? '],' : '\n    ],';
  yield `\n    "comment": ${JSON.stringify(redactComment(receipt, options.source))}\n  }\n}`;
}

/** The next entry's pieces, masked, or undefined at the end: an iterator that drops the entry when done. */
function nextEntryPieces(entries: Iterator<HarEntry>, receipt: RedactionReceipt): IterableIterator<string> | undefined {
  const next = entries.next();
  if (next.done === true) return undefined;
  let pieces: Generator<string> | undefined = prettyJson(redactEntry(next.value, receipt), '      ');
  return {
    next: () => {
      const r = pieces?.next();
      if (r !== undefined && r.done !== true) return r;
      pieces = undefined;
      return { done: true, value: undefined };
    },
    [Symbol.iterator]() {
      return this;
    },
  };
}

/** Pieces of text gathered up to this size before they are given out (a large value goes out alone). */
const PIECE = 64 << 10;

/**
 * `JSON.stringify(value, null, 2)` of plain data, its lines after the first indented by `indent`,
 * in pieces: small ones gathered, each string value stringified on its own, so a value of
 * megabytes is one piece and never copied into a text of the whole. Plain data only (what a HAR
 * holds): no toJSON, no cycles.
 */
function* prettyJson(value: unknown, indent: string): Generator<string> {
  let pending = '';
  function* put(text: string): Generator<string> {
    if (text.length >= PIECE) {
      if (pending !== '') yield pending;
      pending = '';
      yield text;
      return;
    }
    pending += text;
    if (pending.length >= PIECE) {
      yield pending;
      pending = '';
    }
  }
  function* walk(v: unknown, at: string): Generator<string> {
    if (v === null || typeof v !== 'object') {
      // As JSON.stringify writes a value (in an array, what it cannot write is null).
      yield* put(JSON.stringify(v) ?? 'null');
      return;
    }
    const inner = `${at}  `;
    if (Array.isArray(v)) {
      if (v.length === 0) return yield* put('[]');
      yield* put('[');
      for (let k = 0; k < v.length; k++) {
        yield* put(`${k > 0 ? ',' : ''}\n${inner}`);
        yield* walk(v[k], inner);
      }
      return yield* put(`\n${at}]`);
    }
    const keys = Object.keys(v).filter((k) => {
      const x = (v as Record<string, unknown>)[k];
      return x !== undefined && typeof x !== 'function' && typeof x !== 'symbol';
    });
    if (keys.length === 0) return yield* put('{}');
    yield* put('{');
    for (let n = 0; n < keys.length; n++) {
      yield* put(`${n > 0 ? ',' : ''}\n${inner}${JSON.stringify(keys[n])}: `);
      yield* walk((v as Record<string, unknown>)[keys[n]!], inner);
    }
    yield* put(`\n${at}}`);
  }
  yield* walk(value, indent);
  if (pending !== '') yield pending;
}

/** A file name that says when, and whether the copy holds secrets (so it is not shared by mistake). */
export function exportFileName(kind: 'har' | 'md', includeSecrets: boolean, now: Date = new Date()): string {
  return `why401-${now.toISOString().replace(/[:.]/g, '-').slice(0, 23)}${includeSecrets ? '-WITH-SECRETS' : ''}.${kind}`;
}
