/**
 * Core figures: challenge-parsing throughput against the npm parsers on the same inputs, and
 * `why401 explain` on synthetic HARs (time, peak memory, scaling).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { buildSync } from 'esbuild';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseChallenges } from '../../src/core/auth/challenges.ts';
import { summarize, type Sample } from './stats.ts';
import { zip } from '../../test/helpers/zip.ts';

const require = createRequire(import.meta.url);

/** Single-challenge fields every peer understands (the RFC examples), so the comparison is like for like. */
export const CHALLENGES = [
  'Basic realm="WallyWorld"',
  'Basic realm="foo", charset="UTF-8"',
  'Bearer realm="example"',
  'Bearer realm="example", error="invalid_token", error_description="The access token expired"',
  'Bearer realm="example", error="insufficient_scope", scope="read write", error_uri="https://example.com/errors/scope"',
  'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
  'Digest realm="api@example.org", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", stale=true, algorithm=MD5, qop="auth"',
];

type Parser = (header: string) => unknown;

export async function peerParsers(): Promise<Record<string, Parser>> {
  const www = require('www-authenticate') as { parsers: { WWW_Authenticate: new (h: string) => unknown } };
  const authHeader = require('auth-header') as { parse(h: string): unknown };
  const httpAuthUtils = (await import('http-auth-utils')) as { parseWWWAuthenticateHeader(h: string): unknown };
  return {
    'why401 parseChallenges': (h) => parseChallenges(h),
    'www-authenticate': (h) => new www.parsers.WWW_Authenticate(h),
    'http-auth-utils': (h) => httpAuthUtils.parseWWWAuthenticateHeader(h),
    'auth-header': (h) => authHeader.parse(h),
  };
}

/** Challenges parsed per second, alternating parsers round by round (A B C D A B C D …). */
export async function parseThroughput(rounds = 7, perRound = 20_000): Promise<{ results: Record<string, Sample>; inputs: string[]; excluded: string[] }> {
  const parsers = await peerParsers();
  // Only inputs every parser accepts, so the comparison is like for like.
  const accepted = (h: string) =>
    Object.values(parsers).every((p) => {
      try {
        p(h);
        return true;
      } catch {
        return false;
      }
    });
  const inputs = CHALLENGES.filter(accepted);
  const excluded = CHALLENGES.filter((h) => !accepted(h));
  const results: Record<string, number[]> = Object.fromEntries(Object.keys(parsers).map((k) => [k, []]));
  let sink = 0;
  for (let round = -1; round < rounds; round++) {
    for (const [name, p] of Object.entries(parsers)) {
      const t0 = performance.now();
      for (let i = 0; i < perRound; i++) {
        const r = p(inputs[i % inputs.length]!);
        if (r) sink++;
      }
      const ms = performance.now() - t0;
      if (round >= 0) results[name]!.push((perRound / ms) * 1000); // round -1 is warm-up
    }
  }
  if (sink === 0) throw new Error('unreachable');
  return { results: Object.fromEntries(Object.entries(results).map(([k, v]) => [k, summarize(v)])), inputs, excluded };
}

// ---- synthetic HARs ----

const TOKEN = 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTEiLCJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlLmNvbSIsImV4cCI6MTc0ODc3NTYwMCwiaWF0IjoxNzQ4NzcyMDAwLCJzY29wZSI6InJlYWQifQ.c2lnbmF0dXJl';

