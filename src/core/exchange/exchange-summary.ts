/**
 * What changed since it last worked: a compact summary of a request that succeeded (kept on the
 * tab's timeline, bounded, no secret values), and its difference from a failure — headers added,
 * removed or changed, cookies gone, new or replaced, the token replaced or its claims changed,
 * the redirect path changed. Secret values appear only as the 8-hex tags masks already show
 * (`[redacted: … #1a2b3c4d]`), and only for values long enough that a tag cannot help guess them.
 */
import { parseCookieHeader } from '../cookies/cookies.ts';
import { tagOf, TAGGABLE_TOKEN } from '../tokens/fingerprint.ts';
import type { HarEntry } from './har-types.ts';
import { inspectToken } from '../tokens/jwt.ts';
import { redactHeaderValue } from '../redaction/redact.ts';
import { endpointOf } from '../redaction/redact-url.ts';
import { iso, parseTime } from '../verdict/time.ts';
import type { ExchangeSummary } from './har-types.ts';
export type { ExchangeSummary } from './har-types.ts';


/** Headers that change on every request and say nothing about authentication. */
const NOISE = /^(content-length|traceparent|tracestate|baggage|sentry-trace|x-request-id|x-correlation-id|priority|if-none-match|if-modified-since|x-datadog-.*|sec-ch-.*|sec-fetch-.*|cookie|authorization)$/;
const MAX_HEADERS = 40;
const MAX_VALUE = 200;
const CLAIMS = ['iss', 'aud', 'scope', 'scp', 'exp', 'nbf', 'iat', 'azp', 'client_id'] as const;

function tag(value: string): string {
  return TAGGABLE_TOKEN.test(value) || value.length >= 16 ? `#${tagOf(value)}` : `${value.length} chars`;
}

function claimText(v: unknown): string | undefined {
  if (typeof v === 'string') return v.slice(0, MAX_VALUE);
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join(' ').slice(0, MAX_VALUE);
  return undefined;
}

/**
 * The same credential is sent on request after request: its summary (a JWT decoded, its times
 * formatted) is made once. Kept in memory only, a few at a time; the summaries hold no secret.
 */
const authSummaries = new Map<string, NonNullable<ExchangeSummary['auth']>>();
const AUTH_SUMMARIES = 16;

function authSummary(auth: string): NonNullable<ExchangeSummary['auth']> {
  const known = authSummaries.get(auth);
  if (known) return { ...known, ...(known.claims ? { claims: { ...known.claims } } : {}) };
  const space = auth.search(/\s/);
  const scheme = space === -1 ? '' : auth.slice(0, space).toLowerCase().slice(0, 24);
  const token = space === -1 ? auth : auth.slice(space + 1).trim();
  const out: NonNullable<ExchangeSummary['auth']> = { scheme, tag: tag(auth) };
  const info = scheme === 'basic' ? undefined : inspectToken(token);
  if (info?.kind === 'jwt' && info.claims) {
    const claims: Record<string, string> = {};
    for (const k of CLAIMS) {
      const v = info.claims[k];
      // Times as people read them (and as every other time in an explanation).
      const t = (k === 'exp' || k === 'nbf' || k === 'iat') && typeof v === 'number' && Number.isFinite(v) ? iso(v * 1000) : claimText(v);
      if (t !== undefined) claims[k] = t;
    }
    out.claims = claims;
  }
  if (authSummaries.size >= AUTH_SUMMARIES) authSummaries.delete(authSummaries.keys().next().value!);
  authSummaries.set(auth, out);
  return { ...out, ...(out.claims ? { claims: { ...out.claims } } : {}) };
}

export function summarizeExchange(entry: HarEntry): ExchangeSummary {
  const req = entry.request;
  const headers: Record<string, string> = {};
  let n = 0;
  let cookieHeader = '';
  let auth: string | undefined;
  for (const h of req.headers) {
    const name = h.name.toLowerCase();
    if (name === 'cookie') cookieHeader = cookieHeader ? `${cookieHeader}; ${h.value}` : h.value;
    else if (name === 'authorization') auth ??= h.value.trim();
    if (NOISE.test(name) || name.startsWith(':') || n >= MAX_HEADERS || Object.hasOwn(headers, name)) continue;
    // The same mask the panel and exports show for it (a credential header's carries its tag).
    const shown = redactHeaderValue(h.name, h.value);
    headers[name] = shown.length > MAX_VALUE ? `${shown.slice(0, MAX_VALUE)}…` : shown;
    n++;
  }
  const cookies: Record<string, string> = {};
  for (const c of parseCookieHeader(cookieHeader).slice(0, MAX_HEADERS)) if (c.name !== '__proto__') cookies[c.name] = tag(c.value);
  const out: ExchangeSummary = { at: parseTime(entry.startedDateTime), method: req.method.toUpperCase().slice(0, 32), url: endpointOf(req.url), status: entry.response.status, headers, cookies };
  if (auth) out.auth = authSummary(auth);
  const chain = entry._why401?.redirectChain;
  if (chain && chain.length > 0) out.redirects = chain.slice(0, 20).map((h) => endpointOf(h.url));
  return out;
}

