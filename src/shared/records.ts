/** What the background keeps per tab (in storage.session) and sends to the UIs. */
import type { CauseId, Severity } from '../core/verdict/causes.ts';
import type { Finding, Note } from '../core/verdict/finding.ts';
import type { HarEntry } from '../core/exchange/har-types.ts';
import type { RerunResult } from '../core/actions/rerun-result.ts';
import type { Timeline } from '../core/exchange/timeline.ts';

export type { RerunResult } from '../core/actions/rerun-result.ts';

/** The re-runs kept beside a failure (the latest), by the background and the panel alike. */
export const MAX_RERUNS = 10;

export interface StoredRecord {
  /** `${tabId}:${seq}` */
  id: string;
  tabId: number;
  seq: number;
  /** Request time, ms since the epoch. */
  at: number;
  /** Navigation generation of the tab when it was captured. */
  page: number;
  /** The tab's top-level document loads before it (TabMeta.loads), when any: with Preserve log on, a reload keeps `page` but not this. */
  load?: number;
  entry: HarEntry;
  findings: Finding[];
  /** Facts beside the findings (the 401 the page's script never saw). */
  notes?: Note[];
  /** Why some evidence is missing (e.g. the background restarted mid-request). */
  partial?: string;
  reruns?: RerunResult[];
  /**
   * Recorded but not judged yet: its cookie jar is being read (background/capture.ts). A worker
   * stopped meanwhile judges it, without the jar, when it starts again (judgePending).
   */
  pending?: true;
  /** Judged again after a setting that changes verdicts changed (background/rejudge.ts). */
  rediagnosed?: { at: number; reason: string };
}

export interface LatestFailure {
  cause: CauseId;
  severity: Severity;
  title: string;
  plain: string;
}

export interface TabMeta {
  v: 1;
  tabId: number;
  /** Next record number. */
  seq: number;
  /** Failures counted on the badge since the list was last cleared (kept and dropped). */
  count: number;
  /** Older failures dropped to respect the caps, since the list was last cleared. */
  dropped: number;
  /** Failures recorded with partial evidence (their request started before a background restart). */
  partial: number;
  /** Failures counted but never recorded: the background was stopped while gathering their evidence. */
  lost: number;
  /**
   * Of `count`, the failures that repeat an earlier one (core/verdict/burst.ts: a storm, a loop): the
   * badge and the popup count a group once. Absent in metas written before groups.
   */
  repeats?: number;
  /** Of `repeats`, those among the dropped records (the kept ones are counted again on each change). */
  repeatsDropped?: number;
  /** Top-level document loads seen in this tab (a reload with Preserve log on included). */
  loads?: number;
  page: number;
  /** The tab's top-level document. */
  topUrl?: string;
  latest?: LatestFailure;
  timeline: Timeline;
}

export interface TabSnapshot {
  tabId: number;
  count: number;
  /** Of `count`, the repeats of an earlier failure (TabMeta.repeats). */
  repeats?: number;
  dropped: number;
  lost: number;
  partial: number;
  topUrl?: string;
  latest?: LatestFailure;
  records: StoredRecord[];
  /**
   * Older records left out of this snapshot (a subscription's first message carries the newest
   * only, so the panel paints at once; it asks for the rest with a `more` port message).
   */
  older?: number;
}
