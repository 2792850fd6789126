/**
 * Following DevTools' network log of the inspected tab, for a site the browser's site access
 * leaves Why 401 out of: the log so far, then each request as it finishes, judged as an import a
 * moment after each burst. Loaded when the panel first follows (its first paint does not wait).
 */
import { logNeedsBody } from '../core/flows/step.ts';
import type { PanelBackend } from './backend.ts';
import { importHar, type Imported } from './import.ts';

/** The most entries kept (the oldest go first). */
const FOLLOW_CAP = 5000;

/** One entry of DevTools' log, for telling a request seen twice (by the listener and the first read). */
const entryKey = (e: unknown): string => {
  const x = e as { startedDateTime?: string; request?: { method?: string; url?: string } };
  return `${x.startedDateTime ?? ''} ${x.request?.method ?? ''} ${x.request?.url ?? ''}`;
};

export interface Followed {
  /** Empty the list (Clear); following goes on, the exchanges so far kept as context. */
  clear(): Promise<void>;
  /** The page navigated: a new list (the earlier exchanges kept as context), unless the log is preserved. */
  navigated(preserve: boolean): void;
  stop(): void;
}

/**
 * Start following. `show` gets each judged list (`sameIds`: entries were only appended, so a
 * record's id still names the same request). Throws when DevTools gives no log.
 */
export async function followLog(
  backend: Pick<PanelBackend, 'followLog' | 'recordedLog'>,
  name: string,
  include403: () => boolean,
  show: (imported: Imported, sameIds: boolean) => void,
): Promise<Followed> {
  let raw: unknown[] = [];
  /**
   * Entries before this index are context, not listed: Clear and a new page hide their failures
   * but keep the exchanges, as the live capture keeps a tab's timeline (a token that worked before
   * a Clear still tells the next failure it was revoked).
   */
  let listedFrom = 0;
  let early: unknown[] | undefined = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let shown = false;

  const reread = async (appended: boolean) => {
    if (raw.length > FOLLOW_CAP) {
      const drop = raw.length - FOLLOW_CAP;
      raw = raw.slice(drop);
      listedFrom = Math.max(0, listedFrom - drop);
      appended = false; // the ids (entry indexes) moved
    }
    const bytes = new TextEncoder().encode(JSON.stringify({ log: { entries: raw } }));
    const imported = await importHar({ name, arrayBuffer: async () => bytes.buffer as ArrayBuffer }, { include403: include403() });
    if (stopped) return;
    // A record's seq is its entry's index in the log read.
    show({ ...imported, records: imported.records.filter((r) => r.seq >= listedFrom) }, appended && shown);
    shown = true;
  };

  // Listening first, then the log so far: a request that finishes in between is in one or both (kept once).
  const unlisten = backend.followLog?.(logNeedsBody, (entry) => {
    if (stopped) return;
    if (early) early.push(entry);
    else {
      raw.push(entry);
      timer ??= setTimeout(() => {
        timer = undefined;
        if (!stopped) void reread(true);
      }, 250);
    }
  });
  const stop = () => {
    stopped = true;
    unlisten?.();
    if (timer !== undefined) clearTimeout(timer);
  };
  try {
    const so = await backend.recordedLog?.(logNeedsBody);
    if (!unlisten || !so) throw new Error('DevTools gives no network log here');
    const seen = new Set(so.map(entryKey));
    raw = [...so, ...early.filter((e) => !seen.has(entryKey(e)))];
    early = undefined;
    await reread(false);
  } catch (e) {
    stop();
    throw e;
  }
  return {
    async clear() {
      listedFrom = raw.length;
      await reread(true);
    },
    navigated(preserve) {
      if (preserve) return;
      listedFrom = raw.length;
      void reread(true);
    },
    stop,
  };
}
