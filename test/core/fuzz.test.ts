/**
 * The fuzzer (fast-check): random HARs whose secrets sit in every shape a real app produces
 * (named below) among hostile noise (control and C1 bytes, OSC 52 and other escape sequences,
 * `__proto__` keys, bidi characters, huge values), through the CLI (text and JSON) and every
 * core output (report, cURL, fetch, HAR export, redaction). Zero crashes, zero hangs, zero
 * canary secrets in any default output, zero control bytes reaching the terminal, no prototype
 * pollution.
 *
 * CI runs a fixed seed and a few thousand cases; `npm run fuzz` runs many more with a new seed
 * (WHY401_FUZZ_RUNS, WHY401_FUZZ_SEED to replay one).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { run } from '../../src/cli/why401.ts';
import { diagnoseTimeline } from '../../src/core/verdict/diagnose.ts';
import { exportHar } from '../../src/core/exchange/export.ts';
import { readHar } from '../../src/core/exchange/har-read.ts';
import type { HarEntry } from '../../src/core/exchange/har-types.ts';
import { redactEntry } from '../../src/core/redaction/redact.ts';
import { markdownReport } from '../../src/core/views/report-md.ts';
import { toCurl, toFetch } from '../../src/core/actions/reproduce.ts';
import { entry, har } from '../helpers/har.ts';
import { NAMING_STYLES, SECRET_NAME_WORDS, styled } from '../helpers/secret-shapes.ts';

const RUNS = Number(process.env['WHY401_FUZZ_RUNS'] ?? 2000);
const SEED = Number(process.env['WHY401_FUZZ_SEED'] ?? 401_2026);
const dir = mkdtempSync(join(tmpdir(), 'why401-fuzz-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A secret nobody could print by accident: "Cnry" and 16 random letters and digits. */
const canary = fc.string({ unit: fc.constantFrom(...'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789'.split('')), minLength: 16, maxLength: 16 }).map((s) => `Cnry${s}`);

const b64 = (s: string) => Buffer.from(s).toString('base64');
const b64url = (s: string) => Buffer.from(s).toString('base64url');
const jwtWith = (c: string) => `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url(`{"sub":"x","n":"${c}"}`)}.${c}`;

/** Where a secret sits: a change to the entry, and the texts that must never be printed. */
type Placement = { name: string; apply(e: HarEntry, c: string, secretName: string): string[] };

const header = (e: HarEntry, side: 'request' | 'response', name: string, value: string) => e[side].headers.push({ name, value });

