/** What a sign-in flow shows: its steps as runs (a chain), and its findings with their labels; the CLI's text and the panel's sign-in view both write it. */
import { FLOW_CAUSES } from './causes.ts';
import type { FlowFinding, TokenGroup } from './finding.ts';
import type { Flow } from './flow.ts';
import type { FlowStep, StepKind } from './step.ts';
import type { HarEntry } from '../exchange/har-types.ts';
import { normalizeEntry } from '../exchange/har-read.ts';
import { FlowRecorder } from './record.ts';
import { stepOf } from './step.ts';
import { hostOf } from '../exchange/url.ts';

/** A run of steps of one kind (refreshes on schedule, a flood of refused calls), written once with its count. */
export interface StepRun {
  kind: StepKind;
  /** Its name in the CLI's text: the kind, or "refresh" for a refresh (a token request of grant refresh_token). */
  name: string;
  /** In words, for the panel: "sign-in", "refresh", "API refused". */
  label: string;
  count: number;
  /** Whether a finding names a step of the run. */
  broken: boolean;
  /** The log index of the run's first step. */
  entry: number;
  /** The run's first step as a request (its URL masked), so a view can show that exchange (DevTools' Network panel). */
  exchange?: { method: string; url: string; status: number };
}

const LABELS: Record<StepKind, string> = {
  discovery: 'discovery',
  authorize: 'sign-in',
  callback: 'callback',
  token: 'token',
  'end-session': 'sign-out',
  'api-call': 'API refused',
};

/** A step's label: a token request says which grant it was. */
function labelOf(s: Pick<FlowStep, 'kind'> & { grantType?: string }): string {
  if (s.kind === 'token' && s.grantType === 'refresh_token') return 'refresh';
  return LABELS[s.kind];
}

/** A run's name in a text output (the CLI's text, the Markdown report): its name, with its count when more than one. */
export function runName(r: Pick<StepRun, 'name' | 'count'>): string {
  return r.count > 1 ? `${r.name} ×${r.count}` : r.name;
}

/** The steps as runs: consecutive steps of one kind (and grant) are one run; a sign-in and its callback never merge. */
export function stepRuns(steps: readonly (Pick<FlowStep, 'kind' | 'index'> & Partial<Pick<FlowStep, 'method' | 'url' | 'status'>> & { grantType?: string })[], findings: readonly Pick<FlowFinding, 'entry'>[]): StepRun[] {
  const broken = new Set(findings.map((f) => f.entry));
  const runs: StepRun[] = [];
  for (const s of steps) {
    const label = labelOf(s);
    const prev = runs[runs.length - 1];
    if (prev && prev.label === label && s.kind !== 'authorize' && s.kind !== 'callback') {
      prev.count++;
      prev.broken ||= broken.has(s.index);
    } else
      runs.push({
        kind: s.kind,
        name: label === 'refresh' ? 'refresh' : s.kind,
        label,
        count: 1,
        broken: broken.has(s.index),
        entry: s.index,
        ...(s.method !== undefined && s.url !== undefined && s.status !== undefined ? { exchange: { method: s.method, url: s.url, status: s.status } } : {}),
      });
  }
  return runs;
}

export interface FlowFindingView extends FlowFinding {
  /** The cause's short label ("PKCE mismatch"). */
  label: string;
}

/**
 * A step of the token's life as the lane needs it (core/flows/lane.ts): a token answer (the
 * sign-in's code redeemed, or a refresh) or an API call refused with one of the flow's tokens,
 * its tokens as lineage ids (tags, never values).
 */
export type LineageStep = Pick<FlowStep, 'index' | 'at' | 'end' | 'method' | 'url' | 'status' | 'grantType' | 'error' | 'accessIssued' | 'refreshSent' | 'refreshIssued' | 'token' | 'expiresIn'> & {
  kind: 'sign-in' | 'refresh' | 'call';
};

export interface FlowView {
  clientId?: string;
  /** When its first step began (ms; NaN when the log has no time). */
  at: number;
  /** The identity provider's host (its authorize or token endpoint), when a step names it. */
  provider?: string;
  /** It holds a sign-in (an authorize request, or a code redeemed), not only a token's later life. */
  signIn: boolean;
  /** The first finding about a step of the sign-in itself (not the token's life after it), when one broke. */
  signInFinding?: FlowFindingView;
  runs: StepRun[];
  /** The token's life: its token answers and refused calls, in log order. */
  lineage: LineageStep[];
  /** Runs of that life its findings speak of as one (a storm, a loop, a race). */
  groups: TokenGroup[];
  /** The flow ended at its sign-in request: no answer in the log. */
  unanswered: boolean;
  /**
   * Its sign-in's start is not in the log: it begins at the provider's answer (a callback, or a
   * code redeemed) with no authorize request before it, so the checks against that request
   * (state, nonce, PKCE, redirect_uri) cannot be made.
   */
  startMissing: boolean;
  /** A finding names one of its steps. */
  broken: boolean;
  findings: FlowFindingView[];
}

