/**
 * The record of a re-run and what it says ("fixed by a re-run"): light enough for the panel's
 * list and the background, without the diagnosis code (core/actions/rerun.ts sends and judges re-runs).
 */
import { parseFindings, type Finding } from '../verdict/finding.ts';

export type RerunMode = 'as-sent' | 'without-cookies' | 'edited';

export interface RerunResult {
  at: number;
  mode: RerunMode;
  /**
   * Where it ran: in the inspected page or in the frame that sent the original (same cookies, same
   * origin), or from the extension.
   */
  context: 'page' | 'frame' | 'extension';
  status: number;
  statusText: string;
  /** Diagnosis of the new response when it failed again. */
  findings: Finding[];
  error?: string;
  /**
   * An "as sent" re-run that could not be the same request (core/actions/rerun.ts rerunDifferences): what
   * differed, in words. Its answer says nothing about the original: never "fixed".
   */
  differs?: string[];
}

/** The request a re-run sends: fetch() arguments, so the browser adds its own cookies and origin. */
export interface RerunRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  credentials: 'include' | 'omit';
}

/** What came back (from fetch(), possibly through the page: untrusted until parseOutcome accepts it). */
export interface RerunOutcome {
  status: number;
  statusText: string;
  headers: [string, string][];
  error?: string;
}

const MAX_OUTCOME_HEADERS = 200;

/** An outcome from fetch() in a page the user does not control: checked, bounded, never trusted. */
export function parseOutcome(raw: unknown): RerunOutcome {
  try {
    return readOutcome(raw);
  } catch {
    // A getter that throws, a proxy: whatever the page made of it, it is not an answer.
    return { status: 0, statusText: '', headers: [], error: 'the page returned a malformed answer' };
  }
}

function readOutcome(raw: unknown): RerunOutcome {
  const bad = (why: string): RerunOutcome => ({ status: 0, statusText: '', headers: [], error: why });
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return bad('the page returned no usable answer');
  const o = raw as Record<string, unknown>;
  if (typeof o['error'] === 'string') return bad(o['error'].slice(0, 300));
  const status = o['status'];
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 0 || status > 999) return bad('the page returned a malformed answer');
  const statusText = typeof o['statusText'] === 'string' ? o['statusText'].slice(0, 300) : '';
  const headers: [string, string][] = [];
  if (Array.isArray(o['headers'])) {
    for (const h of o['headers'].slice(0, MAX_OUTCOME_HEADERS)) {
      if (Array.isArray(h) && typeof h[0] === 'string' && typeof h[1] === 'string') headers.push([h[0].slice(0, 256), h[1].slice(0, 16_384)]);
    }
  }
  return { status, statusText, headers };
}

/** A re-run's answer was a success (2xx or 3xx). */
export function rerunSucceeded(r: RerunResult): boolean {
  return r.error === undefined && r.status >= 200 && r.status < 400;
}

/**
 * "Fixed by …" when the latest re-run succeeded; undefined when there is none or the latest failed
 * (a success followed by a 401 is not fixed: the headline follows the latest re-run).
 */
export function fixedBy(reruns: readonly RerunResult[] | undefined): string | undefined {
  const r = reruns?.[reruns.length - 1];
  if (!r || !rerunSucceeded(r)) return undefined;
  // A re-run "as sent" that was not the same request fixed nothing we can name.
  if (r.mode === 'as-sent' && r.differs !== undefined && r.differs.length > 0) return undefined;
  return r.mode === 'as-sent' ? 'a re-run' : r.mode === 'without-cookies' ? 'a re-run without cookies' : 'a re-run with a new Authorization';
}

/** How a re-run is named in a line: "as sent (in the page)". */
export function rerunLabel(r: Pick<RerunResult, 'mode' | 'context'>): string {
  return `${r.mode === 'as-sent' ? 'as sent' : r.mode === 'without-cookies' ? 'without cookies' : 'with a new Authorization'} (${r.context === 'page' ? 'in the page' : r.context === 'frame' ? 'in the frame that sent it' : 'from the extension'})`;
}

const MODES = new Set(['as-sent', 'without-cookies', 'edited']);

/** A re-run result from a message: every field checked, the findings included. */
export function parseRerunResult(v: unknown): RerunResult | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const r = v as Record<string, unknown>;
  const { at, status, statusText, mode, context, error } = r;
  if (typeof at !== 'number' || !Number.isFinite(at)) return undefined;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 0 || status > 999) return undefined;
  if (typeof statusText !== 'string' || statusText.length > 300) return undefined;
  if (typeof mode !== 'string' || !MODES.has(mode) || (context !== 'page' && context !== 'frame' && context !== 'extension')) return undefined;
  if (error !== undefined && (typeof error !== 'string' || error.length > 300)) return undefined;
  const findings = parseFindings(r['findings']);
  if (!findings) return undefined;
  const out: RerunResult = { at, mode: mode as RerunMode, context, status, statusText, findings };
  if (error !== undefined) out.error = error as string;
  const differs = r['differs'];
  if (differs !== undefined) {
    if (!Array.isArray(differs) || differs.length > 20 || !differs.every((d) => typeof d === 'string' && d.length <= 500)) return undefined;
    out.differs = differs as string[];
  }
  return out;
}