function syntheticEntry(i: number, t0: number): string {
  const at = new Date(t0 + i * 50).toISOString();
  const fail = i % 100 === 99; // 1% failures
  const kind = i % 7;
  const url = kind === 0 ? `https://cdn.example.com/img/${i}.png` : `https://api.example.com/v1/items/${i}?page=${i % 10}`;
  const reqHeaders = [
    { name: 'Accept', value: 'application/json' },
    { name: 'User-Agent', value: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36' },
    ...(kind !== 0 ? [{ name: 'Authorization', value: `Bearer ${fail && i % 200 === 199 ? 'undefined' : TOKEN}` }] : []),
    ...(i % 10 === 3 ? [{ name: 'Cookie', value: 'sid=abc123; theme=dark' }] : []),
  ];
  const resHeaders = [
    { name: 'Content-Type', value: kind === 0 ? 'image/png' : 'application/json' },
    { name: 'Date', value: new Date(t0 + i * 50).toUTCString() },
    ...(fail ? [{ name: 'WWW-Authenticate', value: 'Bearer realm="api", error="invalid_token", error_description="The access token expired"' }] : []),
    ...(i % 500 === 1 ? [{ name: 'Set-Cookie', value: 'sid=abc123; Path=/; HttpOnly; Max-Age=3600' }] : []),
  ];
  return JSON.stringify({
    startedDateTime: at,
    time: 12,
    request: { method: 'GET', url, httpVersion: 'HTTP/1.1', headers: reqHeaders, cookies: [], queryString: [], headersSize: -1, bodySize: 0 },
    response: { status: fail ? 401 : 200, statusText: fail ? 'Unauthorized' : 'OK', httpVersion: 'HTTP/1.1', headers: resHeaders, cookies: [], content: { size: 120, mimeType: 'application/json' }, redirectURL: '', headersSize: -1, bodySize: 120 },
    cache: {},
    timings: { send: 1, wait: 10, receive: 1 },
    _resourceType: kind === 0 ? 'image' : 'fetch',
  });
}

/** Write a HAR with `n` entries (1% failures) without holding it in memory. */
export function writeSyntheticHar(path: string, n: number): number {
  const fd = openSync(path, 'w');
  const t0 = Date.parse('2025-06-01T11:00:00Z');
  writeSync(fd, '{"log":{"version":"1.2","creator":{"name":"why401-bench","version":"1"},"entries":[\n');
  let chunk: string[] = [];
  for (let i = 0; i < n; i++) {
    chunk.push(syntheticEntry(i, t0));
    if (chunk.length === 2000 || i === n - 1) {
      writeSync(fd, chunk.join(',\n') + (i === n - 1 ? '\n' : ',\n'));
      chunk = [];
    }
  }
  writeSync(fd, ']}}\n');
  closeSync(fd);
  return statSync(path).size;
}

/**
 * A Playwright trace (trace.zip) of the same synthetic exchanges: each entry a resource-snapshot
 * line of trace.network, and a trace.trace of one action per 100 requests. Returns the zip's
 * size and the network log's.
 */
export function writeSyntheticTrace(path: string, n: number): { bytes: number; logBytes: number } {
  const t0 = Date.parse('2025-06-01T11:00:00Z');
  const network: string[] = [];
  const actions: string[] = [JSON.stringify({ type: 'context-options', title: 'bench › many requests' })];
  for (let i = 0; i < n; i++) {
    const e = JSON.parse(syntheticEntry(i, t0)) as Record<string, unknown>;
    e['_monotonicTime'] = i;
    network.push(JSON.stringify({ type: 'resource-snapshot', snapshot: e }));
    if (i % 100 === 0) actions.push(JSON.stringify({ type: 'before', callId: `c${i}`, startTime: i, class: 'Frame', method: 'click', params: { selector: `#b${i}` } }), JSON.stringify({ type: 'after', callId: `c${i}`, endTime: i + 99 }));
  }
  const log = Buffer.from(`${network.join('\n')}\n`);
  writeFileSync(path, zip([{ name: 'trace.trace', data: Buffer.from(actions.join('\n')) }, { name: 'trace.network', data: log }]));
  return { bytes: statSync(path).size, logBytes: log.length };
}

export interface TraceRun {
  entries: number;
  bytes: number;
  logBytes: number;
  ms: Sample;
  failures: number;
}

/** why401 explain on synthetic traces of each size, rounds alternating: time per entry says whether reading is linear. */
export function traceScaling(cli: string, sizes: number[], rounds: number): TraceRun[] {
  const dir = mkdtempSync(join(tmpdir(), 'why401-bench-'));
  try {
    const runs = sizes.map((n) => {
      const path = join(dir, `synthetic-${n}.zip`);
      return { n, path, ...writeSyntheticTrace(path, n), ms: [] as number[], failures: 0 };
    });
    explainOnce(cli, runs[0]!.path);
    for (let round = 0; round < rounds; round++) {
      for (const run of runs) {
        const r = explainOnce(cli, run.path);
        run.ms.push(r.ms);
        run.failures = r.failures;
      }
    }
    return runs.map((r) => ({ entries: r.n, bytes: r.bytes, logBytes: r.logBytes, ms: summarize(r.ms), failures: r.failures }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface ExplainRun {
  entries: number;
  bytes: number;
  ms: Sample;
  peakRssMB: Sample;
  failures: number;
  /** The floors, each a fresh process in the same rounds: the file read and `JSON.parse`d whole; the CLI's own reader (every entry scanned and parsed, none judged). */
  parseWholeMs: Sample;
  readStreamMs: Sample;
}

/** A fresh Node process running `code` with the file as its argument: wall time. */
function timeNode(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`floor failed: ${r.stderr}`);
  return ms;
}

const PARSE_WHOLE = "const t = require('node:fs').readFileSync(process.argv[1], 'utf8'); if (!JSON.parse(t).log.entries.length) process.exit(1);";

/** The CLI's reader alone, bundled like the CLI (esbuild, the build's own bundler). */
function readFloorScript(dir: string): string {
  const out = join(dir, 'read-floor.mjs');
  buildSync({ entryPoints: [join(import.meta.dirname, 'read-floor.ts')], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'silent' });
  return out;
}

/** Run the built CLI on a file; wall time and the process's peak RSS. */
function explainOnce(cli: string, file: string): { ms: number; rssMB: number; failures: number } {
  const preload = join(import.meta.dirname, 'peak-rss.mjs');
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', preload, cli, 'explain', '--json', file], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`why401 explain failed: ${r.stderr}`);
  const rss = /peak-rss-kb=(\d+)/.exec(r.stderr);
  return { ms, rssMB: rss ? Number(rss[1]) / 1024 : Number.NaN, failures: (JSON.parse(r.stdout) as { failures: unknown[] }).failures.length };
}

export function explainScaling(cli: string, sizes: number[], rounds: number): ExplainRun[] {
  const dir = mkdtempSync(join(tmpdir(), 'why401-bench-'));
  try {
    const files = sizes.map((n) => {
      const path = join(dir, `synthetic-${n}.har`);
      return { n, path, bytes: writeSyntheticHar(path, n) };
    });
    const runs = files.map((f) => ({ ...f, ms: [] as number[], rss: [] as number[], whole: [] as number[], stream: [] as number[], failures: 0 }));
    const readFloor = readFloorScript(dir);
    explainOnce(cli, files[0]!.path); // warm-up (disk cache, JIT of node itself)
    for (let round = 0; round < rounds; round++) {
      for (const run of runs) {
        const r = explainOnce(cli, run.path);
        run.ms.push(r.ms);
        run.rss.push(r.rssMB);
        run.failures = r.failures;
        run.whole.push(timeNode(['-e', PARSE_WHOLE, run.path]));
        run.stream.push(timeNode([readFloor, run.path]));
      }
    }
    return runs.map((r) => ({ entries: r.n, bytes: r.bytes, ms: summarize(r.ms), peakRssMB: summarize(r.rss), failures: r.failures, parseWholeMs: summarize(r.whole), readStreamMs: summarize(r.stream) }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One CLI command, run on a file: its peak resident set (MiB) and how much it printed. */
function peakOf(cli: string, args: string[], outFile: string, nodeFlags: string[] = []): { rssMB: number; outBytes: number } {
  const preload = join(import.meta.dirname, 'peak-rss.mjs');
  const fd = openSync(outFile, 'w');
  // `<` FILE: the command reads "-", standard input, from the file.
  const from = args.indexOf('<');
  const input = from === -1 ? 'ignore' : openSync(args[from + 1]!, 'r');
  const argv = from === -1 ? args : [...args.slice(0, from), '-'];
  try {
    const r = spawnSync(process.execPath, [...nodeFlags, '--import', preload, cli, ...argv], { stdio: [input, fd, 'pipe'], encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`why401 ${args.join(' ')} failed: ${r.stderr}`);
    const rss = /peak-rss-kb=(\d+)/.exec(r.stderr);
    return { rssMB: rss ? Number(rss[1]) / 1024 : Number.NaN, outBytes: statSync(outFile).size };
  } finally {
    closeSync(fd);
    if (typeof input === 'number') closeSync(input);
  }
}

export interface OutputMemoryRun {
  command: string;
  fileBytes: number;
  /** Peak RSS on the large file and on an empty HAR (Node's own floor), MiB. */
  peakRssMB: Sample;
  floorRssMB: Sample;
  /** The same two with V8 collecting eagerly (`--stress-compaction`): the working set, without the garbage V8 leaves for later. */
  eagerPeakRssMB?: Sample;
  eagerFloorRssMB?: Sample;
  outBytes: number;
}

/**
 * Peak memory of every output on HARs of large values (failures each with a 1 MiB URL and two
 * 1 MiB headers, a 300 KB token): the case where output size, not entry count, decides. Three
 * sizes, 2 failures (7 MiB), 5 (16 MiB) and 30 (99 MiB): on the small ones the same run with
 * eager collection gives the working set beside the peak. The same command on an empty HAR
 * gives Node's own floor, measured side by side; what the file costs is the difference, as a
 * multiple of the file's size. A file given on standard input is measured too (read whole).
 */
export function outputMemory(cli: string, rounds: number, sizes: readonly number[] = [2, 5, 30]): OutputMemoryRun[] {
  const dir = mkdtempSync(join(tmpdir(), 'why401-bench-'));
  try {
    const big = 'a'.repeat(1 << 20);
    const entry = (i: number) => ({
      startedDateTime: '2026-01-01T00:00:00.000Z',
      time: 1,
      request: { method: 'GET', url: `https://api.test/v1/${i}?page=${big}`, httpVersion: 'HTTP/1.1', headers: [{ name: 'X-Trace', value: big }, { name: 'Authorization', value: `Bearer ${'t'.repeat(300_000)}` }], cookies: [], queryString: [], headersSize: -1, bodySize: 0 },
      response: { status: 401, statusText: '', httpVersion: 'HTTP/1.1', headers: [{ name: 'WWW-Authenticate', value: 'Bearer realm="api"' }, { name: 'X-Debug', value: big }], cookies: [], content: { size: 0, mimeType: 'application/json' }, redirectURL: '', headersSize: -1, bodySize: 0 },
      cache: {},
      timings: { send: 0, wait: 1, receive: 0 },
    });
    const empty = join(dir, 'empty.har');
    const efd = openSync(empty, 'w');
    writeSync(efd, '{"log":{"version":"1.2","creator":{"name":"bench","version":"1"},"entries":[]}}');
    closeSync(efd);
    const commands: [string, (f: string) => string[]][] = [
      ...(['text', 'json', 'md', 'curl', 'fetch'] as const).map((f): [string, (x: string) => string[]] => [`explain --format ${f}`, (x) => ['explain', '--format', f, x]]),
      ['redact', (x) => ['redact', x]],
      ['redact -o', (x) => ['redact', x, '-o', join(dir, 'copy.har')]],
      // Standard input is read whole (it cannot be read twice), and let go of before the output.
      ...(['text', 'fetch'] as const).map((f): [string, (x: string) => string[]] => [`explain --format ${f} < file`, (x) => ['explain', '--format', f, '<', x]]),
      ['redact < file', (x) => ['redact', '<', x]],
    ];
    const runs: OutputMemoryRun[] = [];
    sizes.forEach((count, n) => {
      const file = join(dir, `large-values-${count}.har`);
      const fd = openSync(file, 'w');
      writeSync(fd, '{"log":{"version":"1.2","creator":{"name":"bench","version":"1"},"entries":[');
      for (let i = 0; i < count; i++) writeSync(fd, `${i ? ',' : ''}${JSON.stringify(entry(i))}`);
      writeSync(fd, ']}}');
      closeSync(fd);
      const fileBytes = statSync(file).size;
      const eager = n < sizes.length - 1;
      for (const [command, argsOf] of commands) {
        const peak: number[] = [];
        const floor: number[] = [];
        const eagerPeak: number[] = [];
        const eagerFloor: number[] = [];
        let outBytes = 0;
        for (let round = 0; round < rounds; round++) {
          floor.push(peakOf(cli, argsOf(empty), join(dir, 'out.txt')).rssMB);
          const r = peakOf(cli, argsOf(file), join(dir, 'out.txt'));
          peak.push(r.rssMB);
          outBytes = command === 'redact -o' ? statSync(join(dir, 'copy.har')).size : r.outBytes;
          if (eager) {
            eagerFloor.push(peakOf(cli, argsOf(empty), join(dir, 'out.txt'), ['--stress-compaction']).rssMB);
            eagerPeak.push(peakOf(cli, argsOf(file), join(dir, 'out.txt'), ['--stress-compaction']).rssMB);
          }
        }
        const run: OutputMemoryRun = { command, fileBytes, peakRssMB: summarize(peak), floorRssMB: summarize(floor), outBytes };
        if (eager) {
          run.eagerPeakRssMB = summarize(eagerPeak);
          run.eagerFloorRssMB = summarize(eagerFloor);
        }
        runs.push(run);
      }
      rmSync(file, { force: true });
    });
    return runs;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
