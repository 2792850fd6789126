/**
 * Garbage collection between large pieces of work (the CLI only; core never collects).
 *
 * V8 runs its first full collection only when the heap reaches a limit set at start-up, far above
 * a file of a few MiB: until then every decoded copy of every large entry stays in memory, and a
 * 16 MiB HAR of 1 MiB values peaked at 3–5× its size above Node's own floor. After each piece of
 * work that allocated a lot (an entry or an output of 256 KiB or more), this counts the bytes,
 * and collects once they pass a sixteenth of what the last collection kept (at least 1 MiB): the
 * peak stays near the working set, and the collections cost time in proportion to the work, as
 * V8's own do. Files of small entries never reach it: their cost is the usual one. The collector
 * is Node's own, exposed after start-up (`--expose-gc` set at run time, read from a fresh
 * context), as leak detectors do.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const LARGE = 256 << 10;
const AT_LEAST = 1 << 20;

let pending = 0;
/** What the last collection left in the heap, in bytes. */
let kept = 0;
let collect: (() => void) | undefined;

/** Work of `bytes` (an entry read, an output written) is done: collect when enough large work has piled up. */
export function largeWorkDone(bytes: number): void {
  if (bytes < LARGE) return;
  pending += bytes;
  if (pending < Math.max(AT_LEAST, kept / 16)) return;
  collectNow();
}

/**
 * A phase that did large work is over (the file is read; what it held to read it — the reader's
 * buffer, the last entry's pieces — is garbage): collect once before the next one begins, if any
 * large work was done since the last collection.
 */
export function phaseDone(): void {
  if (pending > 0) collectNow();
}

function collectNow(): void {
  pending = 0;
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
  kept = getHeapStatistics().used_heap_size;
}