/** Every shape of the issue's list, and the common ones besides. */
const PLACEMENTS: Placement[] = [
  { name: 'Authorization: Bearer <t>', apply: (e, c) => (header(e, 'request', 'Authorization', `Bearer ${c}`), [c]) },
  { name: 'Authorization: <t> (no scheme)', apply: (e, c) => (header(e, 'request', 'Authorization', c), [c]) },
  { name: 'Authorization: <raw JWT>', apply: (e, c) => (header(e, 'request', 'Authorization', jwtWith(c)), [c, jwtWith(c)]) },
  { name: 'Authorization: sk_live_…', apply: (e, c) => (header(e, 'request', 'Authorization', `sk_live_${c}`), [c]) },
  { name: 'Authorization: Bearer=<t>', apply: (e, c) => (header(e, 'request', 'Authorization', `Bearer=${c}`), [c]) },
  { name: 'Authorization: Bearer:<t>', apply: (e, c) => (header(e, 'request', 'Authorization', `Bearer:${c}`), [c]) },
  { name: 'Authorization: leading spaces', apply: (e, c) => (header(e, 'request', 'Authorization', `   Bearer ${c}`), [c]) },
  { name: 'Authorization: quoted, spaced', apply: (e, c) => (header(e, 'request', 'Authorization', `Bearer "${c}" ${c}`), [c]) },
  { name: 'Authorization: Bearer Bearer', apply: (e, c) => (header(e, 'request', 'Authorization', `Bearer Bearer ${c}`), [c]) },
  { name: 'Authorization: two joined', apply: (e, c) => (header(e, 'request', 'Authorization', `Bearer ${c}, Bearer ${c}x`), [c]) },
  { name: 'Authorization: Basic', apply: (e, c) => (header(e, 'request', 'Authorization', `Basic ${b64(`alice:${c}`)}`), [c, b64(`alice:${c}`)]) },
  { name: 'Authorization: Basic without padding', apply: (e, c) => (header(e, 'request', 'Authorization', `Basic ${b64(`a:${c}`).replace(/=+$/, '')}`), [c, b64(`a:${c}`).replace(/=+$/, '')]) },
  { name: 'Authorization: Digest', apply: (e, c) => (header(e, 'request', 'Authorization', `Digest username="alice", realm="r", nonce="n", uri="/", response="${c}", cnonce="${c}"`), [c]) },
  { name: 'Authorization: OAuth 1.0a', apply: (e, c) => (header(e, 'request', 'Authorization', `OAuth oauth_consumer_key="key", oauth_token="${c}", oauth_signature="${c}", oauth_nonce="n"`), [c]) },
  { name: 'Authorization: SigV4', apply: (e, c) => (header(e, 'request', 'Authorization', `AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=${c}`), [c]) },
  { name: 'Proxy-Authorization', apply: (e, c) => (header(e, 'request', 'Proxy-Authorization', `Basic ${b64(`p:${c}`)}`), [c, b64(`p:${c}`)]) },
  { name: 'DPoP proof', apply: (e, c) => (header(e, 'request', 'DPoP', jwtWith(c)), [c]) },
  { name: 'Cookie', apply: (e, c) => (header(e, 'request', 'Cookie', `theme=dark; sid=${c}; ${c}`), [c]) },
  { name: 'Set-Cookie', apply: (e, c) => (header(e, 'response', 'Set-Cookie', `sid=${c}; Path=/; HttpOnly`), [c]) },
  { name: 'HAR cookies', apply: (e, c) => ((e.request.cookies = [{ name: 'sid', value: c }]), (e.response.cookies = [{ name: 'sid', value: c }]), [c]) },
  { name: 'X-Api-Key', apply: (e, c) => (header(e, 'request', 'X-Api-Key', c), [c]) },
  { name: 'X-My-Session-Token', apply: (e, c) => (header(e, 'request', 'X-My-Session-Token', c), [c]) },
  { name: 'a scheme and token in a custom header', apply: (e, c) => (header(e, 'request', 'X-Forwarded-Authorization', `Bearer ${c}`), [c]) },
  { name: 'query access_token', apply: (e, c) => ((e.request.url += `?access_token=${c}&page=2`), [c]) },
  { name: 'fragment access_token', apply: (e, c) => ((e.request.url += `#access_token=${c}&token_type=bearer`), [c]) },
  { name: 'path parameter ;jsessionid=', apply: (e, c) => ((e.request.url += `;jsessionid=${c}`), [c]) },
  { name: 'CAS ticket', apply: (e, c) => ((e.request.url += `?ticket=ST-${c}`), [c]) },
  { name: 'SAMLResponse', apply: (e, c) => ((e.request.url += `?SAMLResponse=${c}&RelayState=x`), [c]) },
  { name: 'OAuth code on a redirect URI', apply: (e, c) => ((e.request.url += `?code=${c}&state=s`), [c]) },
  { name: 'JWT as a path segment', apply: (e, c) => ((e.request.url += `/${jwtWith(c)}/x`), [c]) },
  { name: 'userinfo password', apply: (e, c) => ((e.request.url = e.request.url.replace('://', `://bob:${c}@`)), [c]) },
  { name: 'a relative URL', apply: (e, c) => ((e.request.url = `/api/me?token=${c}`), [c]) },
  { name: 'a host new URL() refuses', apply: (e, c) => ((e.request.url = `https://bad host^/x?access_token=${c}`), [c]) },
  { name: 'Location with a fragment', apply: (e, c) => (header(e, 'response', 'Location', `https://app.test/cb#access_token=${c}`), [c]) },
  { name: 'JSON request body', apply: (e, c) => ((e.request.postData = { mimeType: 'application/json', text: JSON.stringify({ user: 'a', password: c, nested: { refresh_token: c } }) }), [c]) },
  { name: 'form request body', apply: (e, c) => ((e.request.postData = { mimeType: 'application/x-www-form-urlencoded', text: `username=a&password=${c}&client_secret=${c}` }), [c]) },
  { name: 'JSON response body', apply: (e, c) => ((e.response.content = { size: 1, mimeType: 'application/json', text: JSON.stringify({ access_token: c, id_token: jwtWith(c) }) }), [c]) },
  { name: 'free-text body', apply: (e, c) => ((e.response.content = { size: 1, mimeType: 'text/plain', text: `your session token is ${c}` }), [c]) },
  // Secret names from the generator (test/helpers/secret-shapes.ts), in any naming style.
  { name: 'a generated secret name in the query', apply: (e, c, n) => ((e.request.url += `?page=1&${encodeURIComponent(n)}=${c}`), [c]) },
  { name: 'a generated secret name in a form body', apply: (e, c, n) => ((e.request.postData = { mimeType: 'application/x-www-form-urlencoded', text: `a=1&${encodeURIComponent(n)}=${c}` }), [c]) },
  { name: 'a generated secret name in JSON at depth', apply: (e, c, n) => ((e.request.postData = { mimeType: 'application/json', text: JSON.stringify({ a: [{ b: { [n]: c } }] }) }), [c]) },
  { name: 'a generated secret name as a header', apply: (e, c, n) => (header(e, 'request', `X-${n.replace(/[^A-Za-z0-9]+/g, '-')}`, c), [c]) },
  { name: 'held cookie values', apply: (e, c) => ((e._why401 = { ...e._why401, cookieJar: [{ name: 'sid', value: c, domain: 'api.test', hostOnly: true, path: '/', secure: true, httpOnly: true, sameSite: 'lax', session: true }] }), [c]) },
];

