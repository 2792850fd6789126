/** Waiting for the background's records of a tab: one rule for both browsers' test helpers. */
import type { TabSnapshot } from '../../../src/shared/records.ts';

/** A record whose cookie-jar evidence is still being read (recorded first, the jar read right after). */
export const jarPending = (r: { partial?: string }) => r.partial?.startsWith('The cookies the browser held are not captured yet') === true;

export interface WaitOptions {
  timeoutMs?: number;
  /** Also wait until the count has not moved for this long: a storm's last answers may still be on their way. */
  quietMs?: number;
}

/** Poll `snapshot` until the tab has `n` records, each with its jar evidence (and, if asked, the count is quiet), or time runs out. */
export async function waitForRecords(snapshot: () => Promise<TabSnapshot>, n: number, { timeoutMs = 10_000, quietMs = 0 }: WaitOptions = {}): Promise<TabSnapshot> {
  const until = Date.now() + timeoutMs;
  let snap = await snapshot();
  let since = Date.now();
  for (;;) {
    const ready = snap.records.length >= n && !snap.records.some(jarPending);
    if ((ready && Date.now() - since >= quietMs) || Date.now() >= until) return snap;
    await new Promise((r) => setTimeout(r, 100));
    const next = await snapshot();
    if (next.count !== snap.count || next.records.length !== snap.records.length) since = Date.now();
    snap = next;
  }
}