export type Change =
  | { kind: 'header'; name: string; before?: string; after?: string }
  | { kind: 'cookie'; name: string; before?: string; after?: string }
  | { kind: 'credentials'; before?: string; after?: string; note: string }
  | { kind: 'claim'; name: string; before?: string; after?: string }
  | { kind: 'redirects'; before: string[]; after: string[] };

/** What differs between the last success and a failure, most telling first (credentials, cookies, headers). */
export function diffSummaries(then: ExchangeSummary, now: ExchangeSummary): Change[] {
  const out: Change[] = [];
  const a = then.auth;
  const b = now.auth;
  if (a && !b) out.push({ kind: 'credentials', before: `${a.scheme || 'a bare credential'} ${a.tag}`, note: 'Authorization was sent then, not now' });
  else if (!a && b) out.push({ kind: 'credentials', after: `${b.scheme || 'a bare credential'} ${b.tag}`, note: 'Authorization is sent now, not then' });
  else if (a && b) {
    if (a.scheme !== b.scheme) out.push({ kind: 'credentials', before: a.scheme, after: b.scheme, note: 'another scheme' });
    else if (a.tag !== b.tag) out.push({ kind: 'credentials', before: `${a.scheme} ${a.tag}`.trim(), after: `${b.scheme} ${b.tag}`.trim(), note: 'the token was replaced' });
    const names = new Set([...Object.keys(a.claims ?? {}), ...Object.keys(b.claims ?? {})]);
    for (const k of names) {
      const x = a.claims?.[k];
      const y = b.claims?.[k];
      if (x !== y) out.push({ kind: 'claim', name: k, ...(x !== undefined ? { before: x } : {}), ...(y !== undefined ? { after: y } : {}) });
    }
  }
  for (const name of new Set([...Object.keys(then.cookies), ...Object.keys(now.cookies)])) {
    const x = then.cookies[name];
    const y = now.cookies[name];
    if (x !== y) out.push({ kind: 'cookie', name, ...(x !== undefined ? { before: x } : {}), ...(y !== undefined ? { after: y } : {}) });
  }
  for (const name of new Set([...Object.keys(then.headers), ...Object.keys(now.headers)])) {
    const x = then.headers[name];
    const y = now.headers[name];
    if (x !== y) out.push({ kind: 'header', name, ...(x !== undefined ? { before: x } : {}), ...(y !== undefined ? { after: y } : {}) });
  }
  const ra = then.redirects ?? [];
  const rb = now.redirects ?? [];
  if (ra.join('\n') !== rb.join('\n')) out.push({ kind: 'redirects', before: ra, after: rb });
  return out;
}

/** The same endpoint: method, origin and path. */
export function sameEndpoint(a: Pick<ExchangeSummary, 'method' | 'url'>, b: Pick<ExchangeSummary, 'method' | 'url'>): boolean {
  return a.method === b.method && a.url === b.url;
}

// ---- read back from a file or storage (untrusted) ----

function rec(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function strings(v: unknown, max: number): Record<string, string> | undefined {
  if (!rec(v)) return undefined;
  const out: Record<string, string> = {};
  let n = 0;
  for (const [k, x] of Object.entries(v)) {
    if (n >= max) break;
    if (typeof x !== 'string' || k === '__proto__' || k.length > 256) continue;
    out[k] = x.slice(0, MAX_VALUE);
    n++;
  }
  return out;
}

export function readSummary(v: unknown): ExchangeSummary | undefined {
  if (!rec(v)) return undefined;
  const at = v['at'] === null ? Number.NaN : v['at'];
  const { method, url, status } = v;
  if (typeof at !== 'number' || typeof method !== 'string' || typeof url !== 'string' || typeof status !== 'number') return undefined;
  const headers = strings(v['headers'], MAX_HEADERS);
  const cookies = strings(v['cookies'], MAX_HEADERS);
  if (!headers || !cookies) return undefined;
  const out: ExchangeSummary = { at, method: method.slice(0, 32), url: url.slice(0, 4096), status, headers, cookies };
  const auth = v['auth'];
  if (rec(auth) && typeof auth['scheme'] === 'string' && typeof auth['tag'] === 'string') {
    out.auth = { scheme: auth['scheme'].slice(0, 24), tag: auth['tag'].slice(0, 40) };
    const claims = strings(auth['claims'], CLAIMS.length);
    if (claims) out.auth.claims = claims;
  }
  if (Array.isArray(v['redirects'])) out.redirects = v['redirects'].filter((x): x is string => typeof x === 'string').slice(0, 20).map((x) => x.slice(0, 4096));
  return out;
}