/** Noise where no secret is: control bytes, terminal escapes, bidi, markup, prototype keys. */
const noise = fc.oneof(
  fc.constantFrom('\u001b]52;c;ZXZpbA==\u0007', '\u001b[2J', '\u001b]0;pwned\u0007', '\u009b31m', '\u0007', '\u202e', '\u200b', '<img src=x onerror=alert(1)>', '__proto__', 'constructor', '\r\n', '\u0000'),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

const STATUS = fc.constantFrom(401, 401, 407, 403, 400, 200, 302);
const CHALLENGE = fc.constantFrom('Bearer realm="api"', 'Bearer realm="api", error="invalid_token"', 'Basic realm="x"', 'Digest realm="r", nonce="n", stale=true', 'Negotiate', 'DPoP algs="ES256"', '', 'Bearer error="insufficient_scope", scope="write"');

const entryArb = fc.record({
  placements: fc.subarray(PLACEMENTS, { minLength: 1, maxLength: 4 }),
  secret: canary,
  secretName: fc.tuple(fc.constantFrom(...SECRET_NAME_WORDS), fc.constantFrom(...NAMING_STYLES)).map(([words, style]) => styled(words, style)),
  status: STATUS,
  challenge: CHALLENGE,
  method: fc.oneof(fc.constantFrom('GET', 'POST', 'OPTIONS'), noise),
  statusText: noise,
  headerName: noise,
  headerValue: noise,
  at: fc.integer({ min: Date.parse('2025-01-01T00:00:00Z'), max: Date.parse('2026-01-01T00:00:00Z') }),
});

type Spec = typeof entryArb extends fc.Arbitrary<infer T> ? T : never;

function build(spec: Spec): { e: HarEntry; secrets: string[] } {
  const e = entry({ method: spec.method, url: 'https://api.test/v1/me', status: spec.status, statusText: spec.statusText, at: new Date(spec.at).toISOString() });
  if (spec.challenge) header(e, 'response', spec.status === 407 ? 'Proxy-Authenticate' : 'WWW-Authenticate', spec.challenge);
  if (spec.headerName.length > 0) e.request.headers.push({ name: spec.headerName.replace(/[:\r\n]/g, ''), value: spec.headerValue });
  const secrets: string[] = [];
  for (const p of spec.placements) secrets.push(...p.apply(e, spec.secret, spec.secretName));
  return { e, secrets };
}

/** The command line's install key goes here, not in the home of whoever runs the tests. */
const configHome = mkdtempSync(join(tmpdir(), 'why401-fuzz-config-'));

function cli(args: string[], file: string): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = run([...args, file], (s) => (out += `${s}\n`), (s) => (err += `${s}\n`), { TERM: 'xterm', XDG_CONFIG_HOME: configHome }, true);
  return { code, out, err };
}

