/** What a sign-in flow or a token's life found wrong (a FlowFinding), and the flow as its checks see it. */
import type { FlowCauseId } from '../causes.ts';
import { FLOW_CAUSES } from './causes.ts';
import { duration, iso } from '../time.ts';
import type { FlowStep } from './step.ts';

export { LOOP_GAP } from '../burst.ts';

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
}

export function finding(cause: FlowCauseId, confidence: FlowFinding['confidence'], step: FlowStep, title: string, explanation: string, evidence: string[]): FlowFinding {
  const info = FLOW_CAUSES[cause];
  return { cause, confidence, title, explanation, evidence, entry: step.index, fixes: { users: [...info.fixes.users], developers: [...info.fixes.developers] } };
}

/** When a step happened, as a finding says it. */
export const when = (s: FlowStep): string => (Number.isNaN(s.at) ? `entry ${s.index + 1}` : iso(s.at));

/** A span of time in words, to the millisecond below a second (core/time.ts `duration`). */
export const span = (ms: number): string => duration(ms, true);
