/** The lineage rule that the token-life checks and the token's lane share: which answer had replaced a token. */
import type { FlowStep } from './step.ts';

/**
 * The answer that had replaced a token by `at`: a later answer (of `answers`, the served ones)
 * that issued another access token and had come by then. stale-token-after-refresh's rule
 * (core/flows/token-life.ts); the token's lane (core/flows/lane.ts) names the same answer.
 */
export function replacementOf<T extends Pick<FlowStep, 'at' | 'end' | 'accessIssued'>>(answers: readonly T[], issuer: T, token: string, at: number): T | undefined {
  return answers.find((t) => t !== issuer && t.at > issuer.at && t.accessIssued !== undefined && t.accessIssued !== token && t.end <= at);
}