/** Fails with where the secret showed, so a counterexample says what leaked. */
function noLeak(what: string, text: string, secrets: string[]): void {
  for (const secret of secrets) {
    const i = text.indexOf(secret);
    if (i !== -1) assert.fail(`${what}: a secret is printed: …${JSON.stringify(text.slice(Math.max(0, i - 160), i + secret.length + 20))}…`);
  }
}
/** A control byte a terminal would act on: C0 but the line feed, DEL, C1; ESC only as our own colour codes. */
const TERMINAL_CONTROL = /(?!\u001b\[\d{1,2}m)[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

let caseNo = 0;

/** fc.assert, with the failing assertion's own message in the report (which case, what leaked). */
function check<T>(property: fc.IProperty<T>, options: fc.Parameters<T>): void {
  const details = fc.check(property, options);
  if (details.failed) assert.fail(`${fc.defaultReportMessage(details) ?? 'property failed'}\n\nWhat failed: ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`);
}

describe(`fuzz: ${RUNS} random HARs (seed ${SEED})`, () => {
  it('no crash, no hang, no secret in any default output, no control byte to the terminal, no prototype pollution', () => {
    const protoKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    check(
      fc.property(fc.array(entryArb, { minLength: 1, maxLength: 4 }), (specs) => {
        const built = specs.map(build);
        const secrets = [...new Set(built.flatMap((b) => b.secrets))];
        const text = JSON.stringify(har(built.map((b) => b.e)));
        const file = join(dir, `case-${caseNo++ % 50}.har`);
        writeFileSync(file, text);

        const json = cli(['explain', '--json', '--include-403'], file);
        assert.equal(json.code, 0, json.err);
        const report = JSON.parse(json.out) as { failures: unknown[] };
        assert.ok(Array.isArray(report.failures));
        noLeak('the CLI JSON', json.out, secrets);
        assert.doesNotMatch(json.out, /[\u007f-\u009f\u202a-\u202e]/, 'no raw DEL, C1 or bidi in the JSON');

        const plain = cli(['explain', '--include-403'], file);
        assert.equal(plain.code, 0, plain.err);
        noLeak('the CLI text', plain.out, secrets);
        assert.doesNotMatch(plain.out, TERMINAL_CONTROL, 'nothing from the file reaches the terminal as a control');

        const { entries } = readHar(text);
        const failures = [...diagnoseTimeline(entries, { include403: true })];
        const items = failures.map((d) => ({ entry: d.entry, findings: d.findings }));
        noLeak('the HAR export', JSON.stringify(exportHar(items, { includeSecrets: false, version: 'fuzz' })), secrets);
        noLeak('the Markdown report', markdownReport(items), secrets);
        for (const it of items) {
          noLeak('copy as cURL', toCurl(it.entry).text, secrets);
          noLeak('copy as fetch', toFetch(it.entry).text, secrets);
        }
        for (const { entry: e } of entries) {
          const once = redactEntry(e);
          noLeak('redactEntry', JSON.stringify(once), secrets);
          assert.deepEqual(redactEntry(once), once, 'masking a masked entry changes nothing');
        }
        assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), protoKeys, 'Object.prototype untouched');
        assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('garbage files: a clear error (exit 2) or a partial result, never a crash', () => {
    check(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), fc.json().map((j) => `{"log":{"entries":[${j}]}}`), fc.constantFrom('{"log":{"entries":[{"request":{"method":"GET","url":"x","headers":[{"name":"__proto__","value":"1"}]},"response":{"status":401,"headers":[{"name":"WWW-Authenticate","value":"Bearer"}],"__proto__":{"polluted":1}}}]}}')), (text) => {
        const file = join(dir, 'garbage.har');
        writeFileSync(file, text);
        const r = cli(['explain', '--json'], file);
        assert.ok(r.code === 0 || r.code === 2, `exit ${r.code}`);
        if (r.code === 2) assert.match(r.err, /^why401: [^\n]+\n$/, 'one line on stderr');
        assert.doesNotMatch(r.err, TERMINAL_CONTROL);
        assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
      }),
      { numRuns: Math.max(200, RUNS >> 2), seed: SEED },
    );
  });
});
