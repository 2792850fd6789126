/**
 * The light view model: what the panel's list, its filter, the popup and the options page show of
 * a failure, decided here so that no view computes it (a cause's label and colour, "fixed", the
 * row's path and host, every time format). No Public Suffix List, no diagnosis: the panel's first
 * paint and the popup load it. The detail's model is `core/views/detail.ts`.
 */
import { CAUSES, CAUSE_IDS, type CauseId, type Severity } from '../verdict/causes.ts';
import type { Finding } from '../verdict/finding.ts';
import type { HarEntry } from '../exchange/har-types.ts';
import { readableMasks, redactUrl } from '../redaction/redact-url.ts';
import { fixedBy, type RerunResult } from '../actions/rerun-result.ts';
import { escapeControls } from '../auth/syntax.ts';
import { iso } from '../verdict/time.ts';
import { parseUrl } from '../exchange/url.ts';

export type { CauseId, Severity } from '../verdict/causes.ts';

/** A cause as the UI shows it: a few words, a colour, what the id means. */
export interface CauseView {
  id: CauseId;
  label: string;
  severity: Severity;
  meaning: string;
}

export function causeView(id: CauseId): CauseView {
  const c = CAUSES[id];
  return { id, label: c.label, severity: c.severity, meaning: c.meaning };
}

/** Every cause, in the order the filter lists them. */
export const CAUSE_CHOICES: readonly CauseView[] = CAUSE_IDS.map(causeView);

/** Network text made safe to show: control, bidi and zero-width characters become visible escapes. */
export function safeText(text: string): string {
  return escapeControls(text);
}

/**
 * Every time the UI shows is UTC, as every sentence core writes is ("2025-06-01T11:00:00Z"):
 * the list's column shows the clock part with milliseconds ("11:00:00.123Z"), the tooltip the
 * whole instant. One zone everywhere, so a row, its verdict and an export agree.
 */
export function clockTime(ms: number): { text: string; iso: string } | undefined {
  const d = new Date(ms);
  if (!Number.isFinite(ms) || Number.isNaN(d.getTime())) return undefined;
  const full = d.toISOString();
  return { text: `${full.slice(11, 23)}Z`, iso: full };
}

export { iso } from '../verdict/time.ts';

/** "just now", "12 s ago", "3 min ago", "2 h ago", "3 days ago": how long before `now`. */
export function ago(ms: number, now: number): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 10) return 'just now';
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  return h < 48 ? `${h} h ago` : `${Math.round(h / 24)} days ago`;
}

/** A failure's URL for a row: the path (with its query, masked) first, then the host beside it. */
export interface UrlView {
  /** Path and query, secrets masked ("/s/bearer?access_token=[redacted…]"). */
  path: string;
  /** Host and port ("api.test:4401"); empty when the URL cannot be read. */
  host: string;
  /** Whether the host differs from the page's (then the row shows it). */
  crossOrigin: boolean;
  /** The whole URL, masked: the tooltip. */
  full: string;
}

export function urlView(url: string, pageOrigin?: string): UrlView {
  // Tokens in the query string are secrets: the list shows them masked (reveal is in the detail).
  const masked = redactUrl(url);
  const u = parseUrl(masked);
  if (!u) return { path: readableMasks(masked), host: '', crossOrigin: false, full: readableMasks(masked) };
  return { path: readableMasks(`${u.pathname}${u.search}`), host: u.host, crossOrigin: pageOrigin === undefined || u.origin !== pageOrigin, full: readableMasks(masked) };
}

/** What a record is, for the list and the popup (both render only this). */
export interface RowView {
  method: string;
  status: number;
  url: UrlView;
  time: { text: string; iso: string } | undefined;
  /** The most likely cause, if any. */
  cause: CauseView | undefined;
  /** "a re-run", … when the latest re-run succeeded (core/actions/rerun-result.ts judges it). */
  fixed: string | undefined;
  /** The row's colour: "ok" once fixed. */
  severity: Severity | 'ok' | 'info';
  /** The tooltip: the verdict's headline. */
  title: string;
}

/** A failure's one-line title: its first finding's, or what stands in for one. */
export function titleOf(r: { findings: readonly Finding[]; pending?: true | undefined }): string {
  return r.findings[0]?.title ?? (r.pending ? 'Judging: reading the cookies the browser held…' : 'No explanation');
}

export function rowOf(r: { at: number; entry: HarEntry; findings: readonly Finding[]; reruns?: readonly RerunResult[] | undefined; pending?: true | undefined }, pageOrigin?: string): RowView {
  const primary = r.findings[0];
  const fixed = fixedBy(r.reruns);
  const cause = primary ? causeView(primary.cause) : undefined;
  return {
    method: r.entry.request.method,
    status: r.entry.response.status,
    url: urlView(r.entry.request.url, pageOrigin),
    time: clockTime(r.at),
    cause,
    fixed,
    severity: fixed ? 'ok' : (cause?.severity ?? 'info'),
    title: fixed ? `Fixed by ${fixed}` : titleOf(r),
  };
}

/**
 * Whether "Clear cookies" is the fix to lead with for a tab's latest failures: only when one of
 * their causes lists it among its fixes (a dead or blocked session). A token-format bug or a
 * preflight is not fixed by signing out.
 */
export function clearingHelps(causes: readonly CauseId[]): boolean {
  return causes.some((c) => CAUSES[c].actions.includes('clear-site-cookies'));
}
