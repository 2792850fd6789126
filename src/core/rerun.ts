/**
 * Re-running a failed request (DESIGN.md, "Actions"): the request to send, what the answer
 * says, and the record of it. The panel sends it (in the inspected page or from the extension);
 * the background keeps the result beside the original failure; the list, the detail and the
 * popup say "fixed" from here.
 */
import { judge } from './diagnose.ts';
import { harEntry } from './exchange.ts';
import { isFailureResponse } from './facts.ts';
import type { HarEntry } from './har-types.ts';
import { emptyTimeline } from './timeline.ts';
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
  const r: RerunRequest = { url: entry.request.url, method: entry.request.method, headers, credentials: mode === 'without-cookies' || options.withBrowserCredentials === false ? 'omit' : 'include' };
  const body = options.body ?? entry.request.postData?.text;
  if (body !== undefined && body !== '' && !isSafeMethod(entry.request.method)) r.body = body;
  return r;
}

/** Whether a re-run's answer is still an auth failure (the same test as capture's, 403s included). */
export function stillFails(outcome: RerunOutcome): boolean {
  return isFailureResponse(outcome.status, outcome.headers.map(([name]) => ({ name })), { include403: true });
}

/**
 * The exchange of a re-run, for its diagnosis: what was sent and what the response showed
 * (the cookies the browser attached are not visible to fetch()). Judged with the original's
 * context and settings.
 */
export function rerunEntry(original: HarEntry, request: RerunRequest, outcome: RerunOutcome, at: number): HarEntry {
  const why = original._why401;
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
    findings: outcome.error === undefined && stillFails(outcome) ? judge(rerunEntry(original, request, outcome, at), emptyTimeline(), { include403: true }).findings : [],
  };
  if (outcome.error !== undefined) result.error = outcome.error;
  return result;
}
