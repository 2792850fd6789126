/**
 * "Copy as cURL" and "Copy as fetch" for an exchange, redacted unless the user includes secrets
 * for that one copy. Every value is quoted for the shell it targets, so a captured header can
 * never break out of the command.
 */
import type { HarEntry } from '../exchange/har-types.ts';
import { RedactionReceipt, redactEntry } from '../redaction/redact.ts';

/**
 * Which request headers a copy or a re-run carries: the one list of them.
 * - 'transport': the connection's own (Host, Content-Length, HTTP/2 pseudo-headers…): no copy
 *   carries them, the client makes its own.
 * - 'browser': headers fetch() may not set (Fetch standard "forbidden request-header": Cookie,
 *   Origin, Referer, Sec-*, Proxy-*…) or that the browser always sets itself (User-Agent): a cURL
 *   command carries them, fetch() and a re-run do not (the browser adds its own).
 * - 'copy': everything else.
 */
export type HeaderPolicy = 'transport' | 'browser' | 'copy';

const TRANSPORT = new Set(['host', 'content-length', 'connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'accept-encoding', 'expect', 'via', 'date']);
const BROWSER = new Set(['cookie', 'cookie2', 'origin', 'referer', 'user-agent', 'dnt', 'priority', 'accept-charset', 'access-control-request-headers', 'access-control-request-method', 'set-cookie']);

export function headerPolicy(name: string): HeaderPolicy {
  const n = name.toLowerCase();
  if (n.startsWith(':') || TRANSPORT.has(n)) return 'transport';
  if (BROWSER.has(n) || n.startsWith('sec-') || n.startsWith('proxy-')) return 'browser';
  return 'copy';
}

/** POSIX shell single quotes: the only character to escape is the quote itself. */
export function shellQuote(text: string): string {
  return `'${text.includes("'") ? text.replace(/'/g, `'\\''`) : text}'`;
}

export interface CopyResult {
  text: string;
  /** What was masked (empty when secrets were included). */
  masked: string[];
}

function prepare(entry: HarEntry, includeSecrets: boolean): { e: HarEntry; masked: string[] } {
  if (includeSecrets) return { e: entry, masked: [] };
  const receipt = new RedactionReceipt();
  const e = redactEntry(entry, receipt);
  return { e, masked: receipt.lines() };
}

export function toCurl(entry: HarEntry, options: { includeSecrets?: boolean; withoutCookies?: boolean } = {}): CopyResult {
  const { e, masked } = prepare(entry, options.includeSecrets === true);
  // One option per line: `curl 'url' \` then `  -H 'Name: value' \` …
  const lines = [`curl ${shellQuote(e.request.url)}`];
  if (e.request.method !== 'GET') lines.push(`-X ${shellQuote(e.request.method)}`);
  for (const h of e.request.headers) {
    const n = h.name.toLowerCase();
    if (headerPolicy(n) === 'transport') continue;
    if (n === 'cookie' && options.withoutCookies) continue;
    lines.push(`-H ${shellQuote(`${h.name}: ${h.value.replace(/[\r\n]+/g, ' ')}`)}`);
  }
  const body = e.request.postData?.text;
  if (body !== undefined && body !== '') lines.push(`--data-raw ${shellQuote(body)}`);
  // Show the response headers, where the challenge is.
  lines.push('-i');
  return { text: lines.join(' \\\n  '), masked };
}

export function toFetch(entry: HarEntry, options: { includeSecrets?: boolean; withoutCookies?: boolean } = {}): CopyResult {
  const { e, masked } = prepare(entry, options.includeSecrets === true);
  const headers: Record<string, string> = {};
  let cookie: string | undefined;
  for (const h of e.request.headers) {
    const n = h.name.toLowerCase();
    // Cookie is a forbidden header for fetch(): the browser sends its own with credentials: "include".
    if (n === 'cookie') cookie = h.value;
    if (headerPolicy(n) !== 'copy') continue;
    headers[h.name] = h.value;
  }
  const init: Record<string, unknown> = { method: e.request.method, headers, credentials: options.withoutCookies ? 'omit' : 'include' };
  const body = e.request.postData?.text;
  if (body !== undefined && body !== '') init['body'] = body;
  const note = cookie && !options.withoutCookies ? `// The request carried cookies (${cookie.split(';').length}); fetch() sends the browser's own with credentials: "include".\n` : '';
  return { text: `${note}await fetch(${JSON.stringify(e.request.url)}, ${JSON.stringify(init, null, 2)});`, masked };
}
