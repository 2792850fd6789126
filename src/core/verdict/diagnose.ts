/**
 * The engine: run every rule on a failure's facts, complete the findings with the cause's
 * standing fixes and actions, and rank them (DESIGN.md: what the user must fix first).
 */
import { redactFinding, redactNote } from '../redaction/redact.ts';
import { CAUSES, type Action } from './causes.ts';
import { computeFacts, isFailure, type DiagnoseOptions, type Facts } from './facts.ts';
import type { Confidence, Finding, Note } from './finding.ts';
import { notesFor } from './notes.ts';
import { bodyEvidence, bodyOutcome } from './body-evidence.ts';
import { contextFor, emptyContext } from '../exchange/context.ts';
import type { HarEntry, Why401Fields } from '../exchange/har-types.ts';
import { RULES } from '../rules/index.ts';
import { credentialsEvidence, statusEvidence } from '../rules/words.ts';
import { emptyTimeline, observe, type Timeline } from '../exchange/timeline.ts';

const CONFIDENCE_RANK: Record<Confidence, number> = { high: 0, medium: 1, low: 2 };

function complete(cause: Finding['cause'], outcome: NonNullable<ReturnType<(typeof RULES)[number]['evaluate']>>): Finding {
  const info = CAUSES[cause];
  const actions: Action[] = [...info.actions];
  return {
    cause,
    confidence: outcome.confidence,
    title: outcome.title,
    explanation: outcome.explanation,
    plain: outcome.plain,
    evidence: outcome.evidence,
    fixes: {
      users: [...(outcome.fixes?.users ?? []), ...info.fixes.users],
      developers: [...(outcome.fixes?.developers ?? []), ...info.fixes.developers],
    },
    actions,
    ...(outcome.wants ? { wants: outcome.wants } : {}),
  };
}

/** When no rule fits, still say something true rather than nothing. */
function fallback(f: Facts): Finding {
  const cause = f.status === 403 ? 'forbidden' : f.credentials || f.sessionCookiesSent.length > 0 ? 'wrong-credentials' : 'missing-credentials';
  return complete(cause, {
    confidence: 'low',
    title: `${f.status} with no more specific explanation`,
    explanation: `The server answered ${f.status}${f.hasChallengeHeader ? ' with a challenge' : ''}, and none of the known causes fits the evidence clearly. ${
      f.credentials
        ? 'Credentials were sent and refused.'
        : f.sessionCookiesSent.length > 0
          ? 'A session cookie was sent and refused.'
          : f.cookiesInferred
            ? `No ${f.credentialHeader} header was sent; the Cookie header was not visible.`
            : 'No credentials were sent.'
    }`,
    plain: `${f.host || 'The site'} refused the request; signing in again may help.`,
    evidence: [statusEvidence(f), credentialsEvidence(f)],
  });
}

/** The tier of weak inference: after every cause the evidence shows or the server states. */
export const INFERENCE_TIER = 6;

export interface RankedFinding {
  finding: Finding;
  /** The tier it was ranked by: its cause's, or INFERENCE_TIER when the rule only inferred it. */
  tier: number;
  inferred: boolean;
}

/**
 * Every rule on the facts, ranked (DESIGN.md: what the user must fix first): by tier, then
 * confidence, then the registry's order. A finding a rule only inferred ranks in the inference
 * tier: a server's explicit error always outranks it.
 */
