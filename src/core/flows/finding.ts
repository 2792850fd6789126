/** What a sign-in flow or a token's life found wrong (a FlowFinding), and the flow as its checks see it. */
import type { FlowCauseId } from '../verdict/causes.ts';
import { FLOW_CAUSES } from './causes.ts';
import { duration, iso } from '../verdict/time.ts';
import type { FlowStep } from './step.ts';

export { LOOP_GAP } from '../verdict/burst.ts';

export interface FlowFinding {
  cause: FlowCauseId;
  confidence: 'high' | 'medium' | 'low';
  title: string;
  explanation: string;
  evidence: string[];
  /** The log index of the step that broke. */
  entry: number;
  fixes: { users: string[]; developers: string[] };
}

/** A flow while it is linked: its sign-in steps by role, and the token's life after it. */
export interface LinkedFlow {
  clientId?: string;
  steps: FlowStep[];
  findings: FlowFinding[];
  authorize?: FlowStep;
  callback?: FlowStep;
  /** Token requests that redeemed a code. */
  tokens: FlowStep[];
  /** Refreshes (grant_type=refresh_token) of the refresh tokens this flow was issued. */
  refreshes: FlowStep[];
  /** API calls refused while carrying an access token this flow was issued. */
  calls: FlowStep[];
  /** Steps a finding explains besides the one it names (a storm's other refused refreshes): no finding of their own. */
  explained?: Set<number>;
  /** Runs of the token's life a finding speaks of as one (core/flows/token-life.ts): the lane draws each as one event. */
  groups?: TokenGroup[];
}

/**
 * Steps of a token's life that one finding speaks of as one: a storm's refreshes, a loop's
 * refreshes and the refused calls between them, the refreshes of a race (log indexes).
 */
export interface TokenGroup {
  kind: 'storm' | 'loop' | 'race';
  entries: number[];
}

/** Record a group on the flow. */
export function group(flow: LinkedFlow, kind: TokenGroup['kind'], steps: readonly FlowStep[]): void {
  (flow.groups ??= []).push({ kind, entries: steps.map((s) => s.index) });
}

export function finding(cause: FlowCauseId, confidence: FlowFinding['confidence'], step: FlowStep, title: string, explanation: string, evidence: string[]): FlowFinding {
  const info = FLOW_CAUSES[cause];
  return { cause, confidence, title, explanation, evidence, entry: step.index, fixes: { users: [...info.fixes.users], developers: [...info.fixes.developers] } };
}

/** When a step happened, as a finding says it. */
export const when = (s: FlowStep): string => (Number.isNaN(s.at) ? `entry ${s.index + 1}` : iso(s.at));

/** A span of time in words, to the millisecond below a second (core/verdict/time.ts `duration`). */
export const span = (ms: number): string => duration(ms, true);