function lineageOf(steps: readonly FlowStep[]): LineageStep[] {
  const out: LineageStep[] = [];
  for (const s of steps) {
    const kind = s.kind === 'api-call' ? 'call' : s.kind === 'token' ? (s.grantType === 'refresh_token' ? 'refresh' : 'sign-in') : undefined;
    if (kind === undefined) continue;
    const l: LineageStep = { kind, index: s.index, at: s.at, end: s.end, method: s.method, url: s.url, status: s.status };
    for (const k of ['grantType', 'error', 'accessIssued', 'refreshSent', 'refreshIssued', 'token', 'expiresIn'] as const) if (s[k] !== undefined) (l as Record<string, unknown>)[k] = s[k];
    out.push(l);
  }
  return out;
}

export function flowView(flow: Flow): FlowView {
  const last = flow.steps[flow.steps.length - 1];
  const signIn = flow.steps.find((s) => s.kind === 'authorize' || (s.kind === 'token' && s.grantType === 'authorization_code'));
  const provider = hostOf((flow.steps.find((s) => s.kind === 'authorize' || s.kind === 'token') ?? flow.steps[0])?.endpoint ?? '');
  const findings = flow.findings.map((f) => ({ ...f, label: FLOW_CAUSES[f.cause].label }));
  const signInSteps = new Set(flow.steps.filter((s) => s.kind !== 'api-call' && !(s.kind === 'token' && s.grantType === 'refresh_token')).map((s) => s.index));
  const signInFinding = findings.find((f) => signInSteps.has(f.entry));
  return {
    ...(flow.clientId !== undefined ? { clientId: flow.clientId } : {}),
    at: flow.steps[0]?.at ?? Number.NaN,
    // A copy, not a second reference to one of `findings`: a view crosses messaging and test bridges that do not keep shared references.
    ...(signInFinding ? { signInFinding: { ...signInFinding, evidence: [...signInFinding.evidence], fixes: { users: [...signInFinding.fixes.users], developers: [...signInFinding.fixes.developers] } } } : {}),
    ...(provider !== undefined ? { provider } : {}),
    signIn: signIn !== undefined,
    runs: stepRuns(flow.steps, flow.findings),
    lineage: lineageOf(flow.steps),
    groups: flow.groups ?? [],
    unanswered: last?.kind === 'authorize',
    startMissing: flow.steps[0] !== undefined && (flow.steps[0].kind === 'callback' || (flow.steps[0].kind === 'token' && flow.steps[0].grantType === 'authorization_code')),
    broken: flow.findings.length > 0,
    findings,
  };
}

/** Flows as the views show them: broken ones first, each in the order it began. */
export function flowViews(flows: readonly Flow[]): FlowView[] {
  const views = flows.map(flowView);
  return [...views.filter((v) => v.broken), ...views.filter((v) => !v.broken)];
}

/** The flows of a log (DevTools' network log, an imported file). */
export function flowViewsOf(entries: Iterable<HarEntry>): FlowView[] {
  const recorder = new FlowRecorder();
  let i = 0;
  for (const e of entries) recorder.observe(e, i++);
  return flowViews(recorder.flows());
}

/**
 * The flows of a log read from elsewhere (DevTools' network log): each entry checked as an
 * imported one is (`normalizeEntry`); entries that are not HAR entries are left out.
 */
export function flowViewsOfLog(raw: readonly unknown[]): FlowView[] {
  function* entries() {
    for (const [i, r] of raw.entries()) {
      const read = normalizeEntry(r, i);
      if ('entry' in read) yield read.entry;
    }
  }
  return flowViewsOf(entries());
}

/**
 * The entries of a log (DevTools' network log) that are steps of a sign-in flow — the authorize
 * requests, callbacks, token requests and their answers, discovery, end-session — but not the
 * refused API calls (each is a failure of its own): what an export adds so that its flows read again.
 */
export function flowStepEntries(raw: readonly unknown[]): HarEntry[] {
  const out: HarEntry[] = [];
  for (const [i, r] of raw.entries()) {
    const read = normalizeEntry(r, i);
    if (!('entry' in read)) continue;
    const step = stepOf(read.entry, i);
    if (step && step.kind !== 'api-call') out.push(read.entry);
  }
  return out;
}
