import type { Action, CauseId } from './causes.ts';

export type Confidence = 'high' | 'medium' | 'low';

export type EvidenceKind =
  | 'status'
  | 'request-header'
  | 'response-header'
  | 'challenge'
  | 'credentials'
  | 'claim'
  | 'cookie'
  | 'cookie-jar'
  | 'timeline'
  | 'redirect'
  | 'body';

/** One piece of evidence. Values are already redacted: evidence is shown and exported as is. */
export interface Evidence {
  kind: EvidenceKind;
  /** What it is: a header name, a cookie name, a claim name, a URL. */
  label: string;
  value?: string;
  note?: string;
}

/** A finding (DESIGN.md, "Causes"): what the CLI prints and the panel shows. */
export interface Finding {
  cause: CauseId;
  confidence: Confidence;
  /** One sentence naming the concrete values: the verdict when this finding ranks first. */
  title: string;
  /** Plain words with the concrete values (realm, scope, cookie, claim, times). */
  explanation: string;
  /** The same for someone who is not a developer (the popup's words). */
  plain: string;
  evidence: Evidence[];
  fixes: { users: string[]; developers: string[] };
  actions: Action[];
}
