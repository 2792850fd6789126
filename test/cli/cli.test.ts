import assert from 'node:assert/strict';
import { run, writeUtf8 } from '../../src/cli/why401.ts';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { dist, ensureBuilt } from '../helpers/build.ts';
import { entry, har, jwt, sec } from '../helpers/har.ts';

const CANARY = 'CANARY-secret-7a1b2c3d';
const dir = mkdtempSync(join(tmpdir(), 'why401-cli-'));

function cli(args: string[], env: Record<string, string> = {}, input?: string) {
  const r = spawnSync(process.execPath, [join(dist, 'cli', 'why401.mjs'), ...args], { encoding: 'utf8', env: { ...process.env, XDG_CONFIG_HOME: join(dir, 'config'), ...env }, input });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function file(name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

const session = har([
  entry({ status: 200, url: 'https://api.test/v1/me', req: { Authorization: `Bearer ${CANARY}` } }),
  entry({
    url: `https://api.test/v1/me?access_token=${CANARY}`,
    req: { Authorization: `Bearer ${jwt({ exp: sec('2025-06-01T11:00:00Z'), note: CANARY })}`, Cookie: `sid=${CANARY}` },
    res: { 'WWW-Authenticate': 'Bearer realm="api", error="invalid_token", error_description="The access token expired"' },
  }),
  entry({ req: { Authorization: `Basic ${Buffer.from(`alice:${CANARY}`).toString('base64')}` }, res: { 'WWW-Authenticate': 'Basic realm="staff", Basic realm="dup"' } }),
  entry({ status: 403, req: { Cookie: `sid=${CANARY}` } }),
  entry({ status: 407, req: { 'Proxy-Authorization': `Basic ${Buffer.from(`bob:${CANARY}`).toString('base64')}` }, res: { 'Proxy-Authenticate': 'Basic realm="corp"' } }),
  entry({ status: 400, res: { 'WWW-Authenticate': 'Bearer error="invalid_request"' } }),
  entry({ status: 200, res: { 'DPoP-Nonce': 'fresh' } }),
]);

describe('why401 explain', () => {
  before(ensureBuilt);

  it('text: repeats of one failure (a storm) print once with their count, as the panel lists them; --json lists each', () => {
    const t0 = Date.parse('2026-12-06T10:00:00Z');
    const storm = Array.from({ length: 40 }, (_, i) => entry({ url: `https://api.test/v1/widget/${i}`, at: new Date(t0 + i * 5).toISOString(), req: { Authorization: 'Bearer expired-0123456789abcdef' }, res: { 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="The access token expired"' } }));
    const other = entry({ url: 'https://api.test/v1/admin', at: new Date(t0 + 60_000).toISOString(), res: { 'WWW-Authenticate': 'Bearer realm="api"' } });
    const path = file('storm.har', JSON.stringify(har([...storm, other])));
    const text = cli(['explain', path], { NO_COLOR: '1' });
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /^why401: 41 auth failures in 41 entries.*\n2 after repeats of one failure are grouped \(each shown once with its count\)/);
    assert.match(text.out, /\n1\.  GET https:\/\/api\.test\/v1\/widget\/0 /);
    assert.match(text.out, /×40 40 requests to https:\/\/api\.test \(40 endpoints\) were answered 401 within 195 ms, all for the same reason, with the same credentials \(parallel requests, or retries\)\. They are one failure here: the first is shown \(--format json lists each\)\./);
    assert.match(text.out, /\n2\.  GET https:\/\/api\.test\/v1\/admin /);
    assert.doesNotMatch(text.out, /widget\/1 /);
    assert.equal(JSON.parse(cli(['explain', '--json', path]).out).failures.length, 41);
    // --each: every failure, as "Show each" in the panel.
    const each = cli(['explain', '--each', path], { NO_COLOR: '1' }).out;
    assert.match(each, /\n41\.  GET https:\/\/api\.test\/v1\/admin /);
    assert.doesNotMatch(each, /×40|after repeats/);
  });

  it('--json follows the contract', () => {
    const r = cli(['explain', '--json', file('s.har', JSON.stringify(session))]);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.tool, 'why401');
    assert.equal(j.version, 1);
    assert.deepEqual(j.failures.map((f: { entry: number }) => f.entry), [1, 2, 4, 5], '401s, 407, a 400 with a challenge; not the plain 403, not a 200 with DPoP-Nonce');
    const f = j.failures[0];
    assert.deepEqual(Object.keys(f), ['entry', 'method', 'url', 'status', 'challenges', 'problems', 'credentials', 'findings', 'notes']);
    assert.deepEqual(f.notes, []);
    assert.deepEqual(f.challenges, [{ scheme: 'bearer', params: { realm: 'api', error: 'invalid_token', error_description: 'The access token expired' }, token68: null }]);
    assert.equal(f.credentials.scheme, 'bearer');
    assert.deepEqual(Object.keys(f.findings[0]), ['cause', 'confidence', 'title', 'explanation', 'plain', 'evidence', 'fixes', 'actions']);
    assert.equal(f.findings[0].cause, 'token-expired');
    const basic = j.failures[1];
    assert.equal(basic.credentials.basic.username, 'alice');
    assert.match(basic.credentials.basic.password, /^\[redacted/);
    assert.deepEqual(j.failures[2].credentials.scheme, 'basic', 'Proxy-Authorization for a 407');
    assert.equal(j.failures[2].challenges[0].params.realm, 'corp');
  });

  it('no secret is printed without --show-secrets, in JSON or text', () => {
    const p = file('s2.har', JSON.stringify(session));
    for (const args of [['explain', '--json', p], ['explain', p], ['explain', '--json', '--include-403', p]]) {
      const r = cli(args);
      assert.equal(r.code, 0);
      assert.ok(!r.out.includes(CANARY) && !r.err.includes(CANARY), `${args.join(' ')} leaked a secret`);
      assert.ok(!r.out.includes(Buffer.from(`alice:${CANARY}`).toString('base64')));
    }
  });

  it('--show-secrets shows them', () => {
    const r = cli(['explain', '--json', '--show-secrets', file('s3.har', JSON.stringify(session))]);
    const j = JSON.parse(r.out);
    assert.equal(j.failures[1].credentials.basic.password, CANARY);
    assert.ok(j.failures[0].url.includes(CANARY));
  });

  it('--include-403 adds plain 403s', () => {
    const j = JSON.parse(cli(['explain', '--json', '--include-403', file('s4.har', JSON.stringify(session))]).out);
    assert.deepEqual(j.failures.map((f: { entry: number }) => f.entry), [1, 2, 3, 4, 5]);
    assert.equal(j.failures[2].findings[0].cause, 'forbidden');
  });

  it('the text report names the cause and is plain without a TTY or with NO_COLOR', () => {
    const r = cli(['explain', file('s5.har', JSON.stringify(session))], { NO_COLOR: '1' });
    assert.match(r.out, /The access token expired 2025-06-01T11:00:00Z, 1 hour before this request/);
    assert.match(r.out, /token-expired/);
    assert.ok(!r.out.includes('\u001b['));
  });

  it('bad input exits 2 with one clear line', () => {
    const cases: [string[], RegExp][] = [
      [['explain', file('bad.har', 'not json at all')], /not JSON/],
      [['explain', file('list.har', '[1,2,3]')], /not a HAR/],
      [['explain', file('nolog.har', '{"foo":1}')], /not a HAR/],
      [['explain', file('trunc.har', JSON.stringify(session).slice(0, 500))], /truncated/],
      [['explain', file('empty.har', '')], /empty/],
      [['redact', dir], /is a directory/], // explain reads a folder (below); redact masks one file
      [['explain', join(dir, 'missing.har')], /no such file/],
      [['explain'], /missing FILE/],
      [['frobnicate', 'x'], /unknown command/],
      [['explain', '--bogus', 'x.har'], /unknown option/],
    ];
    for (const [args, re] of cases) {
      const r = cli(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, re);
      assert.equal(r.err.trim().split('\n').length, 1, `one line: ${r.err}`);
      assert.equal(r.out, '');
    }
  });

  it('entries that cannot be read make a partial result, marked as such', () => {
    const text = JSON.stringify({ log: { entries: [session.log.entries[1], { request: 'nope' }, 42] } });
    const j = JSON.parse(cli(['explain', '--json', file('partial.har', text)]).out);
    assert.equal(j.failures.length, 1);
    assert.equal(j.skipped.length, 2);
    assert.match(cli(['explain', file('partial2.har', text)]).out, /partial result: 2 entries could not be read/);
  });

  it('reads standard input with "-"', () => {
    const r = cli(['explain', '--json', '-'], {}, JSON.stringify(session));
    assert.equal(JSON.parse(r.out).failures.length, 4);
  });

  it('no byte of the file reaches the terminal as a control: ESC, BEL and C1 in every field', () => {
    // OSC 52 (write the clipboard), a window title, clear screen, 8-bit CSI, BEL, DEL, bidi.
    const evil = '\u001b]52;c;ZXZpbA==\u0007\u001b]0;pwned\u0007\u001b[2J\u009b31m\u0007\u007f\u202e';
    const every = (v: string) => `${v}${evil}`;
    const e = entry({
      method: every('GET'),
      url: every('https://api.test/x'),
      statusText: every('Unauthorized'),
      req: { Authorization: every('Bearer abc'), [every('X-Name')]: every('v'), Cookie: every('sid=x'), Origin: every('https://app.test') },
      res: { 'WWW-Authenticate': every('Bearer realm="api", error="invalid_token", error_description="x'), 'Set-Cookie': every('sid=; Max-Age=0'), [every('X-H')]: every('v'), Location: every('/next') },
      body: every('{"detail":"Invalid token."}'),
      mimeType: every('application/json'),
      why: {
        initiator: every('https://app.test'),
        topLevelUrl: every('https://app.test/'),
        type: every('xmlhttprequest'),
        redirectChain: [{ url: every('https://a.test/'), status: 307, location: every('https://b.test/'), authorizationSent: true }],
        cookieJar: [{ name: every('sid'), value: '', domain: every('api.test'), hostOnly: true, path: every('/'), secure: true, httpOnly: true, sameSite: 'lax', session: true }],
        context: { cookieEvents: [{ at: 0, url: every('https://app.test/logout'), method: every('POST'), status: 200, name: every('sid'), domain: every('api.test'), hostOnly: true, path: '/', action: 'delete', expiresAt: null, secure: true, httpOnly: true, sameSite: 'lax', partitioned: false }], sentCookies: [{ name: every('sid'), host: 'api.test', at: 0, url: every('https://api.test/me') }] },
      },
    });
    e.request.httpVersion = every('HTTP/1.1');
    e.request.postData = { mimeType: every('text/plain'), text: every('body') };
    e.request.cookies = [{ name: every('c'), value: every('v') }];
    const p = file('evil.har', JSON.stringify({ log: { version: every('1.2'), creator: { name: every('x'), version: every('1') }, comment: every('c'), entries: [e, { request: every('nope') }] } }));
    const control = /(?!\u001b\[\d{1,2}m)[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
    for (const [args, env] of [[['explain', p], {}], [['explain', '--json', p], {}], [['explain', '--show-secrets', p], {}], [['explain', every('--x'), p], {}], [['explain', every('missing.har')], {}]] as const) {
      const r = cli([...args], env);
      assert.doesNotMatch(r.out, control, `${args.join(' ')}: stdout`);
      assert.doesNotMatch(r.err, control, `${args.join(' ')}: stderr`);
      assert.doesNotMatch(r.out + r.err, /[\u202a-\u202e]/, 'no bidi override');
      if (args.includes('--json')) JSON.parse(r.out);
    }
    assert.match(cli(['explain', p]).out, /\\u001b\]52/, 'the escape is shown, not acted on');
  });

  it('file names and arguments echoed are gated too: SGR 8 (hidden text), U+061C, U+2028, U+180E, U+FFF9–U+FFFB', () => {
    const hidden = '\u001b[8mHIDDEN\u001b[31m\u061c\u2028\u2029\u180e\ufff9\ufffa\ufffb';
    const present = file(`x${hidden}.har`, JSON.stringify(har([entry({ url: `https://api.test/${hidden}`, res: { 'WWW-Authenticate': `Bearer realm="${hidden}"` } })])));
    const raw = /[\u001b\u061c\u2028\u2029\u180e\ufff9-\ufffb]/;
    for (const args of [['explain', join(dir, `missing${hidden}.har`)], ['explain', `--bad${hidden}`, present], ['explain', present], ['explain', '--json', present], ['explain', dir + hidden]]) {
      const r = cli(args);
      assert.doesNotMatch(r.out, raw, `${args.join(' ')}: stdout`);
      assert.doesNotMatch(r.err, raw, `${args.join(' ')}: stderr`);
    }
    assert.match(cli(['explain', join(dir, `missing${hidden}.har`)]).err, /missing\\u001b\[8mHIDDEN/, 'shown as a visible escape');
    // With colour on (a TTY), only the painter's own sequences reach the terminal.
    const out: string[] = [];
    const err: string[] = [];
    assert.equal(run(['explain', present], (x) => out.push(x), (x) => err.push(x), { XDG_CONFIG_HOME: join(dir, 'config') }, true), 0);
    const text = out.join('\n');
    assert.match(text, /\u001b\[31m/, 'coloured');
    assert.deepEqual([...new Set(text.match(/\u001b\[\d+m/g))].filter((m) => !['\u001b[1m', '\u001b[2m', '\u001b[22m', '\u001b[31m', '\u001b[32m', '\u001b[33m', '\u001b[34m', '\u001b[39m'].includes(m)), []);
    assert.doesNotMatch(text, /\u001b\[8m/, 'the file\'s SGR 8 never reaches the terminal');
  });

  it('--help and --version', () => {
    assert.match(cli(['--help']).out, /Usage: why401 explain/);
    assert.match(cli(['--version']).out, /^\d+\.\d+\.\d+/);
  });
});

describe('why401 explain --format, why401 redact', () => {
  before(ensureBuilt);
  const canary = new RegExp(CANARY);
  const b64 = new RegExp(Buffer.from(`alice:${CANARY}`).toString('base64'));

  it('--format md, curl and fetch: the panel\'s outputs from the command line, masked unless --show-secrets', () => {
    const p = file('formats.har', JSON.stringify(session));
    const md = cli(['explain', '--format', 'md', p]);
    assert.equal(md.code, 0);
    assert.match(md.out, /^# Why 401 report/);
    const curl = cli(['explain', '--format=curl', p]);
    assert.match(curl.out, /^# 1\. GET https:\/\/api\.test\/v1\/me\?access_token=\[redacted/m);
    assert.match(curl.out, /^curl 'https:\/\/api\.test\//m);
    const fetch = cli(['explain', '--format', 'fetch', p]);
    assert.match(fetch.out, /^\/\/ 1\. GET /m);
    assert.match(fetch.out, /await fetch\(|fetch\(/);
    for (const r of [md, curl, fetch]) {
      assert.doesNotMatch(r.out, canary);
      assert.doesNotMatch(r.out, b64);
    }
    assert.match(cli(['explain', '--format', 'curl', '--show-secrets', p]).out, canary);
    const bad = cli(['explain', '--format', 'xml', p]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--format takes text, json, md, curl, fetch/);
  });

  it('redact: the same entries, every secret masked, still read to the same verdict; unreadable entries left out and said', () => {
    const withBroken = JSON.stringify(session).replace('"entries":[', '"entries":[{"request":"not an entry"},');
    const p = file('redact-in.har', withBroken);
    const r = cli(['redact', p]);
    assert.equal(r.code, 0);
    assert.doesNotMatch(r.out, canary);
    assert.doesNotMatch(r.out, b64);
    assert.match(r.err, /1 entry could not be read and was left out/);
    const masked = JSON.parse(r.out) as { log: { entries: { request: { method: string; url: string } }[]; comment: string } };
    assert.equal(masked.log.entries.length, session.log.entries.length);
    assert.match(masked.log.comment, /Masked by why401 redact from redact-in\.har/);
    // Values masked alike share a fingerprint: the token of the success and of the failure can still be matched.
    const out = file('redact-out.har', r.out);
    const before = JSON.parse(cli(['explain', '--json', p]).out) as { failures: { findings: { cause: string }[] }[] };
    const after = JSON.parse(cli(['explain', '--json', out]).out) as { failures: { findings: { cause: string }[] }[] };
    assert.deepEqual(after.failures.map((f) => f.findings[0]?.cause), before.failures.map((f) => f.findings[0]?.cause));
  });

  it('outputs are bounded: a 5 MB HAR of 1 MB headers and URLs gives a report of kilobytes, each value cut with what was left out', () => {
    const big = 'a'.repeat(1 << 20);
    const entries = Array.from({ length: 5 }, (_, i) => entry({ url: `https://api.test/v1/${i}?page=${big}`, req: { 'X-Trace': big }, res: { 'WWW-Authenticate': 'Bearer realm="api"', 'X-Debug': big } }));
    const p = file('big.har', JSON.stringify(har(entries)));
    const size = readFileSync(p).length;
    assert.ok(size > 5_000_000);
    for (const format of ['md', 'text', 'json']) {
      const r = cli(['explain', '--format', format, p]);
      assert.equal(r.code, 0, r.err);
      assert.ok(r.out.length < 200_000, `${format}: ${r.out.length} characters for a ${size}-byte file`);
      assert.match(r.out, /… [\d,]+ more characters/, `${format}: says what was left out`);
    }
    // curl's heading line is bounded too; the command itself re-sends the request whole.
    const curl = cli(['explain', '--format', 'curl', p]).out.split('\n');
    assert.ok(curl[0]!.startsWith('# 1. GET ') && curl[0]!.length < 2200, `the heading is ${curl[0]!.length} characters`);
    assert.ok(curl[1]!.length > 1 << 20, 'the command keeps the whole URL');
  });

  it('output is written as UTF-8 a piece at a time, byte for byte the whole, never splitting a surrogate pair', () => {
    // The piece is 256 Ki characters: a pair straddles each boundary once the text is shifted by one.
    for (const text of ['x', 'é😀'.repeat(200_000), `x${'é😀'.repeat(200_000)}`, `${'a'.repeat((256 << 10) - 1)}😀${'b'.repeat(10)}`]) {
      const pieces: Uint8Array[] = [];
      writeUtf8(text, (b) => pieces.push(b));
      assert.ok(Buffer.concat(pieces).equals(Buffer.from(text, 'utf8')), `${text.length} characters`);
      for (const p of pieces) assert.equal(new TextDecoder('utf-8', { fatal: true }).decode(p).length > 0, true);
    }
  });

  it('redact -o writes the copy, and never over the input', () => {
    const p = file('redact-keep.har', JSON.stringify(session));
    const target = join(dir, 'redact-copy.har');
    assert.equal(cli(['redact', p, '-o', target]).code, 0);
    assert.doesNotMatch(readFileSync(target, 'utf8'), canary);
    const same = cli(['redact', p, '-o', p]);
    assert.equal(same.code, 2);
    assert.match(same.err, /-o names the input file/);
    assert.match(readFileSync(p, 'utf8'), canary, 'the original is untouched');
    assert.equal(cli(['redact', '--json', p]).code, 2, 'explain\'s options are not redact\'s');
    // A truncated file: its error, and not a line of half-masked output (stdout or -o).
    const cut = file('redact-cut.har', JSON.stringify(session).slice(0, 900));
    const r = cli(['redact', cut]);
    assert.equal(r.code, 2);
    assert.match(r.err, /truncated/);
    assert.equal(r.out, '');
    const copy = join(dir, 'redact-cut-copy.har');
    assert.equal(cli(['redact', cut, '-o', copy]).code, 2);
    assert.throws(() => statSync(copy), /ENOENT/);
  });

  it('a reader that stops early (| head) ends the command quietly, not with a stack trace', async () => {
    const big = 'a'.repeat(1 << 20);
    const p = file('pipe.har', JSON.stringify(har(Array.from({ length: 4 }, (_, i) => entry({ url: `https://api.test/v1/${i}?page=${big}` })))));
    const child = spawn(process.execPath, [join(dist, 'cli', 'why401.mjs'), 'redact', p], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, XDG_CONFIG_HOME: join(dir, 'config') } });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((r) => child.on('close', r));
    assert.equal(err, '', 'nothing on stderr');
    assert.equal(code, 0);
  });

  it('redact -o through a link to the input replaces the link with the copy, and the input stays whole', () => {
    // The input is read a chunk at a time while the copy is written: the copy goes to a file of
    // its own, renamed into place when complete, so nothing truncates the input first.
    const p = file('redact-linked.har', JSON.stringify(session));
    const before = readFileSync(p, 'utf8');
    const link = join(dir, 'redact-link.har');
    symlinkSync(p, link);
    assert.equal(cli(['redact', p, '-o', link]).code, 0);
    assert.equal(readFileSync(p, 'utf8'), before, 'the input is untouched');
    assert.ok(!lstatSync(link).isSymbolicLink(), 'the link was replaced by the copy');
    assert.doesNotMatch(readFileSync(link, 'utf8'), canary);
    assert.equal(JSON.parse(readFileSync(link, 'utf8')).log.entries.length, session.log.entries.length);
    assert.deepEqual(readdirSync(dir).filter((n) => n.includes('.why401-')), [], 'no temporary file is left');
  });
});

describe('why401: mask tags keyed per install', () => {
  before(ensureBuilt);
  const tags = (text: string) => [...text.matchAll(/#([0-9a-f]{8})\]/g)].map((m) => m[1]);

  it('made once in $XDG_CONFIG_HOME/why401/tag-key (the user only): the same tags run after run, other tags under another key', () => {
    const p = file('tags.har', JSON.stringify(session));
    const homeA = join(dir, 'tags-a');
    const homeB = join(dir, 'tags-b');
    const a1 = cli(['redact', p], { XDG_CONFIG_HOME: homeA });
    const a2 = cli(['redact', p], { XDG_CONFIG_HOME: homeA });
    const b = cli(['redact', p], { XDG_CONFIG_HOME: homeB });
    assert.equal(a1.code, 0, a1.err);
    assert.ok(tags(a1.out).length > 0, 'the tokens are tagged');
    assert.deepEqual(tags(a2.out), tags(a1.out), 'the same install, the same tags');
    assert.equal(tags(b.out).filter((t) => tags(a1.out).includes(t)).length, 0, 'another install shares no tag');
    const key = join(homeA, 'why401', 'tag-key');
    assert.match(readFileSync(key, 'utf8'), /^[0-9a-f]{64}\n$/);
    assert.equal(statSync(key).mode & 0o777, 0o600, 'readable by the user only');
    // A redacted file read under another key keeps its masks: explain on it quotes the same tags.
    const redacted = file('tags-redacted.har', a1.out);
    const again = cli(['redact', redacted], { XDG_CONFIG_HOME: homeB });
    assert.deepEqual(tags(again.out), tags(a1.out));
  });

  it('a home that cannot be written: a key for this run, the output as complete', () => {
    const p = file('tags-ro.har', JSON.stringify(session));
    // A config home that is a file: no folder can be made in it (as in a read-only home).
    const r = cli(['explain', '--json', p], { XDG_CONFIG_HOME: file('not-a-folder', 'x') });
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '');
    assert.equal((JSON.parse(r.out) as { failures: unknown[] }).failures.length, 4, 'the 401s, the 407 and the 400 with a Bearer challenge');
  });
});

describe('why401 explain in CI: --format github|junit, --fail-on', () => {
  before(ensureBuilt);
  const canary = new RegExp(CANARY);

  it('--format github: one ::error annotation per failure (title and message escaped as workflow commands), then a summary; masked', () => {
    const p = file('ci.har', JSON.stringify(session));
    const r = cli(['explain', '--format', 'github', p]);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trimEnd().split('\n');
    const errors = lines.filter((l) => l.startsWith('::error '));
    assert.equal(errors.length, 4, r.out);
    for (const e of errors) {
      assert.match(e, /^::error title=Why 401%3A [^:,\n]+ \([a-z0-9-]+\)::(GET|POST) https:\/\/\S+( \S+)* → \d{3}%0A/);
      assert.doesNotMatch(e.slice(e.indexOf('::', 2) + 2), /\r|\n/, 'a message is one line');
    }
    assert.ok(errors.some((e) => /\(token-expired\)::GET https:\/\/api\.test\/v1\/me\?access_token=\[redacted/.test(e)), errors.join('\n'));
    assert.match(lines.at(-1)!, /^why401: 4 auth failures in 7 entries of .*ci\.har$/);
    assert.doesNotMatch(r.out, canary);
  });

  it('--format junit: one failing test case per failure, classed by host, escaped; masked', () => {
    const hostile = har([entry({ url: 'https://api.test/a?x=1&y=<b>"\'', req: { Authorization: `Bearer ${CANARY}-long-enough-to-tag` }, res: { 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="bad \u0001 & <worse>"' } })]);
    const p = file('ci-junit.har', JSON.stringify(hostile));
    const r = cli(['explain', '--format=junit', p]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="why401" tests="1" failures="1">/);
    assert.equal(r.out.match(/<testcase /g)?.length, 1);
    assert.match(r.out, /<testcase classname="why401\.api\.test" name="GET https:\/\/api\.test\/a\?x=1&amp;y=&lt;b&gt;&quot;&apos; → 401">/);
    assert.match(r.out, /<failure type="invalid-token" message="[^"<>]*">/);
    assert.doesNotMatch(r.out, /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/, 'no character XML forbids');
    assert.doesNotMatch(r.out, canary);
    // Every tag opened is closed, in order.
    const stack: string[] = [];
    for (const m of r.out.matchAll(/<(\/?)([a-z]+)[^>]*?(\/?)>/g)) {
      if (m[3]) continue;
      if (m[1]) assert.equal(stack.pop(), m[2]);
      else stack.push(m[2]!);
    }
    assert.deepEqual(stack, []);
    const none = cli(['explain', '--format', 'junit', file('ci-none.har', JSON.stringify(har([entry({ status: 200 })])))]);
    assert.match(none.out, /<testsuite name="[^"]*" tests="0" failures="0" errors="0" skipped="0">\n  <\/testsuite>/);
  });

  it('--fail-on: exit 1 when a verdict is one of the causes (or any), 0 otherwise, 2 for a cause that does not exist', () => {
    const p = file('ci-fail.har', JSON.stringify(session));
    assert.equal(cli(['explain', '--fail-on', 'any', p]).code, 1);
    assert.equal(cli(['explain', '--fail-on=token-expired', '--json', p]).code, 1);
    const json = cli(['explain', '--fail-on', 'token-expired', '--json', p]);
    assert.equal((JSON.parse(json.out) as { failures: unknown[] }).failures.length, 4, 'the output is printed as ever');
    assert.equal(cli(['explain', '--fail-on', 'cookie-blocked,scheme-missing', p]).code, 0);
    assert.equal(cli(['explain', '--fail-on', 'any', file('ci-ok.har', JSON.stringify(har([entry({ status: 200 })])))]).code, 0);
    const bad = cli(['explain', '--fail-on', 'token-expired,nope', p]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--fail-on: not a cause: "nope"/);
    assert.equal(cli(['redact', '--fail-on', 'any', p]).code, 2, 'an option of explain only');
  });
});

describe('why401 explain FOLDER: every .har file under it', () => {
  before(ensureBuilt);

  it('each file judged on its own, each failure named with its file; a file that is not a HAR is said and the others still read', () => {
    const root = join(dir, 'test-results');
    mkdirSync(join(root, 'login-spec', 'retry1'), { recursive: true });
    writeFileSync(join(root, 'login-spec', 'session.har'), JSON.stringify(session));
    writeFileSync(join(root, 'login-spec', 'retry1', 'session.har'), JSON.stringify(har([entry({ req: { Authorization: 'Bearer undefined' }, res: { 'WWW-Authenticate': 'Bearer realm="api"' } })])));
    writeFileSync(join(root, 'broken.har'), '<html>not a HAR</html>');
    writeFileSync(join(root, 'notes.txt'), 'not read');
    const json = cli(['explain', '--json', root]);
    assert.equal(json.code, 0, json.err);
    const report = JSON.parse(json.out) as { failures: { file?: string; entry: number; findings: { cause: string }[] }[]; skipped?: string[] };
    assert.deepEqual(report.failures.map((f) => f.file), [join('login-spec', 'retry1', 'session.har'), ...Array(4).fill(join('login-spec', 'session.har'))]);
    assert.equal(report.failures[0]!.findings[0]!.cause, 'placeholder-token');
    assert.equal(report.failures[0]!.entry, 0, 'entries are numbered within their file');
    assert.deepEqual(report.skipped, ['broken.har: not JSON: a HAR file starts with "{"']);
    const text = cli(['explain', root]);
    assert.match(text.out, /^why401: 5 auth failures in 8 entries of 3 HAR files/);
    assert.ok(text.out.includes(`\n\n${join('login-spec', 'retry1', 'session.har')}\n1.  GET `), text.out.slice(0, 400));
    const github = cli(['explain', '--format', 'github', '--fail-on', 'placeholder-token', root]);
    assert.equal(github.code, 1);
    assert.match(github.out, /^::error title=Why 401%3A Placeholder token \(placeholder-token\)::login-spec\/retry1\/session\.har: GET /m);
    assert.match(cli(['explain', '--format', 'junit', root]).out, /<testcase classname="why401\.api\.example\.com" name="login-spec\/session\.har: GET /);
    const md = cli(['explain', '--format', 'md', root]);
    assert.equal(md.code, 2);
    assert.match(md.err, /--format md takes one HAR file, not a folder/);
  });

  it('a folder with no .har file or trace exits 2 and says so', () => {
    const empty = join(dir, 'no-hars');
    mkdirSync(empty, { recursive: true });
    writeFileSync(join(empty, 'a.json'), '{}');
    const r = cli(['explain', empty]);
    assert.equal(r.code, 2);
    assert.match(r.err, /a folder with no \.har file or trace \.zip in it/);
  });
});

describe('why401 explain: sign-in flows', () => {
  before(ensureBuilt);
  const verifierOf = (n: string) => `${CANARY}-verifier-${n}-0123456789abcdefghijklmnop`;
  const challengeOf = (v: string) => createHash('sha256').update(v).digest('base64url');
  const authorize = (state: string, verifier: string, at: string) =>
    entry({ url: `https://idp.test/authorize?response_type=code&client_id=spa&redirect_uri=${encodeURIComponent('https://app.test/cb')}&state=${state}&nonce=${CANARY}&code_challenge=${challengeOf(verifier)}&code_challenge_method=S256`, status: 302, at });
  const log = har([
    authorize(`${CANARY}-s1`, verifierOf('one'), '2026-12-06T10:00:01Z'),
    authorize(`${CANARY}-s2`, verifierOf('two'), '2026-12-06T10:00:02Z'),
    entry({ url: `https://app.test/cb?code=${CANARY}-code&state=${CANARY}-s1`, status: 200, at: '2026-12-06T10:00:03Z' }),
    entry({ method: 'POST', url: 'https://idp.test/token', status: 400, at: '2026-12-06T10:00:04Z', form: { grant_type: 'authorization_code', client_id: 'spa', code: `${CANARY}-code`, redirect_uri: 'https://app.test/cb', code_verifier: verifierOf('two') }, body: '{"error":"invalid_grant","error_description":"PKCE verification failed"}' }),
    entry({ url: 'https://api.test/me', status: 401, at: '2026-12-06T10:00:05Z', res: { 'WWW-Authenticate': 'Bearer realm="api"' } }),
  ]);

  it('JSON: the flows, the broken step and its cause; text: the same; --fail-on any counts it; nothing secret in either', () => {
    const path = file('flow.har', JSON.stringify(log));
    const json = cli(['explain', '--json', path]);
    assert.equal(json.code, 0);
    const report = JSON.parse(json.out) as { flows: { client: string; steps: { kind: string; entry: number }[]; findings: { cause: string; entry: number }[] }[]; failures: unknown[] };
    assert.equal(report.failures.length, 1);
    assert.deepEqual(report.flows.map((f) => f.steps.map((s) => `${s.kind}@${s.entry}`)), [['authorize@0', 'callback@2', 'token@3'], ['authorize@1']]);
    assert.deepEqual(report.flows[0]!.findings.map((f) => [f.cause, f.entry]), [['pkce-mismatch', 3]]);
    const text = cli(['explain', path]);
    assert.match(text.out, /Sign-in flows: 2, 1 broken\n {2}1\. client spa: authorize → callback → token ✗\n {4}● The code_verifier does not match the code_challenge \(PKCE\)/);
    assert.match(text.out, /2\. client spa: authorize \(no answer in this log\)/);
    for (const out of [json.out, text.out]) assert.ok(!out.includes(CANARY), `a secret printed: ${out.slice(out.indexOf(CANARY) - 80, out.indexOf(CANARY) + 40)}`);
    assert.equal(cli(['explain', '--fail-on', 'any', path]).code, 1);
    assert.equal(cli(['explain', '--fail-on', 'missing-credentials', path]).code, 1);
  });

  it('Markdown: the flows after the failures, the broken one with its cause, explanation, fixes and evidence; nothing secret', () => {
    const path = file('flow-md.har', JSON.stringify(log));
    const md = cli(['explain', '--format', 'md', path]);
    assert.equal(md.code, 0, md.err);
    assert.match(md.out, /^1 auth failure, exported [^\n]*\n\nSign-in flows: 2, 1 broken \(below\)\./m);
    const section = md.out.slice(md.out.indexOf('## Sign-in flows'));
    assert.ok(md.out.indexOf('## 1. ') < md.out.indexOf('## Sign-in flows'), 'after the failures');
    assert.match(section, /### Flow 1 \(client `spa`\): authorize → callback → token ✗\n\n\*\*Broke:\*\* The code\\_verifier does not match the code\\_challenge \(PKCE\) \(`pkce-mismatch`, high confidence; PKCE mismatch\) at entry #3, `POST https:\/\/idp\.test\/token` → 400/);
    assert.match(section, /\*\*What developers can do:\*\*\n\n- /);
    assert.match(section, /\*\*Evidence:\*\*\n\n- /);
    assert.match(section, /### Flow 2 \(client `spa`\): authorize \(no answer in this log\)/);
    assert.ok(!md.out.includes(CANARY), `a secret printed: ${md.out.slice(md.out.indexOf(CANARY) - 80, md.out.indexOf(CANARY) + 40)}`);
    // --show-secrets shows the failures' secrets; the flows stay masked (core keeps nothing secret of them).
    const shown = cli(['explain', '--format', 'md', '--show-secrets', path]).out;
    assert.ok(!shown.slice(shown.indexOf('## Sign-in flows')).includes(CANARY));
  });

  it('CI formats: a broken flow is an annotation and a failing test case of its own, so --fail-on any never fails a build unexplained', () => {
    const path = file('flow-ci.har', JSON.stringify(log));
    const gh = cli(['explain', '--format', 'github', '--fail-on', 'any', path]);
    assert.equal(gh.code, 1);
    const annotations = gh.out.split('\n').filter((l) => l.startsWith('::error'));
    assert.equal(annotations.length, 2);
    assert.match(annotations[1]!, /^::error title=Why 401%3A sign-in flow%2C PKCE mismatch \(pkce-mismatch\)::sign-in of spa, token: POST https:\/\/idp\.test\/token → 400%0AThe code_verifier does not match/);
    assert.match(gh.out, /why401: 1 auth failure and 1 sign-in flow problem in 5 entries/);
    const junit = cli(['explain', '--format', 'junit', path]).out;
    assert.match(junit, /<testsuites name="why401" tests="2" failures="2">/);
    assert.match(junit, /<testcase classname="why401\.sign-in" name="sign-in of spa, token: POST https:\/\/idp\.test\/token → 400">\n {6}<failure type="pkce-mismatch"/);
    for (const out of [gh.out, junit]) assert.ok(!out.includes(CANARY), 'a secret printed');
  });

  it('a log without a sign-in flow has no "flows" and no flow section', () => {
    const path = file('no-flow.har', JSON.stringify(session));
    assert.equal((JSON.parse(cli(['explain', '--json', path]).out) as { flows?: unknown }).flows, undefined);
    assert.doesNotMatch(cli(['explain', path]).out, /Sign-in flows/);
  });
});
