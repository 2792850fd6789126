/**
 * Reading the CLI's inputs (one owner for the CLI and the Playwright reporter): a HAR streamed a
 * chunk at a time from its file, standard input read whole, a Playwright trace (a zip) read whole
 * and inflated in memory; each file judged as its own session.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { diagnoseTimeline, type DiagnosedFailure } from '../core/verdict/diagnose.ts';
import type { Flow } from '../core/flows/flow.ts';
import { FlowRecorder } from '../core/flows/record.ts';
import { HarError, readEntry, scanHarEntries, type ReadInto, type ScanBuffer } from '../core/exchange/har-read.ts';
import type { HarEntry } from '../core/exchange/har-types.ts';
import { readTrace, type TraceWhere } from '../core/exchange/playwright-trace.ts';
import { hostOf } from '../core/exchange/url.ts';
import { readStorageState, type StorageState } from '../core/cookies/storage-state.ts';
import { isZip, type InflateRaw } from '../core/exchange/zip.ts';
import { largeWorkAhead, largeWorkDone } from './memory.ts';

/** What a file that cannot be opened or read is said to be: one line, its name and the system's code. */
function fileError(file: string, e: unknown): HarError {
  if (e instanceof HarError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  return new HarError(code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read it (${code ?? 'error'})`);
}

/** zlib's raw inflate, with a ceiling: a zip entry inflating past its declared size stops there. */
const inflate: InflateRaw = (data, maxLength) => inflateRawSync(data, { maxOutputLength: maxLength + 1 });

/** A whole file (a zip: its directory is at its end). */
function readWhole(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (e) {
    throw fileError(file, e);
  }
}

/** Whether the file starts like a zip archive (a Playwright trace) rather than a HAR. */
function startsLikeZip(file: string): boolean {
  if (file === '-') return isZip((stdinBytes ??= readFileSync(0)));
  try {
    const fd = openSync(file, 'r');
    try {
      const head = new Uint8Array(4);
      return readSync(fd, head) === 4 && isZip(head);
    } finally {
      closeSync(fd);
    }
  } catch {
    return false; // withInput says what is wrong
  }
}

/** Standard input, read whole once (it cannot be read again), kept until the command is done reading it. */
let stdinBytes: Uint8Array | undefined;

/** The command will not read its input again: standard input's bytes (a whole file's worth) can go before the output is made. */
export function inputDone(): void {
  stdinBytes = undefined;
}

/**
 * Run `use` over the HAR's bytes as the scanner takes them: a file is read a chunk at a time
 * (only the entry being read is held, never the whole file), standard input is read whole once.
 */
export function withInput<T>(file: string, use: (source: Uint8Array | ReadInto) => T): T {
  if (file === '-') return use((stdinBytes ??= readFileSync(0)));
  let fd: number;
  try {
    if (statSync(file).isDirectory()) throw new HarError(`${file}: is a directory, not a HAR file`);
    fd = openSync(file, 'r');
  } catch (e) {
    throw fileError(file, e);
  }
  try {
    return use((into) => {
      try {
        return readSync(fd, into);
      } catch (e) {
        throw fileError(file, e);
      }
    });
  } finally {
    closeSync(fd);
  }
}

/**
 * Entries of the file, streamed; unreadable entries are collected as skipped. A plain iterator, not
 * a generator: a generator's loop would hold the last entry read (megabytes, perhaps) while the
 * next one is read and parsed.
 */
export function entriesOf(source: Uint8Array | ReadInto, skipped: string[], buffer?: ScanBuffer): IterableIterator<{ index: number; entry: HarEntry }> {
  const slices = scanHarEntries(source, undefined, buffer);
  const next = (): IteratorResult<{ index: number; entry: HarEntry }> => {
    for (;;) {
      const s = slices.next();
      if (s.done === true) return { done: true, value: undefined };
      // What the last entry left is collected before a large one is parsed, and the large one's
      // decoded text right after (before the entry is used).
      largeWorkAhead(s.value.bytes.length);
      const r = readEntry(s.value);
      largeWorkDone(s.value.bytes.length);
      if ('entry' in r) return { done: false, value: { index: s.value.index, entry: r.entry } };
      skipped.push(r.error);
    }
  };
  return {
    next,
    [Symbol.iterator]() {
      return this;
    },
  };
}

/** A failure, and where in a test run it happened when the file was a Playwright trace. */
export interface JudgedFailure {
  failure: DiagnosedFailure;
  where?: TraceWhere;
}

/**
 * Every auth failure of one file (a HAR or a Playwright trace), judged against that file's
 * entries only; entries that cannot be read are added to `skipped`. Throws HarError for a file
 * that cannot be read or is neither.
 */
export function judgeFile(path: string, options: { include403: boolean }, skipped: string[]): { failures: JudgedFailure[]; flows: Flow[]; total: number; hosts: Set<string>; startedAt: number | undefined } {
  const failures: JudgedFailure[] = [];
  /** The steps of sign-in flows and token lives, in log order (most exchanges are none). */
  const recorder = new FlowRecorder();
  let total = 0;
  /** The hosts the exchanges went to, and when the first started (for the saved sign-in state's checks). */
  const hosts = new Set<string>();
  let startedAt: number | undefined;
  const judgeAll = (entries: Iterable<{ index: number; entry: HarEntry; where?: TraceWhere }>) => {
    const whereAt = new Map<number, TraceWhere>();
    for (const failure of diagnoseTimeline(
      (function* () {
        for (const e of entries) {
          total++;
          const host = hostOf(e.entry.request.url);
          if (host !== undefined && hosts.size < 1000) hosts.add(host);
          const at = Date.parse(e.entry.startedDateTime);
          if (!Number.isNaN(at) && (startedAt === undefined || at < startedAt)) startedAt = at;
          if (e.where && (e.where.test !== undefined || e.where.step !== undefined || e.where.page !== undefined)) whereAt.set(e.index, e.where);
          recorder.observe(e.entry, e.index);
          yield e;
        }
      })(),
      { include403: options.include403 },
    )) {
      const where = whereAt.get(failure.index);
      failures.push(where ? { failure, where } : { failure });
    }
  };
  // A Playwright trace is a zip, read whole (its directory is at its end); a HAR is streamed.
  if (startsLikeZip(path)) judgeAll(readTrace(path === '-' ? stdinBytes! : readWhole(path), inflate, skipped));
  else withInput(path, (source) => judgeAll(entriesOf(source, skipped)));
  return { failures, flows: recorder.flows(), total, hosts, startedAt };
}

/** A storageState file: read whole (it is small; over 16 MiB is refused). */
export function readStorageStateFile(file: string): StorageState {
  let text: string;
  try {
    if (statSync(file).size > 16 << 20) throw new HarError(`${file}: a storage state over 16 MiB is not read`);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw fileError(file, e);
  }
  try {
    return readStorageState(text);
  } catch (e) {
    throw e instanceof HarError ? new HarError(`${file}: ${e.message}`) : e;
  }
}
