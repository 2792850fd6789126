/**
 * What a failure's detail shows of its tab's sign-in flows: the sign-ins before it, each one
 * event of its auth story, and the token's lane under the story — the life of the token it carried:
 * the answer that issued it, where it worked, the refreshes that followed (the one that replaced
 * it named), refusals, and the storms, loops and races its flow's findings speak of, each drawn as
 * one event. Read from a flow's lineage (FlowView.lineage) by token tag, never by value; the view
 * only draws what this decides.
 */
import { LOOP_GAP } from '../verdict/burst.ts';
import type { HarEntry, PriorSuccess } from '../exchange/har-types.ts';
import { duration, iso, relative } from '../verdict/time.ts';
import type { TokenGroup } from './finding.ts';
import { replacementOf } from './lineage.ts';
import { carriedToken } from './step.ts';
import { redactText } from '../redaction/redact-url.ts';
import type { FlowView, LineageStep } from './view.ts';

export type LaneKind = 'signed-in' | 'worked' | 'refreshed' | 'refresh-refused' | 'refused' | 'storm' | 'loop' | 'race' | 'failure';

export interface LaneEvent {
  kind: LaneKind;
  at: number;
  /** A few words for the lane ("refreshed", "storm ×200", "401 ×3"). */
  short: string;
  /** One sentence for the lane's detail line. */
  text: string;
  /** "2 minutes before the failure", "80 ms after the failure". */
  time: string;
  /** Which token the event is about: the one the failure carried, or the answer that replaced it. */
  mark?: 'this-token' | 'replaced-it';
  /** It came after the failure (what the app did about it). */
  after?: true;
}

export interface LaneModel {
  /** The flow's number in the list the lane was read from (the sign-in view numbers them so). */
  flow: number;
  /** One sentence: where the failure's token came from, and what replaced it. */
  summary: string;
  events: LaneEvent[];
  /** For "what changed since it last worked": the refresh in between, named. */
  since?: string;
  /** Said instead of "nothing changed" when the same token was sent but a refresh had replaced it. */
  unchangedText?: string;
  /** What the flow's checks found about the steps the lane draws (the failure itself among them), with their labels. */
  findings: { cause: string; label: string; title: string }[];
}

/** The most sign-ins the story shows before a failure (the latest). */
const SIGN_INS = 2;

/** A sign-in flow as one event of a failure's auth story (core/views/detail.ts `storyWithSignIns` places it). */
export interface SignInEvent {
  kind: 'sign-in' | 'sign-in-broken';
  at: number;
  short: string;
  text: string;
  time: string;
}

/**
 * The tab's (or file's) sign-ins that began before a failure, the latest two, each one event: the
 * provider and client, its steps, and what broke when a step of the sign-in did.
 */
export function signInEvents(flows: readonly FlowView[], at: number): SignInEvent[] {
  if (Number.isNaN(at)) return [];
  const before = flows
    .map((f, i) => ({ f, n: i + 1 }))
    .filter(({ f }) => f.signIn && !Number.isNaN(f.at) && f.at <= at)
    .sort((a, b) => a.f.at - b.f.at)
    .slice(-SIGN_INS);
  return before.map(({ f, n }) => {
    const steps = f.runs
      .filter((r) => r.kind !== 'api-call' && r.name !== 'refresh')
      .map((r) => `${r.label}${r.count > 1 ? ` ×${r.count}` : ''}`)
      .join(' → ');
    const who = `${f.provider !== undefined ? ` with ${f.provider}` : ''}${f.clientId !== undefined ? ` (client ${f.clientId})` : ''}`;
    const broke = f.signInFinding;
    return {
      kind: broke ? ('sign-in-broken' as const) : ('sign-in' as const),
      at: f.at,
      short: broke ? 'sign-in ✗' : 'sign-in',
      text: redactText(broke ? `Sign-in flow ${n}${who} broke — ${broke.label}: ${broke.title}. Its steps: ${steps}.` : `Sign-in flow ${n}${who}: ${steps}${f.unanswered ? ', no answer yet' : ''}.`),
      time: relative(f.at, at, 'the failure'),
    };
  });
}

/** The most events the lane shows before the failure, and after it. */
const BEFORE = 8;
const AFTER = 4;

const served = (s: LineageStep) => s.status >= 200 && s.status < 300;

interface FailureSide {
  token: string;
  at: number;
  status: number;
  /** The latest earlier success with these very credentials (the failure's pinned context). */
  used?: PriorSuccess | undefined;
  /** When the request last worked ("what changed since"), when it did. */
  lastWorked?: number | undefined;
}

/** Whether a failure can have a lane: it carried a bearer token (the view reads the flows for it only then). */
export function hasLane(entry: HarEntry): boolean {
  return carriedToken(entry) !== undefined;
}

const cache = new WeakMap<readonly FlowView[], WeakMap<HarEntry, LaneModel | null>>();

/**
 * The lane of a failure (its entry, as the detail holds it) among the flows read for its tab or
 * file, or undefined when it carried no bearer token that a flow there issued or saw refused.
 * Computed once per flows list and entry.
 */
