/**
 * Repeats of one failure, grouped (DESIGN.md, "Repeats"): a storm of parallel 401s, or a retry or
 * refresh loop, is one failure with its count — in the panel's list, the popup and the badge.
 *
 * A failure repeats a group when it came from the same origin with the same status and the same
 * kind of credentials (the Authorization scheme, or none), with the same first cause once both are
 * judged, and either
 * - carried the same credentials (Authorization and cookies) as one of its members, within
 *   BURST_GAP_MS of the group's latest (a storm: parallel requests to several endpoints), or
 * - sent a token to the same endpoint as one of them, within a loop's round (LOOP_GAP: a refresh
 *   loop retries with a new token each round, once its refresh has answered).
 * A failure still being judged joins on the rest alone, so the badge does not count a storm before
 * its verdicts arrive; new cookies never join (a session that changed is a new failure), nor does
 * a failure of another page load (the user reloaded: a new attempt).
 */
import type { Finding } from './finding.ts';
import type { HarEntry } from '../exchange/har-types.ts';
import { firstHeader } from '../auth/headers.ts';
import { duration } from './time.ts';
import { originOf } from '../exchange/url.ts';

/** Failures closer than this (ms) to the group's latest continue it. */
export const BURST_GAP_MS = 2_000;

/**
 * An app that loops acts again at once: a sign-in begun, a refresh or a retry this soon (ms) after
 * the previous round's answer continues a loop (the login loop and the refresh loop of
 * core/flows, and repeats here).
 */
export const LOOP_GAP = 10_000;

export interface BurstInput {
  id: string;
  at: number;
  entry: HarEntry;
  findings: readonly Finding[];
  pending?: true | undefined;
  /** The tab's page load it came in (StoredRecord.page, and `load` when the log is preserved): a reload between two failures makes them two. */
  page?: number;
  load?: number;
}

export interface FailureGroup<T extends BurstInput = BurstInput> {
  /** The first failure: the row shown, the detail opened. */
  head: T;
  /** Every failure of the group, the head first, in the order they came. */
  members: T[];
  /** The latest member's time. */
  last: number;
}

/** What must match for one failure to repeat another, before the verdict. */
function keyOf(r: BurstInput): string {
  const scheme = firstHeader(r.entry.request.headers, 'authorization')?.trim().split(/\s+/)[0]?.toLowerCase() ?? '-';
  return `${r.entry.response.status} ${originOf(r.entry.request.url) ?? r.entry.request.url} ${scheme}`;
}

const pathOf = (r: BurstInput) => r.entry.request.url.split(/[?#]/)[0]!;
/** What a request sent to prove who it is: its Authorization and its cookies (in memory only, to compare). */
const credentialsOf = (r: BurstInput) => `${firstHeader(r.entry.request.headers, 'authorization') ?? ''}\n${firstHeader(r.entry.request.headers, 'cookie') ?? ''}`;
const hasAuthorization = (r: BurstInput) => firstHeader(r.entry.request.headers, 'authorization') !== undefined;
const cookiesOf = (r: BurstInput) => firstHeader(r.entry.request.headers, 'cookie') ?? '';

interface Open<T extends BurstInput> {
  group: FailureGroup<T>;
  key: string;
  /** The members' endpoints, credentials and cookies (in memory only, while grouping). */
  paths: Set<string>;
  credentials: Set<string>;
  cookies: Set<string>;
}

function repeats<T extends BurstInput>(o: Open<T>, key: string, r: BurstInput): boolean {
  const g = o.group;
  if (key !== o.key || r.page !== g.head.page || r.load !== g.head.load || r.at < g.head.at - BURST_GAP_MS) return false;
  // The same credentials within the gap (a storm across endpoints), or a new token to the same
  // endpoint within a refresh loop's round (LOOP_GAP: the retry waits for
  // its refresh); not new cookies: a session that changed (signed out, cleared) is a new failure.
  const storm = o.credentials.has(credentialsOf(r)) && r.at - g.last <= BURST_GAP_MS;
  const loop = hasAuthorization(r) && o.paths.has(pathOf(r)) && o.cookies.has(cookiesOf(r)) && r.at - g.last <= LOOP_GAP;
  if (!storm && !loop) return false;
  return r.pending === true || g.head.pending === true || r.findings[0]?.cause === g.head.findings[0]?.cause;
}

/**
 * The failures as groups, in order. A failure joins the open group it repeats (a storm's failures
 * can interleave with another origin's), else starts one; a new group closes the one before it of
 * the same origin, status and scheme (401 expired, 401 revoked, 401 expired: three failures).
 */
export function groupFailures<T extends BurstInput>(records: readonly T[]): FailureGroup<T>[] {
  const groups: FailureGroup<T>[] = [];
  /** Groups still open to repeats: the few most recent. */
  const open: Open<T>[] = [];
  for (const r of records) {
    const key = keyOf(r);
    const found = open.find((o) => repeats(o, key, r));
    if (found) {
      found.group.members.push(r);
      found.group.last = Math.max(found.group.last, r.at);
      found.paths.add(pathOf(r));
      found.credentials.add(credentialsOf(r));
      found.cookies.add(cookiesOf(r));
      continue;
    }
    const group: FailureGroup<T> = { head: r, members: [r], last: r.at };
    groups.push(group);
    // Another failure of the same kind closes the group before it: what follows repeats the new one, not the old.
    for (let i = open.length - 1; i >= 0; i--) if (open[i]!.key === key) open.splice(i, 1);
    open.unshift({ group, key, paths: new Set([pathOf(r)]), credentials: new Set([credentialsOf(r)]), cookies: new Set([cookiesOf(r)]) });
    if (open.length > 8) open.pop();
  }
  return groups;
}

/** How many failures repeat an earlier one (the badge counts the rest). */
export function repeatCount(records: readonly BurstInput[]): number {
  let n = 0;
  for (const g of groupFailures(records)) n += g.members.length - 1;
  return n;
}

/** How a view lists a group: the panel (one row, one badge count) or the CLI's text (one failure printed). */
const SHOWN = {
  panel: 'They are one failure here: the list shows the first, the badge counts it once.',
  cli: 'They are one failure here: the first is shown (--format json lists each).',
} as const;

/** A group in one sentence, for the detail: how many, over how long, alike in what; and how `view` shows it. */
export function groupSentence(g: FailureGroup, view: keyof typeof SHOWN = 'panel'): string {
  const n = g.members.length;
  const origin = originOf(g.head.entry.request.url) ?? g.head.entry.request.url;
  const paths = new Set(g.members.map(pathOf));
  const tokens = new Set(g.members.map((m) => firstHeader(m.entry.request.headers, 'authorization') ?? ''));
  const span = g.last - g.head.at;
  const judged = g.members.every((m) => m.pending !== true && m.findings[0] !== undefined);
  return `${n} requests to ${origin}${paths.size > 1 ? ` (${paths.size} endpoints)` : ''} were answered ${g.head.entry.response.status} ${span < 1000 ? `within ${duration(span, true)}` : `over ${duration(span)}`}${judged ? ', all for the same reason' : ''}${tokens.size > 1 ? `, with ${tokens.size} different tokens (a new one each round: a refresh or retry loop)` : ', with the same credentials (parallel requests, or retries)'}. ${SHOWN[view]}`;
}
