/**
 * The automation hook and the HAR export: a tab's failures as HAR entries (each with the
 * diagnosis the extension showed in `_why401.findings`), preceded by context entries rebuilt
 * from the timeline summaries (a cookie set or deleted, a request that carried a session
 * cookie, a token that got 200), so that `why401 explain` on the export reaches the same
 * verdicts. Redacted unless the caller includes secrets; the log's comment says what was
 * masked.
 */
import type { Har, HarEntry, HarHeader } from '../core/har-types.ts';
import { RedactionReceipt, redactEntry } from '../core/redact.ts';
import { iso } from '../core/time.ts';
import type { CookieEvent, Timeline } from '../core/timeline.ts';
import type { StoredRecord, TabMeta } from '../shared/records.ts';

function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

function contextEntry(at: number, method: string, url: string, status: number, req: HarHeader[], res: HarHeader[], note: string): HarEntry {
  return {
    startedDateTime: iso(at),
    time: 0,
    request: { method, url, httpVersion: '', headers: req, cookies: [], queryString: [], headersSize: -1, bodySize: -1 },
    response: { status, statusText: '', httpVersion: '', headers: res, cookies: [], content: { size: -1, mimeType: '' }, redirectURL: '', headersSize: -1, bodySize: -1 },
    cache: {},
    timings: { send: 0, wait: 0, receive: 0 },
    _why401: { type: 'context' },
    ...({ comment: note } as Record<string, string>),
  };
}

/** A Set-Cookie that reproduces what the browser did with the original (the value is not kept). */
function setCookieFor(e: CookieEvent): string {
  const parts = [`${e.name}=[not kept]`];
  if (!e.hostOnly) parts.push(`Domain=${e.domain}`);
  parts.push(`Path=${e.path}`);
  if (e.action === 'delete') parts.push('Max-Age=0');
  else if (e.expiresAt !== null) parts.push(`Expires=${httpDate(e.expiresAt)}`);
  if (e.secure) parts.push('Secure');
  if (e.httpOnly) parts.push('HttpOnly');
  if (e.sameSite !== 'unspecified') parts.push(`SameSite=${e.sameSite[0]!.toUpperCase()}${e.sameSite.slice(1)}`);
  if (e.partitioned) parts.push('Partitioned');
  return parts.join('; ');
}

export function contextEntries(timeline: Timeline): HarEntry[] {
  const out: HarEntry[] = [];
  for (const e of timeline.cookieEvents) {
    // Cookies set by a failed response travel with that failure's own entry.
    if (e.status >= 400) continue;
    out.push(
      contextEntry(e.at, e.method, e.url, e.status, [], [{ name: 'Set-Cookie', value: setCookieFor(e) }, { name: 'Date', value: httpDate(e.at) }], `context: Set-Cookie ${e.name} (${e.action})`),
    );
  }
  for (const s of timeline.sentCookies) {
    out.push(contextEntry(s.at, 'GET', s.url, 200, [{ name: 'Cookie', value: `${s.name}=[not kept]` }], [], `context: cookie ${s.name} sent`));
  }
  for (const u of timeline.tokenUses) {
    if (!u.shown) continue;
    out.push(contextEntry(u.at, 'GET', u.url, u.status, [{ name: 'Authorization', value: u.shown }], [], 'context: these credentials succeeded'));
  }
  for (const r of timeline.redirects) {
    out.push(
      contextEntry(r.at, 'GET', r.from, r.status, r.authorizationSent ? [{ name: 'Authorization', value: '[not kept]' }] : [], [{ name: 'Location', value: r.to }], 'context: redirect'),
    );
  }
  return out;
}

export function exportHar(meta: TabMeta | undefined, records: readonly StoredRecord[], includeSecrets: boolean, version: string): Har {
  const receipt = new RedactionReceipt();
  const failures = records.map((r) => {
    const base: HarEntry = { ...r.entry, _why401: { ...r.entry._why401, findings: r.findings } };
    return includeSecrets ? base : redactEntry(base, receipt);
  });
  const context = meta ? contextEntries(meta.timeline) : [];
  // Context first on equal times: a failure is judged on what came before it.
  const all = [...context.map((e) => ({ e, k: 0 })), ...failures.map((e) => ({ e, k: 1 }))];
  all.sort((a, b) => Date.parse(a.e.startedDateTime) - Date.parse(b.e.startedDateTime) || a.k - b.k);
  const comment = includeSecrets
    ? 'Exported by Why 401 WITH SECRETS: tokens, passwords and cookie values are included as captured. Share with care.'
    : `Exported by Why 401. Secrets were masked (${receipt.lines().join('; ') || 'none found'}). Entries with _why401.type "context" are summaries of earlier traffic that explain the failures; cookie values there were never kept.`;
  return {
    log: {
      version: '1.2',
      creator: { name: 'Why 401', version },
      entries: all.map((x) => x.e),
      comment,
    },
  };
}
