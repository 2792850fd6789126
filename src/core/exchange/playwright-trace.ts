/**
 * Reading a Playwright trace (`trace.zip`): its network log as HAR entries, each with the test,
 * the step and the page it belongs to. A trace holds, per browser context, `<name>.trace` (the test's actions,
 * one JSON object a line: `before`/`after` with monotonic times) and `<name>.network` (one
 * `resource-snapshot` a line: a HAR entry with `_monotonicTime`, its body in `resources/`). Lines
 * are read one at a time, entries validated by the HAR reader; nothing is unzipped to disk.
 */
import { HarError, normalizeEntry } from './har-read.ts';
import { groupDigits } from '../auth/syntax.ts';
import type { HarEntry } from './har-types.ts';
import { zipEntries, zipEntryBytes, type InflateRaw, type ZipEntry } from './zip.ts';

/** Where in the test run an exchange happened. */
export interface TraceWhere {
  /** The trace's title (the test runner sets the test's), when it has one. */
  test?: string;
  /** The action in progress when the request started: `page.goto https://…`, `locator.click`… */
  step?: string;
  /** The page it happened in: the last document its page's main frame loaded before it. */
  page?: string;
}

export interface TraceEntry {
  index: number;
  entry: HarEntry;
  where: TraceWhere;
}

/** A failure's body is read from `resources/` up to this size (the body catalogue reads the head). */
const MAX_BODY = 64 * 1024;
/** A line of the trace longer than this is skipped (said), not parsed. */
const MAX_LINE = 64 * 1024 * 1024;

interface Action {
  start: number;
  end: number;
  label: string;
}

const decoder = new TextDecoder('utf-8');

/** Each line of an entry's text, without its end; long lines reported, not returned. */
function* lines(bytes: Uint8Array, tooLong: () => void): Generator<string> {
  let p = 0;
  while (p < bytes.length) {
    let q = bytes.indexOf(0x0a, p);
    if (q === -1) q = bytes.length;
    if (q - p > MAX_LINE) tooLong();
    else if (q > p) yield decoder.decode(bytes.subarray(p, q));
    p = q + 1;
  }
}

function parse(line: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(line);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const text = (v: unknown, max = 200) => (typeof v === 'string' ? v.slice(0, max) : undefined);

/** How an action is named: a test step's title, else the API call (`page.goto https://…`). */
function actionLabel(o: Record<string, unknown>): string | undefined {
  const title = text(o['title']) ?? text(o['apiName']);
  const cls = text(o['class'], 40);
  const method = text(o['method'], 60);
  // Without a title, the protocol's call in the API's words: Frame.evaluateExpression is page.evaluate.
  const api = cls === 'Frame' ? 'page' : cls ? `${cls.charAt(0).toLowerCase()}${cls.slice(1)}` : undefined;
  const label = title ?? (api && method ? `${api}.${method.replace(/Expression(Handle)?$/, '$1')}` : undefined);
  if (label === undefined) return undefined;
  const params = o['params'];
  const target = typeof params === 'object' && params !== null ? (text((params as Record<string, unknown>)['url'], 300) ?? text((params as Record<string, unknown>)['selector'], 200)) : undefined;
  return target !== undefined && !label.includes(target) ? `${label} ${target}` : label;
}

/** The test's title and its actions (each with start and end), from a `.trace` file; `only` picks some. */
function readActions(bytes: Uint8Array, skipped: string[], name: string, only?: (o: Record<string, unknown>) => boolean): { test?: string; actions: Action[] } {
  const open = new Map<string, Action>();
  const actions: Action[] = [];
  let test: string | undefined;
  for (const line of lines(bytes, () => skipped.push(`${name}: a line over ${groupDigits(MAX_LINE)} bytes was skipped`))) {
    const o = parse(line);
    if (!o) continue;
    const type = o['type'];
    if (type === 'context-options') test = text(o['title'], 500) ?? test;
    else if (type === 'before') {
      if (only && !only(o)) continue;
      const id = text(o['callId']);
      const start = num(o['startTime']);
      const label = actionLabel(o);
      if (id === undefined || start === undefined || label === undefined) continue;
      const a = { start, end: Number.POSITIVE_INFINITY, label };
      open.set(id, a);
      actions.push(a);
    } else if (type === 'after') {
      const id = text(o['callId']);
      const a = id !== undefined ? open.get(id) : undefined;
      const end = num(o['endTime']);
      if (a && end !== undefined) a.end = end;
      if (id !== undefined) open.delete(id);
    }
  }
  return test !== undefined ? { test, actions } : { actions };
}

/**
 * The action in progress at `t`: among the actions started by then (found by binary search; they
 * are sorted by start), the latest that had not ended, looking back at most 64 (so a request
 * costs a logarithm and a constant: reading stays linear in the trace).
 */
function stepAt(actions: readonly Action[], t: number | undefined): string | undefined {
  if (t === undefined) return undefined;
  let found: Action | undefined;
  let lo = 0;
  let hi = actions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (actions[mid]!.start <= t) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo - 1, walked = 0; i >= 0 && walked < 64; i--, walked++) {
    const a = actions[i]!;
    if (a.end >= t) {
      found = a;
      break;
    }
  }
  return found?.label;
}