export function rankFindings(f: Facts): RankedFinding[] {
  const found: (RankedFinding & { order: number })[] = [];
  RULES.forEach((rule, order) => {
    let outcome;
    try {
      outcome = rule.evaluate(f);
    } catch {
      // A rule bug must never take the diagnosis (or the service worker) down.
      outcome = undefined;
    }
    if (!outcome) return;
    const inferred = outcome.inferred === true;
    found.push({ finding: complete(rule.cause, outcome), order, inferred, tier: inferred ? Math.max(INFERENCE_TIER, CAUSES[rule.cause].tier) : CAUSES[rule.cause].tier });
  });
  // The server's words in its body: evidence for the finding of that cause, or a finding of
  // their own when no rule saw the cause (core/verdict/body-signals.ts).
  for (const m of f.bodySignals) {
    const same = found.find((x) => x.finding.cause === m.signal.cause);
    if (same) {
      if (same.inferred) {
        // The server confirms what was only a guess: its words become the finding.
        const said = bodyOutcome(f, m);
        same.finding = complete(m.signal.cause, { ...said, evidence: [...said.evidence, ...same.finding.evidence] });
        same.inferred = false;
        same.tier = CAUSES[m.signal.cause].tier;
      } else same.finding.evidence.push(bodyEvidence(m));
      continue;
    }
    found.push({ finding: complete(m.signal.cause, bodyOutcome(f, m)), order: RULES.length, inferred: false, tier: CAUSES[m.signal.cause].tier });
  }
  found.sort((a, b) => a.tier - b.tier || CONFIDENCE_RANK[a.finding.confidence] - CONFIDENCE_RANK[b.finding.confidence] || a.order - b.order);
  return found.map(({ finding, tier, inferred }) => ({ finding, tier, inferred }));
}

export function diagnoseFacts(f: Facts): Finding[] {
  const ranked = rankFindings(f);
  return ranked.length === 0 ? [fallback(f)] : ranked.map((r) => r.finding);
}

/**
 * Pin what a failure is judged on: its context (the one the entry carries, else the one the
 * timeline gives) and the settings that change a verdict (the caller's, else the entry's). The
 * returned entry carries both in `_why401`, so whoever holds it (the store, an export, a re-read)
 * judges it the same way.
 */
export function pinVerdictInputs(entry: HarEntry, timeline: Timeline, options: DiagnoseOptions = {}): HarEntry {
  const why = entry._why401 ?? {};
  const context = why.context ?? contextFor(timeline, entry);
  const skew = options.clockSkewSeconds ?? why.options?.clockSkewSeconds;
  const pinned: Why401Fields = { ...why, context };
  if (skew !== undefined && skew !== 0) pinned.options = { clockSkewSeconds: skew };
  else delete pinned.options;
  return { ...entry, _why401: pinned };
}

/** The facts of an entry whose verdict inputs are pinned (what the rules saw; what the detail view shows). */
export function factsOf(entry: HarEntry, options: DiagnoseOptions = {}): Facts {
  const why = entry._why401;
  return computeFacts(entry, why?.context ?? emptyContext(), { ...options, clockSkewSeconds: why?.options?.clockSkewSeconds ?? 0 });
}

export interface Judged {
  /** The entry with its verdict inputs pinned (context and settings). */
  entry: HarEntry;
  facts: Facts;
  findings: Finding[];
  /** Facts beside the findings (the 401 the page's script never saw). */
  notes: Note[];
}

/** Judge one failed exchange against what came before it. */
export function judge(entry: HarEntry, timeline: Timeline = emptyTimeline(), options: DiagnoseOptions = {}): Judged {
  const pinned = pinVerdictInputs(entry, timeline, options);
  const facts = factsOf(pinned, options);
  // Core's own sentences quote what the server and the page sent: masked here, once, for every output.
  return { entry: pinned, facts, findings: diagnoseFacts(facts).map(redactFinding), notes: notesFor(facts).map(redactNote) };
}

/** The findings alone (tests, re-runs). */
export function diagnoseEntry(entry: HarEntry, timeline: Timeline = emptyTimeline(), options: DiagnoseOptions = {}): Finding[] {
  return judge(entry, timeline, options).findings;
}

export interface DiagnosedFailure {
  index: number;
  /** The entry with its verdict inputs pinned. */
  entry: HarEntry;
  facts: Facts;
  findings: Finding[];
  notes: Note[];
}

/**
 * Walk a timeline of exchanges in order: every failure is judged against the summaries of the
 * exchanges before it (or the context it carries), then folded into them. Linear in the number
 * of entries.
 */
export function* diagnoseTimeline(
  entries: Iterable<{ index: number; entry: HarEntry }>,
  options: DiagnoseOptions = {},
  timeline: Timeline = emptyTimeline(),
): Generator<DiagnosedFailure> {
  for (const { index, entry } of entries) {
    if (isFailure(entry, options)) {
      const j = judge(entry, timeline, options);
      yield { index, entry: j.entry, facts: j.facts, findings: j.findings, notes: j.notes };
    }
    observe(timeline, entry);
  }
}