export function laneOf(flows: readonly FlowView[], entry: HarEntry, at: number): LaneModel | undefined {
  if (!hasLane(entry)) return undefined;
  let byEntry = cache.get(flows);
  if (!byEntry) cache.set(flows, (byEntry = new WeakMap()));
  const hit = byEntry.get(entry);
  if (hit !== undefined) return hit ?? undefined;
  const token = carriedToken(entry);
  const context = entry._why401?.context;
  const lane = token === undefined ? undefined : tokenLane(flows, { token, at, status: entry.response.status, used: context?.sameCredentials, lastWorked: context?.lastSuccess?.at });
  byEntry.set(entry, lane ?? null);
  return lane;
}

export function tokenLane(flows: readonly FlowView[], failure: FailureSide): LaneModel | undefined {
  const { token } = failure;
  let k = -1;
  for (let i = flows.length - 1; i >= 0 && k < 0; i--) if (flows[i]!.lineage.some((s) => s.accessIssued === token || s.token === token)) k = i;
  if (k < 0) return undefined;
  const flow = flows[k]!;
  const steps = flow.lineage.filter((s) => !Number.isNaN(s.at)).sort((a, b) => a.at - b.at);
  const answers = steps.filter((s) => s.kind !== 'call' && served(s) && s.accessIssued !== undefined);
  const issuer = answers.find((s) => s.accessIssued === token);
  const replaced = issuer ? replacementOf(answers, issuer, token, failure.at) : undefined;
  // The failure itself among the flow's refused calls: the one with its token nearest its time.
  let self: LineageStep | undefined;
  for (const s of steps) if (s.kind === 'call' && s.token === token && Math.abs(s.at - failure.at) <= 1000 && (!self || Math.abs(s.at - failure.at) < Math.abs(self.at - failure.at))) self = s;

  const groupOf = new Map<number, TokenGroup>();
  // A storm holds the race inside it, a loop its refreshes: the wider run is drawn.
  for (const kind of ['storm', 'loop', 'race'] as const) for (const g of flow.groups) if (g.kind === kind) for (const e of g.entries) if (!groupOf.has(e)) groupOf.set(e, g);

  const tokenWord = (t: string | undefined): string => {
    if (t === token) return 'this same token';
    const a = answers.find((x) => x.accessIssued === t);
    if (!a || !issuer) return 'another token';
    return a.at < issuer.at ? 'an older token' : 'a newer token';
  };
  const events: LaneEvent[] = [];
  /** The log indexes of the steps each event draws, for the findings that name one. */
  const covers = new Map<LaneEvent, number[]>();
  const drawn = new Set<TokenGroup>();
  let run: { event: LaneEvent; token: string | undefined; count: number; status: number } | undefined;
  const push = (e: Omit<LaneEvent, 'time'>, indexes: readonly number[] = []) => {
    const after = e.at > failure.at;
    const event: LaneEvent = { ...e, time: relative(e.at, failure.at, 'the failure'), ...(after ? { after: true as const } : {}) };
    events.push(event);
    covers.set(event, [...indexes]);
  };
  if (failure.used && !Number.isNaN(failure.used.at) && failure.used.at < failure.at && (!issuer || failure.used.at >= issuer.at)) {
    push({ kind: 'worked', at: failure.used.at, short: `${failure.used.status} worked`, text: `A request to ${failure.used.url} worked (${failure.used.status}) with this same token.` });
  }
  for (const s of steps) {
    if (s === self) continue;
    const g = groupOf.get(s.index);
    if (g) {
      if (drawn.has(g)) continue;
      drawn.add(g);
      run = undefined;
      push(groupEvent(g, steps), g.entries);
      continue;
    }
    if (s.kind === 'call') {
      const side = s.at > failure.at;
      if (run && run.token === s.token && run.status === s.status && (run.event.at > failure.at) === side) {
        run.count++;
        covers.get(run.event)!.push(s.index);
        run.event.short = `${s.status} ×${run.count}`;
        run.event.text = `${run.count} requests were refused (${s.status}) with ${tokenWord(s.token)}, the last ${s.method} ${s.url}.`;
        continue;
      }
      push({ kind: 'refused', at: s.at, short: String(s.status), text: `${s.method} ${s.url} was refused (${s.status}) with ${tokenWord(s.token)}.`, ...(s.token === token ? { mark: 'this-token' as const } : {}) }, [s.index]);
      run = { event: events[events.length - 1]!, token: s.token, count: 1, status: s.status };
      continue;
    }
    run = undefined;
    const exchange = `${s.method} ${s.url} → ${s.status}`;
    if (!served(s)) {
      push({ kind: 'refresh-refused', at: s.at, short: `${s.kind === 'refresh' ? 'refresh' : 'sign-in'} ${s.status}${s.error ? ` ${s.error}` : ''}`, text: `The ${s.kind === 'refresh' ? 'refresh' : 'sign-in’s token request'} (${exchange}) was refused${s.error ? `: ${s.error}` : ''}.` }, [s.index]);
      continue;
    }
    const mine = s.accessIssued === token;
    const mark = mine ? ('this-token' as const) : s === replaced ? ('replaced-it' as const) : undefined;
    const life = s.expiresIn !== undefined ? `, good for ${duration(s.expiresIn * 1000)}` : '';
    const refresh = s.refreshIssued === undefined ? (s.kind === 'sign-in' ? ', and no refresh token' : '') : s.kind === 'refresh' && s.refreshIssued !== s.refreshSent ? ', and a new refresh token (rotation)' : s.kind === 'sign-in' ? ', and a refresh token' : '';
    const what = mine ? 'the access token this request carried' : s === replaced ? 'a new access token, replacing the one this request carried' : 'an access token';
    push({
      kind: s.kind === 'refresh' ? 'refreshed' : 'signed-in',
      at: s.at,
      // Kept short (the lane is narrow); the ring of `mark` says "this token", the sentence says the rest.
      short: s.kind === 'refresh' ? (mine ? 'issued it' : s === replaced ? 'replaced it' : 'refreshed') : 'signed in',
      text: `The ${s.kind === 'refresh' ? 'refresh' : 'sign-in’s token request'} (${exchange}) issued ${what}${life}${refresh}.`,
      ...(mark ? { mark } : {}),
    }, [s.index]);
  }
  const before = events.filter((e) => !e.after).sort((a, b) => a.at - b.at).slice(-BEFORE);
  const later = events.filter((e) => e.after).sort((a, b) => a.at - b.at);
  // What the app did about it: events that follow the failure, each within a loop's round of the last.
  const after: LaneEvent[] = [];
  let last = failure.at;
  for (const e of later) {
    if (after.length >= AFTER || e.at - last > LOOP_GAP) break;
    after.push(e);
    last = e.at;
  }
  const source = issuer ? `${issuer.kind === 'sign-in' ? 'the sign-in' : 'the refresh'} at ${iso(issuer.at)} issued` : 'no answer in this log issued (the capture began later)';
  const summary = `This request carried the access token ${source}${replaced ? `; the refresh at ${iso(replaced.at)} had replaced it ${duration(failure.at - replaced.end, true)} before this request` : ''}.`;
  const failureEvent: LaneEvent = { kind: 'failure', at: failure.at, short: `${failure.status} this request`, text: summary, time: 'the failure', mark: 'this-token' };
  const shownSteps = new Set([...(self ? [self.index] : []), ...[...before, ...after].flatMap((e) => covers.get(e) ?? [])]);
  const findings = flow.findings.filter((f) => shownSteps.has(f.entry)).map((f) => ({ cause: f.cause, label: f.label, title: f.title }));
  // Every sentence passes the one redactor, as findings do: its URLs are masked already, but a
  // success's endpoint and a provider's error are quoted as they came.
  const model: LaneModel = { flow: k + 1, summary: redactText(summary), events: [...before, failureEvent, ...after].map((e) => ({ ...e, text: redactText(e.text) })), findings };
  const lastWorked = failure.lastWorked;
  if (lastWorked !== undefined && !Number.isNaN(lastWorked)) {
    if (replaced && replaced.end > lastWorked) {
      model.since = redactText(`Since then, the refresh at ${iso(replaced.at)} (${replaced.method} ${replaced.url} → ${replaced.status}) issued a new access token; this request still carried the one it replaced.`);
      model.unchangedText = `The request sent the same token as when it worked, but the refresh at ${iso(replaced.at)} had replaced that token in between: the provider or the API no longer takes the old one.`;
    } else if (issuer && issuer.kind === 'refresh' && issuer.at > lastWorked) {
      model.since = redactText(`Since then, the refresh at ${iso(issuer.at)} (${issuer.method} ${issuer.url} → ${issuer.status}) issued the access token this request carried — and the API refused it.`);
    }
  }
  return model;
}

