/**
 * Shared phrasing and evidence for the rules, so every explanation names things the same way
 * and every quoted value goes through redaction.
 */
import type { Challenge } from '../auth/challenges.ts';
import type { Facts } from '../verdict/facts.ts';
import type { Evidence } from '../verdict/finding.ts';
import { firstHeader, headerValues } from '../auth/headers.ts';
import { redactAuthorization } from '../redaction/redact.ts';
import { escapeControls } from '../auth/syntax.ts';
import { iso } from '../verdict/time.ts';
import { HEADER_SCHEMES } from '../redaction/vocabulary.ts';

const SCHEME_NAMES: Record<string, string> = {
  basic: 'Basic',
  bearer: 'Bearer',
  digest: 'Digest',
  dpop: 'DPoP',
  negotiate: 'Negotiate',
  ntlm: 'NTLM',
  hoba: 'HOBA',
  mutual: 'Mutual',
  'aws4-hmac-sha256': 'AWS4-HMAC-SHA256',
};

/** The scheme as people write it ("Bearer", "DPoP"). */
export function schemeName(scheme: string): string {
  return SCHEME_NAMES[scheme] ?? (scheme.length > 0 ? scheme.charAt(0).toUpperCase() + scheme.slice(1) : '(none)');
}

/** Quote text from the network for an explanation: bounded, control characters escaped. */
export function quote(text: string, max = 160): string {
  const t = text.length > max ? `${text.slice(0, max)}…` : text;
  return `"${escapeControls(t)}"`;
}

/** `Bearer realm="api", scope="read"` for one challenge. */
export function describeChallenge(c: Challenge): string {
  const parts: string[] = [];
  for (const key of ['realm', 'scope', 'error']) {
    const v = Object.hasOwn(c.params, key) ? c.params[key] : undefined;
    if (v !== undefined) parts.push(`${key} ${quote(v, 80)}`);
  }
  return parts.length > 0 ? `${schemeName(c.scheme)} (${parts.join(', ')})` : schemeName(c.scheme);
}

/** "Bearer (realm "api") or Basic". */
export function describeOffered(f: Facts): string {
  const shown = f.challenges.slice(0, 4).map(describeChallenge);
  const more = f.challenges.length > 4 ? ` and ${f.challenges.length - 4} more` : '';
  if (shown.length <= 1) return (shown[0] ?? 'nothing') + more;
  return `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}${more}`;
}

export function offeredSchemes(f: Facts): Set<string> {
  return new Set(f.challenges.map((c) => c.scheme));
}

export function realmOf(f: Facts): string | undefined {
  for (const c of f.challenges) {
    if (Object.hasOwn(c.params, 'realm')) return c.params['realm'];
  }
  return undefined;
}

/** Path and query for a short mention; the whole (redacted) URL when cross-origin. */
export function shortUrl(f: Facts): string {
  const u = f.urlParts;
  if (!u) return f.shownUrl;
  try {
    const shown = new URL(f.shownUrl);
    return `${shown.host}${shown.pathname}`;
  } catch {
    return `${u.host}${u.pathname}`;
  }
}

export function timeKnown(f: Facts): boolean {
  return !Number.isNaN(f.at);
}

/** "at 10:00 UTC" for plain words. */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return 'an unknown time';
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')} UTC`;
}

// ---- evidence ----

export function statusEvidence(f: Facts): Evidence {
  return { kind: 'status', label: 'Status', value: `${f.status}${f.statusText ? ` ${f.statusText.slice(0, 80)}` : ''}` };
}

export function challengeEvidence(f: Facts): Evidence {
  const values = headerValues(f.entry.response.headers, f.challengeHeader);
  if (values.length === 0) return { kind: 'response-header', label: f.challengeHeader, note: 'absent' };
  const joined = values.join(', ');
  return {
    kind: 'challenge',
    label: f.challengeHeader,
    value: joined.length > 400 ? `${joined.slice(0, 400)}… (${joined.length} characters)` : joined,
  };
}

export function credentialsEvidence(f: Facts): Evidence {
  const raw = firstHeader(f.entry.request.headers, f.credentialHeader);
  if (raw === undefined) return { kind: 'request-header', label: f.credentialHeader, note: 'not sent' };
  return { kind: 'credentials', label: f.credentialHeader, value: redactAuthorization(raw) };
}

export function claimEvidence(name: string, seconds: number, note?: string): Evidence {
  const e: Evidence = { kind: 'claim', label: name, value: `${seconds} (${iso(seconds * 1000)})` };
  if (note) e.note = note;
  return e;
}

export function statedDescription(f: Facts): string {
  const d = f.stated?.view.errorDescription;
  return d ? `: ${quote(d)}` : '';
}

export function cookieNames(names: readonly string[], max = 4): string {
  const q = names.slice(0, max).map((n) => `"${n.slice(0, 60)}"`);
  const more = names.length > max ? ` and ${names.length - max} more` : '';
  return q.join(', ') + more;
}

/** Schemes whose credentials travel in a header, not in a cookie. */

/** The server's challenge asks for a header credential (and nothing cookie-like). */
export function asksForHeader(f: Facts): boolean {
  return f.challenges.length > 0 && f.challenges.every((c) => HEADER_SCHEMES.has(c.scheme));
}
