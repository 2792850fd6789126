/**
 * why401 explain reads Playwright traces: real ones recorded against the lab (test/fixtures/
 * make-playwright-traces.ts) get the verdict the extension gets for the same scenario, each named
 * with its test and step; broken and hostile zips are refused with one line, never a crash.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { before, describe, it } from 'node:test';
import { readTrace } from '../../src/core/exchange/playwright-trace.ts';
import { zipEntries } from '../../src/core/exchange/zip.ts';
import { dist, ensureBuilt, root } from '../helpers/build.ts';
import { zip } from '../helpers/zip.ts';

const fixtures = join(root, 'test', 'fixtures', 'playwright');
const expected = JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8')) as Record<string, string>;
const dir = mkdtempSync(join(tmpdir(), 'why401-trace-'));

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [join(dist, 'cli', 'why401.mjs'), ...args], { encoding: 'utf8', env: { ...process.env, XDG_CONFIG_HOME: join(dir, 'config') } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const inflate = (data: Uint8Array, max: number) => inflateRawSync(data, { maxOutputLength: max + 1 });
const enc = new TextEncoder();
const snapshot = (url: string, status: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    type: 'resource-snapshot',
    snapshot: { startedDateTime: '2026-01-01T00:00:00.000Z', time: 1, request: { method: 'GET', url, httpVersion: 'HTTP/1.1', headers: [], cookies: [], queryString: [], headersSize: -1, bodySize: 0 }, response: { status, statusText: '', httpVersion: 'HTTP/1.1', headers: [{ name: 'WWW-Authenticate', value: 'Bearer realm="api"' }], cookies: [], content: { size: 0, mimeType: 'application/json' }, redirectURL: '', headersSize: -1, bodySize: 0 }, cache: {}, timings: { send: 0, wait: 1, receive: 0 }, ...extra },
  });

describe('why401 explain: Playwright traces', () => {
  before(async () => {
    await ensureBuilt();
  });

  it('a real trace of each lab scenario gets the extension’s verdict, named with its test and step', () => {
    for (const [file, cause] of Object.entries(expected)) {
      if (!file.endsWith('.zip')) continue;
      const r = cli(['explain', '--json', join(fixtures, file)]);
      assert.equal(r.code, 0, r.err);
      const failures = (JSON.parse(r.out) as { failures: { test?: string; step?: string; page?: string; findings: { cause: string }[] }[] }).failures;
      assert.equal(failures.length, 1, `${file}: ${failures.length} failures`);
      assert.equal(failures[0]!.findings[0]?.cause, cause, file);
      assert.match(failures[0]!.test ?? '', /^lab › /, file);
      assert.equal(failures[0]!.step, 'page.evaluate', file);
      assert.match(failures[0]!.page ?? '', /^https:\/\/app\.test:\d+\/$/, `${file}: the page the lab ran in`);
    }
    // The text names them too; a folder of traces is read like a folder of HAR files.
    const text = cli(['explain', join(fixtures, 'token-expired.zip')]);
    assert.match(text.out, /test: lab › Expired JWT {2}step: page\.evaluate {2}page: https:\/\/app\.test:\d+\//);
    const folder = cli(['explain', '--json', fixtures]);
    assert.equal(folder.code, 0, folder.err);
    const all = (JSON.parse(folder.out) as { failures: { file: string; findings: { cause: string }[] }[] }).failures;
    assert.deepEqual(Object.fromEntries(all.map((f) => [f.file, f.findings[0]?.cause])), expected);
  });

  it('a HAR Playwright recorded itself (recordHar) is read like any HAR', () => {
    const r = cli(['explain', '--json', join(fixtures, 'token-expired.har')]);
    assert.equal(r.code, 0, r.err);
    const failures = (JSON.parse(r.out) as { failures: { test?: string; findings: { cause: string }[] }[] }).failures;
    assert.deepEqual(failures.map((f) => f.findings[0]?.cause), [expected['token-expired.har']]);
    assert.equal(failures[0]!.test, undefined, 'a HAR knows no test');
  });

  it('a failure’s body is read from the trace’s resources (the body catalogue says why)', () => {
    const r = cli(['explain', '--json', join(fixtures, 'body-only.zip')]);
    const f = (JSON.parse(r.out) as { failures: { findings: { cause: string; explanation: string }[] }[] }).failures[0]!;
    assert.equal(f.findings[0]?.cause, 'token-expired');
    assert.match(JSON.stringify(f.findings[0]), /Signature has expired/);
  });

  it('the step is the action in progress when the request started', () => {
    const trace = [
      JSON.stringify({ type: 'context-options', title: 'checkout › pays' }),
      JSON.stringify({ type: 'before', callId: 'a', startTime: 10, class: 'Frame', method: 'goto', params: { url: 'https://shop.test/cart' } }),
      JSON.stringify({ type: 'after', callId: 'a', endTime: 20 }),
      JSON.stringify({ type: 'before', callId: 'b', startTime: 30, title: 'pay with the saved card' }),
      JSON.stringify({ type: 'before', callId: 'c', startTime: 31, class: 'Frame', method: 'click', params: { selector: 'text=Pay' } }),
      JSON.stringify({ type: 'after', callId: 'c', endTime: 35 }),
      JSON.stringify({ type: 'after', callId: 'b', endTime: 50 }),
    ].join('\n');
    const network = [snapshot('https://shop.test/api/cart', 401, { _monotonicTime: 15 }), snapshot('https://shop.test/api/pay', 401, { _monotonicTime: 33 }), snapshot('https://shop.test/api/receipt', 401, { _monotonicTime: 40 }), snapshot('https://shop.test/api/late', 401, { _monotonicTime: 60 })].join('\n');
    const bytes = zip([{ name: 'trace.trace', data: enc.encode(trace) }, { name: 'trace.network', data: enc.encode(`${network}\n`) }]);
    const skipped: string[] = [];
    const got = [...readTrace(bytes, inflate, skipped)].map((e) => [e.entry.request.url.split('/').pop(), e.where.test, e.where.step ?? null]);
    assert.deepEqual(got, [
      ['cart', 'checkout › pays', 'page.goto https://shop.test/cart'],
      ['pay', 'checkout › pays', 'page.click text=Pay'],
      ['receipt', 'checkout › pays', 'pay with the saved card'],
      ['late', 'checkout › pays', null],
    ]);
    assert.deepEqual(skipped, []);
    // The test runner's test.trace holds the test's own steps: a request inside one is "step › call".
    const runner = [
      JSON.stringify({ type: 'before', callId: 's1', startTime: 29, class: 'Test', method: 'test.step', title: 'check out' }),
      JSON.stringify({ type: 'before', callId: 'h1', startTime: 5, class: 'Test', method: 'hook', title: 'Before Hooks' }),
      JSON.stringify({ type: 'after', callId: 'h1', endTime: 9 }),
      JSON.stringify({ type: 'after', callId: 's1', endTime: 45 }),
    ].join('\n');
    const withSteps = zip([{ name: 'test.trace', data: enc.encode(runner) }, { name: '0-trace.trace', data: enc.encode(trace) }, { name: '0-trace.network', data: enc.encode(`${network}\n`) }]);
    assert.deepEqual(
      [...readTrace(withSteps, inflate, [])].map((e) => e.where.step ?? null),
      ['page.goto https://shop.test/cart', 'check out › page.click text=Pay', 'check out › pay with the saved card', null],
    );
  });

  it('the page is the last document its main frame loaded before the request; a frame’s document is not the page', () => {
    const doc = (url: string, frame: string) => snapshot(url, 200, { pageref: 'page@1', _frameref: frame, _resourceType: 'document' });
    const call = (url: string) => snapshot(url, 401, { pageref: 'page@1', _frameref: 'frame@main', _resourceType: 'fetch' });
    const network = [doc('https://app.test/login', 'frame@main'), call('https://api.test/a'), doc('https://widget.test/embed', 'frame@child'), call('https://api.test/b'), doc('https://app.test/home', 'frame@main'), call('https://api.test/c')].join('\n');
    const got = [...readTrace(zip([{ name: 'trace.network', data: enc.encode(network) }]), inflate, [])].filter((e) => e.entry.response.status === 401).map((e) => e.where.page);
    assert.deepEqual(got, ['https://app.test/login', 'https://app.test/login', 'https://app.test/home']);
  });

  it('a broken, hostile or foreign zip is refused with one line (exit 2), never a crash', () => {
    const network = enc.encode(`${snapshot('https://api.test/me', 401)}\n`);
    const cases: [string, Buffer | string, RegExp][] = [
      ['junk.zip', 'PK\u0003\u0004 this is not a zip', /not a zip archive, or a truncated one/],
      ['cut.zip', zip([{ name: 'trace.network', data: network }]).subarray(0, 40), /not a zip archive, or a truncated one/],
      ['not-a-trace.zip', zip([{ name: 'notes.txt', data: enc.encode('{}') }]), /not a Playwright trace: the zip holds no \.trace or \.network log/],
      ['escape.zip', zip([{ name: '../../etc/trace.network', data: network }]), /hostile zip archive: entry 0 is named to escape its folder/],
      ['absolute.zip', zip([{ name: '/tmp/trace.network', data: network }]), /hostile zip archive/],
      ['encrypted.zip', zip([{ name: 'trace.network', data: network, flags: 1 }]), /encrypted zip archive/],
      ['bomb.zip', zip([{ name: 'trace.network', data: network, size: 900_000_000 }]), /zip bomb, or a broken archive: entry 0 claims 900,000,000 bytes/],
      ['liar.zip', zip([{ name: 'trace.network', data: enc.encode('x'.repeat(100_000)), size: 1000 }]), /does not inflate to its declared 1,000 bytes/],
      ['zip64.zip', zip([{ name: 'trace.network', data: network }], { zip64: true }), /ZIP64/],
      ['stored-liar.zip', zip([{ name: 'trace.network', data: network, method: 0, size: 5 }]), /zip bomb, or a broken archive/],
    ];
    for (const [name, content, message] of cases) {
      const p = join(dir, name);
      writeFileSync(p, content);
      const r = cli(['explain', p]);
      assert.equal(r.code, 2, `${name}: exit ${r.code}, ${r.err}`);
      assert.match(r.err, message, name);
      assert.equal(r.err.trim().split('\n').length, 1, `${name}: one line`);
      assert.equal(r.out, '', name);
    }
    // A test that failed before it opened a page: a trace with no network log has no exchange.
    const early = join(dir, 'early.zip');
    writeFileSync(early, zip([{ name: 'test.trace', data: enc.encode(JSON.stringify({ type: 'context-options', title: 't' })) }]));
    const none = cli(['explain', '--json', early]);
    assert.equal(none.code, 0, none.err);
    assert.deepEqual(JSON.parse(none.out).failures, []);
    // An entry past the ceiling is refused from the directory, before anything is inflated.
    assert.throws(() => zipEntries(zip([{ name: 'trace.network', data: network, size: 2 ** 31 }])), /at most 1,073,741,824 are read/);
  });

  it('--storage-state checks the saved sign-in state against the run: text, JSON, GitHub, --fail-on any', () => {
    const state = join(dir, 'user.json');
    writeFileSync(state, JSON.stringify({ cookies: [{ name: 'sid', value: 'CANARY-cookie', domain: 'localhost', path: '/', expires: -1 }, { name: 'old', value: 'CANARY-cookie', domain: 'api.test', path: '/', expires: 1_700_000_000 }], origins: [] }));
    const trace = join(fixtures, 'token-expired.zip');
    const json = cli(['explain', '--json', '--storage-state', state, trace]);
    assert.equal(json.code, 0, json.err);
    const report = JSON.parse(json.out) as { storageState: { file: string; problems: { kind: string; message: string }[] } };
    assert.equal(report.storageState.file, 'user.json');
    assert.deepEqual(report.storageState.problems.map((p) => p.kind), ['cookie-other-host', 'cookie-expired']);
    const text = cli(['explain', '--storage-state', state, trace]);
    assert.match(text.out, /Saved sign-in state \(user\.json\): 2 problems\n {4}● The saved cookie "sid" is for localhost/);
    const github = cli(['explain', '--format', 'github', '--storage-state', state, trace]).out.split('\n');
    assert.match(github[0]!, /^::error title=Why 401%3A saved sign-in state \(user\.json\)::The saved cookie "sid" is for localhost/);
    for (const out of [json.out, text.out, github.join('\n')]) assert.doesNotMatch(out, /CANARY/);
    // --fail-on any counts the state's problems; a list of causes does not.
    assert.equal(cli(['explain', '--fail-on', 'any', '--storage-state', state, trace]).code, 1);
    assert.equal(cli(['explain', '--fail-on', 'placeholder-token', '--storage-state', state, trace]).code, 0);
    const bad = cli(['explain', '--storage-state', join(dir, 'missing.json'), trace]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /missing\.json: no such file/);
  });

  it('the test, step and page a trace names are masked like every output', () => {
    const canary = 'CANARYtok3nVALUE9x7q';
    const trace = [
      JSON.stringify({ type: 'context-options', title: `signs in with password=${canary}` }),
      JSON.stringify({ type: 'before', callId: 'a', startTime: 10, class: 'Frame', method: 'goto', params: { url: `https://app.test/cb?code=${canary}&access_token=${canary}` } }),
    ].join('\n');
    const network = [
      snapshot(`https://app.test/cb?code=${canary}&state=s`, 200, { pageref: 'p', _frameref: 'f', _resourceType: 'document', _monotonicTime: 11 }),
      snapshot('https://api.test/me', 401, { pageref: 'p', _frameref: 'f', _resourceType: 'fetch', _monotonicTime: 12 }),
    ].join('\n');
    const p = join(dir, 'secrets.zip');
    writeFileSync(p, zip([{ name: 'trace.trace', data: enc.encode(trace) }, { name: 'trace.network', data: enc.encode(network) }]));
    for (const format of ['text', 'json', 'github', 'junit']) {
      const r = cli(['explain', '--format', format, p]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /api\.test\/me/, format);
      assert.doesNotMatch(r.out, new RegExp(canary), `${format} shows the canary`);
    }
    // --show-secrets shows them, as everywhere.
    assert.match(cli(['explain', '--show-secrets', p]).out, new RegExp(canary));
  });
});