/** One event for a storm, a loop or a race, at its first step. */
function groupEvent(g: TokenGroup, steps: readonly LineageStep[]): Omit<LaneEvent, 'time'> {
  const members = steps.filter((s) => g.entries.includes(s.index));
  const first = members[0]!;
  const lastStep = members[members.length - 1]!;
  const refreshes = members.filter((s) => s.kind === 'refresh');
  const refused = refreshes.filter((s) => !served(s)).length;
  const between = `between ${iso(first.at)} and ${iso(lastStep.at)} (${duration(lastStep.at - first.at, true)})`;
  if (g.kind === 'storm')
    return { kind: 'storm', at: first.at, short: `storm ×${refreshes.length}`, text: `A refresh storm: ${refreshes.length} refreshes ${between}${refused > 0 ? `, ${refused} of them refused` : ''} — each 401 started a refresh of its own.` };
  if (g.kind === 'loop') {
    const rounds = refreshes.length;
    return { kind: 'loop', at: first.at, short: `loop ×${rounds}`, text: `A refresh loop: ${rounds} times a refresh, then a 401 with the new token, ${between}.` };
  }
  return { kind: 'race', at: first.at, short: `race ×${refreshes.length}`, text: `A race: ${refreshes.length} refreshes in flight at once with one refresh token; the provider refused ${refused}.` };
}
