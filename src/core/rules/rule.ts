/** What a rule is: one per cause, given a failure's facts, it says whether its cause fits and why (core/verdict/diagnose.ts runs them all). */
import type { CauseId } from '../verdict/causes.ts';
import type { Facts } from '../verdict/facts.ts';
import type { Confidence, Evidence, Wanted } from '../verdict/finding.ts';

/** What a rule says when it fits; the engine adds the cause's standing fixes and actions. */
export interface RuleOutcome {
  confidence: Confidence;
  title: string;
  explanation: string;
  plain: string;
  evidence: Evidence[];
  /** Fixes specific to this case, shown before the standing ones. */
  fixes?: { users?: string[]; developers?: string[] };
  /**
   * This finding is inferred, not observed or stated (e.g. an audience compared with a host
   * name): it ranks after everything the evidence shows or the server says, whatever its
   * cause's tier, and it says it is a guess.
   */
  inferred?: boolean;
  /** Evidence the browser could give if the user allows reading it (see Finding.wants). */
  wants?: Wanted;
}

/** One rule per cause id, one rule per file (src/core/rules/<cause-id>.ts). */
export interface Rule {
  cause: CauseId;
  evaluate(facts: Facts): RuleOutcome | undefined;
}

export function defineRule(cause: CauseId, evaluate: (facts: Facts) => RuleOutcome | undefined): Rule {
  return { cause, evaluate };
}