/**
 * The trace's exchanges as HAR entries, in log order, each with its test and step. Throws HarError
 * for what is not a Playwright trace (or a broken, hostile zip); unreadable lines are `skipped`.
 */
export function* readTrace(bytes: Uint8Array, inflate: InflateRaw, skipped: string[]): Generator<TraceEntry> {
  const entries = zipEntries(bytes);
  const byName = new Map<string, ZipEntry>(entries.map((e) => [e.name, e]));
  const networks = entries.filter((e) => e.name.endsWith('.network')).sort((a, b) => (a.name < b.name ? -1 : 1));
  // A test that failed before it opened a page has a trace with no network log: no exchange, not an error.
  if (networks.length === 0 && !entries.some((e) => e.name.endsWith('.trace'))) throw new HarError('not a Playwright trace: the zip holds no .trace or .network log');
  // The test runner's own log (test.trace) holds the test's steps (test.step), on the same clock:
  // a request made inside one is named "step › call".
  const runner = byName.get('test.trace');
  const userSteps = runner ? readActions(zipEntryBytes(bytes, runner, inflate), skipped, runner.name, (o) => o['method'] === 'test.step').actions.sort((a, b) => a.start - b.start) : [];
  let index = 0;
  for (const net of networks) {
    const base = net.name.slice(0, -'.network'.length);
    const traceFile = byName.get(`${base}.trace`);
    const { test, actions } = traceFile ? readActions(zipEntryBytes(bytes, traceFile, inflate), skipped, traceFile.name) : { test: undefined, actions: [] };
    actions.sort((a, b) => a.start - b.start);
    // Each page's main frame is the frame of its first document; its later documents are its
    // navigations, so a page's URL at any point of the log is the last of them.
    const mainFrame = new Map<string, string>();
    const pageUrl = new Map<string, string>();
    for (const line of lines(zipEntryBytes(bytes, net, inflate), () => skipped.push(`${net.name}: a line over ${groupDigits(MAX_LINE)} bytes was skipped`))) {
      const o = parse(line);
      if (!o || o['type'] !== 'resource-snapshot') continue;
      const snapshot = o['snapshot'];
      const i = index++;
      const read = normalizeEntry(snapshot, i);
      if ('error' in read) {
        skipped.push(read.error);
        continue;
      }
      const entry = read.entry;
      const s = snapshot as Record<string, unknown>;
      const pageref = text(s['pageref']);
      const frameref = text(s['_frameref']);
      if (pageref !== undefined && frameref !== undefined && s['_resourceType'] === 'document' && pageUrl.size < 10_000) {
        if (!mainFrame.has(pageref)) mainFrame.set(pageref, frameref);
        if (mainFrame.get(pageref) === frameref) pageUrl.set(pageref, entry.request.url);
      }
      if (entry.response.status >= 400 && entry.response.content.text === undefined) {
        const body = bodyOf(bytes, byName, s, inflate);
        if (body !== undefined) entry.response.content.text = body;
      }
      const t = num(s['_monotonicTime']);
      const parts = [stepAt(userSteps, t), stepAt(actions, t)].filter((x): x is string => x !== undefined);
      const step = parts.length > 0 ? parts.join(' › ') : undefined;
      const where: TraceWhere = {};
      if (test !== undefined) where.test = test;
      if (step !== undefined) where.step = step;
      const page = pageref !== undefined ? pageUrl.get(pageref) : undefined;
      if (page !== undefined) where.page = page;
      yield { index: i, entry, where };
    }
  }
}

/** A failure's response body from the trace's resources (by `_file`, or `_sha1` in older traces), when small and text. */
function bodyOf(bytes: Uint8Array, byName: Map<string, ZipEntry>, snapshot: Record<string, unknown>, inflate: InflateRaw): string | undefined {
  const response = snapshot['response'];
  const content = typeof response === 'object' && response !== null ? (response as Record<string, unknown>)['content'] : undefined;
  if (typeof content !== 'object' || content === null) return undefined;
  const c = content as Record<string, unknown>;
  const file = text(c['_file'], 300) ?? (typeof c['_sha1'] === 'string' ? `resources/${c['_sha1'].slice(0, 200)}` : undefined);
  const mime = text(c['mimeType'], 200) ?? '';
  if (file === undefined || !/json|text|xml|html|problem/i.test(mime)) return undefined;
  const e = byName.get(file);
  if (!e || e.size > MAX_BODY) return undefined;
  try {
    return decoder.decode(zipEntryBytes(bytes, e, inflate));
  } catch {
    return undefined;
  }
}
