/**
 * Re-running a failed request (DESIGN.md, "Actions"): the request to send, what the answer
 * says, and the record of it. The panel sends it (in the inspected page or from the extension);
 * the background keeps the result beside the original failure; the list, the detail and the
 * popup say "fixed" from here.
 */
import type { NotSentReason } from '../cookies/cookies.ts';
import { NOT_SENT_REASON_TEXT } from '../cookies/cookie-words.ts';
import { factsOf, judge } from '../verdict/diagnose.ts';
import { hasHeader } from '../auth/headers.ts';
import { harEntry } from '../exchange/exchange.ts';
import { isFailureResponse } from '../verdict/facts.ts';
import type { HarEntry } from '../exchange/har-types.ts';
import { emptyTimeline } from '../exchange/timeline.ts';
import { headerPolicy } from './reproduce.ts';
import type { RerunMode, RerunOutcome, RerunRequest, RerunResult } from './rerun-result.ts';

export type { RerunMode, RerunOutcome, RerunRequest, RerunResult } from './rerun-result.ts';

/** Methods whose effects do not happen twice (RFC 9110 §9.2.1 safe methods): no confirmation needed. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method.toUpperCase());
}

/** The request of a re-run: the original's headers minus those the browser sets, Authorization replaced when edited. */
/**
 * `withBrowserCredentials: false` sends no cookie or cached credential of the browser whatever the
 * mode: an imported request's re-run carries them only when the user chose it for that re-run.
 */
export function rerunRequest(entry: HarEntry, mode: RerunMode, options: { authorization?: string; body?: string; withBrowserCredentials?: boolean } = {}): RerunRequest {
  const headers: Record<string, string> = {};
  for (const h of entry.request.headers) {
    if (headerPolicy(h.name) !== 'copy') continue;
    if (mode === 'edited' && h.name.toLowerCase() === 'authorization') continue;
    headers[h.name] = h.value;
  }
  const auth = options.authorization?.trim();
  if (mode === 'edited' && auth) headers['Authorization'] = auth;
  // "As sent" sends cookies only when the original carried them (fetch's credentials mode as it
  // was: a request that went without cookies goes without them again); unknown for a light capture.
  const sentCookies = hasHeader(entry.request.headers, 'cookie') || entry._why401?.capture === 'light';
  const omit = mode === 'without-cookies' || options.withBrowserCredentials === false || (mode === 'as-sent' && !sentCookies && options.withBrowserCredentials !== true);
  const r: RerunRequest = { url: entry.request.url, method: entry.request.method, headers, credentials: omit ? 'omit' : 'include' };
  const body = options.body ?? entry.request.postData?.text;
  if (body !== undefined && body !== '' && !isSafeMethod(entry.request.method)) r.body = body;
  return r;
}

/** The reasons a cookie was withheld that another context (the extension, the top frame) may not apply. */
const CONTEXT_BOUND: ReadonlySet<NotSentReason> = new Set(['samesite-strict', 'samesite-lax', 'samesite-unspecified-lax', 'samesite-none-insecure', 'third-party', 'partitioned-elsewhere', 'partitioned-by-browser']);

/**
 * What an "as sent" re-run cannot send as the original was sent, in words (empty: the same
 * request). In the frame that sent the original the browser judges cookies as it did then. From
 * the extension (or the top frame, for a request a frame made) it judges them in another context:
 * a cookie it withheld from the original (SameSite, third-party, partition) may go along now, and
 * the answer would say nothing about the original.
 */
export function rerunDifferences(entry: HarEntry, where: RerunResult['context'], request: Pick<RerunRequest, 'credentials'>): string[] {
  if (request.credentials === 'omit' || where === 'frame') return [];
  const f = factsOf(entry);
  const frame = entry._why401?.frameId;
  const otherContext = where === 'extension' || (frame !== undefined && frame !== 0);
  if (!otherContext) return [];
  const out: string[] = [];
  for (const h of f.heldNotSent) {
    if (h.reason === undefined || !CONTEXT_BOUND.has(h.reason)) continue;
    out.push(`"${h.cookie.name}" was withheld from the original (${NOT_SENT_REASON_TEXT[h.reason]}); ${where === 'extension' ? 'sent from the extension' : 'sent from the top frame'}, it may go along`);
  }
  return out.slice(0, 20);
}

/** Whether a re-run's answer is still an auth failure (the same test as capture's, 403s included). */
export function stillFails(outcome: RerunOutcome): boolean {
  return isFailureResponse(outcome.status, outcome.headers.map(([name]) => ({ name })), { include403: true });
}

/**
 * The exchange of a re-run, for its diagnosis: what was sent and what the response showed, judged
 * with the original's context and settings. The cookies the browser attached are not visible to
 * fetch(): a re-run with credentials is judged as a light capture (its Cookie header unseen). Where
 * it ran in the original's own context (the frame that sent it, or the page for a top-frame
 * request) it carries the original's jar, so the browser's rules infer what went, as they decided
 * then; from elsewhere what went is not known, and nothing claims it.
 */
export function rerunEntry(original: HarEntry, request: RerunRequest, outcome: RerunOutcome, at: number, where: RerunResult['context'] = 'extension'): HarEntry {
  const why = original._why401;
  const sameContext = where === 'frame' || (where === 'page' && (why?.frameId ?? 0) === 0);
  const withCookies = request.credentials === 'include';
  return harEntry({
    startedDateTime: new Date(at).toISOString(),
    method: request.method,
    url: request.url,
    requestHeaders: Object.entries(request.headers).map(([name, value]) => ({ name, value })),
    status: outcome.status,
    statusText: outcome.statusText,
    responseHeaders: outcome.headers.map(([name, value]) => ({ name, value })),
    why: {
      ...(why?.type !== undefined ? { type: why.type } : {}),
      ...(why?.initiator !== undefined ? { initiator: why.initiator } : {}),
      ...(why?.topLevelUrl !== undefined ? { topLevelUrl: why.topLevelUrl } : {}),
      ...(why?.context ? { context: why.context } : {}),
      ...(why?.options ? { options: why.options } : {}),
      ...(withCookies ? { capture: 'light' as const } : {}),
      ...(withCookies && sameContext && why?.cookieJar ? { cookieJar: why.cookieJar } : {}),
      ...(sameContext && why?.frameId !== undefined ? { frameId: why.frameId } : {}),
    },
  });
}

/** The record of a re-run. */
export function rerunResult(original: HarEntry, mode: RerunMode, where: RerunResult['context'], request: RerunRequest, outcome: RerunOutcome, at: number = Date.now()): RerunResult {
  const result: RerunResult = {
    at,
    mode,
    context: where,
    status: outcome.status,
    statusText: outcome.statusText,
    findings: outcome.error === undefined && stillFails(outcome) ? judge(rerunEntry(original, request, outcome, at, where), emptyTimeline(), { include403: true }).findings : [],
  };
  if (outcome.error !== undefined) result.error = outcome.error;
  if (mode === 'as-sent') {
    const differs = rerunDifferences(original, where, request);
    if (differs.length > 0) result.differs = differs;
  }
  return result;
}
