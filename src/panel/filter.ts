/**
 * The list's filter, with the Network panel's syntax: words match anywhere (method, URL, status,
 * cause), `status:401`, `method:OPTIONS`, `domain:api.example.com` (`*.example.com` too),
 * `cause:token-expired`, `scheme:bearer`, a leading `-` negates a term, `/regex/` matches the URL
 * and the rest as a regular expression. Every term must match. Pure: test/panel/filter.test.ts.
 */
import { CAUSES } from '../core/verdict/causes.ts';
import { redactUrl } from '../core/redaction/redact-url.ts';
import type { StoredRecord } from '../shared/records.ts';

type Matcher = (r: Row) => boolean;

interface Row {
  method: string;
  url: string;
  host: string;
  status: string;
  causes: string[];
  scheme: string;
  text: string;
}

const KEYS = ['status', 'method', 'domain', 'cause', 'scheme', 'url'] as const;
type Key = (typeof KEYS)[number];

export interface ParsedFilter {
  test(r: StoredRecord): boolean;
  /** Terms that could not be read (a broken /regex/), shown to the user. */
  errors: string[];
}

function row(r: StoredRecord): Row {
  // The list shows URLs masked: the filter matches what the user sees.
  const url = redactUrl(r.entry.request.url);
  let host = '';
  try {
    host = new URL(r.entry.request.url).hostname.toLowerCase();
  } catch {
    // not a URL: no domain to match
  }
  const causes = r.findings.map((f) => f.cause);
  const primary = r.findings[0];
  const auth = r.entry.request.headers.find((h) => h.name.toLowerCase() === 'authorization')?.value.trim() ?? '';
  const scheme = (/^[A-Za-z][\w.-]*/.exec(auth)?.[0] ?? '').toLowerCase();
  const method = r.entry.request.method.toUpperCase();
  const status = String(r.entry.response.status);
  const text = `${method} ${url} ${status} ${primary ? `${primary.cause} ${CAUSES[primary.cause].label} ${primary.title}` : ''}`.toLowerCase();
  return { method, url, host, status, causes, scheme, text };
}

function keyed(key: Key, value: string): Matcher {
  const v = value.toLowerCase();
  switch (key) {
    case 'status':
      // status:401, status:4xx, status:40 (a prefix)
      return (r) => (/x/i.test(v) ? new RegExp(`^${v.replace(/x/gi, '\\d')}$`).test(r.status) : r.status.startsWith(v));
    case 'method':
      return (r) => r.method === v.toUpperCase();
    case 'domain':
      if (v.startsWith('*.')) return (r) => r.host === v.slice(2) || r.host.endsWith(v.slice(1));
      return (r) => r.host === v || (v.includes('*') && new RegExp(`^${v.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(r.host));
    case 'cause':
      return (r) => r.causes.some((c) => c === v || c.startsWith(v) || CAUSES[c as keyof typeof CAUSES].label.toLowerCase() === v);
    case 'scheme':
      return (r) => r.scheme === v;
    case 'url':
      return (r) => r.url.toLowerCase().includes(v);
  }
}

/** Split on spaces outside /…/ (a regex may hold spaces). */
function terms(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (text[i] === ' ') i++;
    if (i >= text.length) break;
    const start = i;
    const neg = text[i] === '-' ? 1 : 0;
    if (text[i + neg] === '/') {
      const end = text.indexOf('/', i + neg + 1);
      // The regex runs to the last "/" before a space (or the end).
      let close = end;
      while (close !== -1 && close + 1 < text.length && text[close + 1] !== ' ') close = text.indexOf('/', close + 1);
      if (close !== -1) {
        out.push(text.slice(start, close + 1));
        i = close + 1;
        continue;
      }
    }
    while (i < text.length && text[i] !== ' ') i++;
    out.push(text.slice(start, i));
  }
  return out;
}

export function parseFilter(input: string): ParsedFilter {
  const errors: string[] = [];
  const matchers: Matcher[] = [];
  for (const raw of terms(input.trim().slice(0, 1000))) {
    let t = raw;
    const negate = t.length > 1 && t.startsWith('-');
    if (negate) t = t.slice(1);
    let m: Matcher | undefined;
    const re = /^\/(.+)\/([imsu]*)$/.exec(t);
    const kv = /^([a-z]+):(.*)$/i.exec(t);
    if (re) {
      try {
        const rx = new RegExp(re[1]!, re[2]!.includes('i') ? re[2]! : `${re[2]!}i`);
        m = (r) => rx.test(r.url) || rx.test(r.text);
      } catch (e) {
        errors.push(`${raw}: ${e instanceof Error ? e.message : 'not a regular expression'}`);
        continue;
      }
    } else if (kv && (KEYS as readonly string[]).includes(kv[1]!.toLowerCase()) && kv[2] !== '') {
      m = keyed(kv[1]!.toLowerCase() as Key, kv[2]!);
    } else {
      const word = t.toLowerCase();
      m = (r) => r.text.includes(word);
    }
    matchers.push(negate ? (r) => !m!(r) : m);
  }
  if (matchers.length === 0) return { test: () => true, errors };
  const cache = new WeakMap<StoredRecord, Row>();
  return {
    errors,
    test(r) {
      let x = cache.get(r);
      if (!x) cache.set(r, (x = row(r)));
      for (const m of matchers) if (!m(x)) return false;
      return true;
    },
  };
}
