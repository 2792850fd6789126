/** Build HAR entries for tests without repeating the boilerplate. */
import type { Har, HarEntry, HarHeader, JarCookie, Why401Fields } from '../../src/core/exchange/har-types.ts';

export interface EntrySpec {
  method?: string;
  url?: string;
  status?: number;
  statusText?: string;
  at?: string;
  req?: Record<string, string | string[]>;
  res?: Record<string, string | string[]>;
  body?: string;
  mimeType?: string;
  resourceType?: string;
  why?: Why401Fields;
  jar?: JarCookie[];
  /** A form-encoded request body (application/x-www-form-urlencoded). */
  form?: Record<string, string>;
}

function headers(spec: Record<string, string | string[]> | undefined): HarHeader[] {
  const out: HarHeader[] = [];
  for (const [name, value] of Object.entries(spec ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) out.push({ name, value: v });
  }
  return out;
}

export function entry(spec: EntrySpec = {}): HarEntry {
  const e: HarEntry = {
    startedDateTime: spec.at ?? '2025-06-01T12:00:00.000Z',
    time: 10,
    request: {
      method: spec.method ?? 'GET',
      url: spec.url ?? 'https://api.example.com/v1/me',
      httpVersion: 'HTTP/1.1',
      headers: headers(spec.req),
      cookies: [],
      queryString: [],
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status: spec.status ?? 401,
      statusText: spec.statusText ?? '',
      httpVersion: 'HTTP/1.1',
      headers: headers(spec.res),
      cookies: [],
      content: { size: spec.body?.length ?? 0, mimeType: spec.mimeType ?? 'application/json', ...(spec.body !== undefined ? { text: spec.body } : {}) },
      redirectURL: '',
      headersSize: -1,
      bodySize: 0,
    },
    cache: {},
    timings: { send: 0, wait: 10, receive: 0 },
  };
  if (spec.form) {
    const text = new URLSearchParams(spec.form).toString();
    e.request.postData = { mimeType: 'application/x-www-form-urlencoded', text };
    e.request.bodySize = text.length;
  }
  if (spec.resourceType) e._resourceType = spec.resourceType;
  if (spec.why || spec.jar) e._why401 = { ...spec.why, ...(spec.jar ? { cookieJar: spec.jar } : {}) };
  return e;
}

export function har(entries: HarEntry[]): Har {
  return { log: { version: '1.2', creator: { name: 'test', version: '1' }, entries } };
}

/** base64url without padding, for building JWTs in tests. */
export function b64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

export function jwt(claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT' }): string {
  return `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}.c2lnbmF0dXJlLWJ5dGVz`;
}

/** Seconds since the epoch for an ISO time. */
export function sec(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

export function jarCookie(spec: Partial<JarCookie> & { name: string; domain: string }): JarCookie {
  return {
    value: 'secret-cookie-value',
    hostOnly: true,
    path: '/',
    secure: true,
    httpOnly: true,
    sameSite: 'lax',
    session: true,
    ...spec,
  };
}

import { diagnoseTimeline, type DiagnosedFailure } from '../../src/core/verdict/diagnose.ts';
import type { DiagnoseOptions } from '../../src/core/verdict/facts.ts';

/** Diagnose a sequence of entries and return the last failure (the one a test is about). */
export function lastFailure(entries: HarEntry[], options: DiagnoseOptions = {}): DiagnosedFailure {
  const all = [...diagnoseTimeline(entries.map((e, index) => ({ index, entry: e })), options)];
  const last = all[all.length - 1];
  if (!last) throw new Error('no failure in these entries');
  return last;
}

/** Cause ids of the last failure, most likely first. */
export function causes(entries: HarEntry[], options: DiagnoseOptions = {}): string[] {
  return lastFailure(entries, options).findings.map((f) => f.cause);
}

export function primary(entries: HarEntry[], options: DiagnoseOptions = {}) {
  return lastFailure(entries, options).findings[0]!;
}
