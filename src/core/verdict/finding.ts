/** A finding — what a rule says of a failure: its cause, confidence, evidence, fixes and actions — and a note beside it; their shapes and guards. */
import { ACTIONS, CAUSE_IDS, type Action, type CauseId } from './causes.ts';

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
  /**
   * Evidence that would settle this finding which the browser holds but the extension may not
   * read until the user allows it: the browser's third-party-cookie setting (optional `privacy`
   * permission). The panel offers to read it, beside the finding; nothing is ever assumed.
   */
  wants?: Wanted;
}

export type Wanted = 'cookie-policy';
const WANTED = new Set<string>(['cookie-policy']);

// ---- reading findings from another context (untrusted until checked) ----

const CONFIDENCES = new Set<string>(['high', 'medium', 'low']);
const EVIDENCE_KINDS = new Set<string>(['status', 'request-header', 'response-header', 'challenge', 'credentials', 'claim', 'cookie', 'cookie-jar', 'timeline', 'redirect', 'body']);
const TEXT_MAX = 8192;
const causes: ReadonlySet<string> = new Set(CAUSE_IDS);
const actions: ReadonlySet<string> = new Set(ACTIONS);

function rec(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const text = (v: unknown, max = TEXT_MAX): v is string => typeof v === 'string' && v.length <= max;
const texts = (v: unknown): v is string[] => Array.isArray(v) && v.length <= 50 && v.every((x) => text(x));

function parseEvidence(v: unknown): Evidence | undefined {
  if (!rec(v) || typeof v['kind'] !== 'string' || !EVIDENCE_KINDS.has(v['kind']) || !text(v['label'], 1024)) return undefined;
  if (v['value'] !== undefined && !text(v['value'])) return undefined;
  if (v['note'] !== undefined && !text(v['note'], 2048)) return undefined;
  const e: Evidence = { kind: v['kind'] as EvidenceKind, label: v['label'] };
  if (v['value'] !== undefined) e.value = v['value'] as string;
  if (v['note'] !== undefined) e.note = v['note'] as string;
  return e;
}

/**
 * Findings from a message or a file, checked field by field into fresh objects: undefined when
 * anything is off (an unknown cause or action, a wrong type, an oversized text).
 */
export function parseFindings(v: unknown): Finding[] | undefined {
  if (!Array.isArray(v) || v.length > 40) return undefined;
  const out: Finding[] = [];
  for (const f of v) {
    if (!rec(f) || typeof f['cause'] !== 'string' || !causes.has(f['cause']) || typeof f['confidence'] !== 'string' || !CONFIDENCES.has(f['confidence'])) return undefined;
    if (!text(f['title'], 2048) || !text(f['explanation']) || !text(f['plain'], 2048)) return undefined;
    const fixes = f['fixes'];
    if (!rec(fixes) || !texts(fixes['users']) || !texts(fixes['developers'])) return undefined;
    const acts = f['actions'];
    if (!Array.isArray(acts) || acts.length > 20 || !acts.every((a) => typeof a === 'string')) return undefined;
    if (!Array.isArray(f['evidence']) || f['evidence'].length > 50) return undefined;
    const evidence: Evidence[] = [];
    for (const x of f['evidence']) {
      const e = parseEvidence(x);
      if (!e) return undefined;
      evidence.push(e);
    }
    out.push({
      cause: f['cause'] as CauseId,
      confidence: f['confidence'] as Confidence,
      title: f['title'],
      explanation: f['explanation'],
      plain: f['plain'],
      evidence,
      fixes: { users: [...fixes['users']], developers: [...fixes['developers']] },
      // Kinds this version does not know (older files said copy-curl, copy-fetch, export) are left out, not refused.
      actions: acts.filter((a): a is Action => actions.has(a)),
    });
    if (f['wants'] !== undefined) {
      if (typeof f['wants'] !== 'string' || !WANTED.has(f['wants'])) return undefined;
      out[out.length - 1]!.wants = f['wants'] as Wanted;
    }
  }
  return out;
}

/**
 * A fact about a failure that matters but does not cause it (DESIGN.md, "The verdict"): the first is
 * that the page's script never saw the 401 (a cross-origin response without the CORS headers
 * that expose it reaches the script as a network error).
 */
export interface Note {
  kind: 'script-never-saw-status' | 'light-capture' | 'token-request';
  title: string;
  explanation: string;
  evidence: Evidence[];
}
