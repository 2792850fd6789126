/**
 * Garbage collection between large pieces of work (the CLI only; core never collects).
 *
 * V8 runs its first full collection only when the heap reaches a limit set at start-up, far above
 * a file of a few MiB: until then every decoded copy of every large entry stays in memory, and a
 * 16 MiB HAR of 1 MiB values peaked at 3–5× its size above Node's own floor. After each piece of
 * work that allocated a lot (an entry or an output of 256 KiB or more), this counts the bytes,
 * and collects once they pass a sixteenth of what the last collection kept (at least 1 MiB): the
 * peak stays near the working set, and the collections cost time in proportion to the work, as
 * V8's own do. A collection frees only what nothing holds: the callers let go of an entry or an
 * output before they say it is done (a function of its own, a plain iterator rather than a
 * generator's loop), and a large entry's parse is preceded by a collection of what the last one
 * left (`largeWorkAhead`). Files of small entries never reach it: their cost is the usual one. The collector
 * is Node's own, exposed after start-up (`--expose-gc` set at run time, read from a fresh
 * context), as leak detectors do.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const LARGE = 256 << 10;
const AT_LEAST = 1 << 20;

let pending = 0;
/**
 * Whether large work was done that the last collection could not free (it ran before the work was
 * done with, or there was none since).
 */
let unreleased = false;
/** Whether large work was done since the last phase ended. */
let largeInPhase = false;
/** What the last collection left in the heap, in bytes. */
let kept = 0;
let collect: (() => void) | undefined;

/** Work of `bytes` (an entry read, an output written) is done: collect when enough large work has piled up. */
export function largeWorkDone(bytes: number): void {
  if (bytes < LARGE) return;
  largeInPhase = true;
  pending += bytes;
  if (pending >= budget()) collectNow();
  // The caller still holds what the work made: a collection now cannot free it.
  unreleased = true;
}

/**
 * Large work of `bytes` (an entry to parse) is about to begin: what earlier large work left (the
 * last entry, once written or judged) is collected first when the two pass the budget together,
 * so that the last entry and the new one's pieces are not in memory at once.
 */
export function largeWorkAhead(bytes: number): void {
  if (bytes >= LARGE && unreleased && pending + bytes >= budget()) collectNow();
}

/** Bytes of large work between collections: a sixteenth of what the last one kept, at least 1 MiB. */
function budget(): number {
  return Math.max(AT_LEAST, kept / 16);
}

/**
 * A phase that did large work is over (the file is read; what it held to read it — the reader's
 * buffer, the last entry's pieces — is garbage): collect once before the next one begins, if the
 * phase did any large work (even when a collection ran inside it: what the phase held to the end,
 * such as a reader's buffer of megabytes, was alive then).
 */
export function phaseDone(): void {
  if (!largeInPhase) return;
  largeInPhase = false;
  collectNow();
}

function collectNow(): void {
  pending = 0;
  unreleased = false;
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
  kept = getHeapStatistics().used_heap_size;
}

