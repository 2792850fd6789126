/**
 * Property tests (fast-check): no parser throws on any input, and 1 MB hostile headers are read
 * whole. No wall-clock assertion: a shared machine's load is not a property of the code; the
 * linearity of every text function is measured by `npm run bench -- linear`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseChallenges } from '../../src/core/auth/challenges.ts';
import { parseCredentials } from '../../src/core/auth/credentials.ts';
import { parseCookieHeader, parseSetCookie } from '../../src/core/cookies/cookies.ts';
import { inspectToken } from '../../src/core/tokens/jwt.ts';
import { readHar } from '../../src/core/exchange/har-read.ts';
import { redactAuthorization, redactBody, redactCookieHeader, redactHeaderValue, redactSetCookie, redactUrl } from '../../src/core/redaction/redact.ts';
import { diagnoseEntry } from '../../src/core/verdict/diagnose.ts';
import { entry } from '../helpers/har.ts';

/** Header-ish text: the characters that matter to these grammars, plus anything at all. */
const headerText = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'Basic Bearer DPoP Digest realm="x", \\"=;:\t\r\n\u0000\u00e9\u202e/+.-_~abcXYZ019'.split('')), maxLength: 300 }),
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
);

function timed<T>(f: () => T): T {
  return f();
}

describe('parsers never throw', () => {
  const props: [string, (s: string) => unknown][] = [
    ['parseChallenges', (s) => parseChallenges([s, s])],
    ['parseCredentials', (s) => parseCredentials(s)],
    ['parseSetCookie', (s) => parseSetCookie(s, 'https://a.test/x', 0)],
    ['parseCookieHeader', (s) => parseCookieHeader(s)],
    ['inspectToken', (s) => inspectToken(s)],
    ['inspectToken (JWT-shaped)', (s) => inspectToken(`eyJ${s}.${s}.${s}`)],
    ['redactAuthorization', (s) => redactAuthorization(s)],
    ['redactCookieHeader', (s) => redactCookieHeader(s)],
    ['redactSetCookie', (s) => redactSetCookie(s)],
    ['redactHeaderValue', (s) => redactHeaderValue('x-custom', s)],
    ['redactUrl', (s) => redactUrl(s)],
    ['redactBody', (s) => redactBody(s, 'application/json')],
  ];
  for (const [name, f] of props) {
    it(name, () => fc.assert(fc.property(headerText, (s) => void timed(() => f(s))), { numRuns: 400 }));
  }
  it('readHar: throws only HarError, on any text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string({ maxLength: 200 }), headerText), (s) => {
        try {
          timed(() => readHar(s));
        } catch (e) {
          assert.equal((e as Error).name, 'HarError');
        }
      }),
      { numRuns: 400 },
    );
  });
  it('the whole diagnosis never throws on hostile headers', () => {
    fc.assert(
      fc.property(headerText, headerText, headerText, (a, b, c) => {
        const findings = timed(() => diagnoseEntry(entry({ req: { Authorization: a, Cookie: c }, res: { 'WWW-Authenticate': b, 'Set-Cookie': c } })));
        assert.ok(findings.length > 0);
      }),
      { numRuns: 300 },
    );
  });
});

describe('1 MB hostile headers are read whole, without throwing (their timing: npm run bench -- linear)', () => {
  const MB = 1 << 20;
  const cases: [string, string][] = [
    ['many challenges', 'Basic realm="x", '.repeat(MB / 17)],
    ['one huge quoted string', `Basic realm="${'a'.repeat(MB)}`],
    ['backslashes in a quote', `Basic realm="${'\\'.repeat(MB)}"`],
    ['commas only', ','.repeat(MB)],
    ['spaces then a comma', `Basic ${' '.repeat(MB)},`],
    ['equals signs', `Bearer ${'='.repeat(MB)}`],
    ['parameters without commas', 'Bearer a="b" '.repeat(MB / 13)],
    ['binary bytes', String.fromCharCode(...Array.from({ length: 65536 }, (_, i) => i % 256)).repeat(16)],
    ['a huge token68', `Negotiate ${'A'.repeat(MB)}==`],
    ['obs-fold everywhere', 'Basic realm="x",\r\n '.repeat(MB / 19)],
  ];
  for (const [name, value] of cases) {
    it(name, () => {
      for (const f of [() => parseChallenges(value), () => parseCredentials(value), () => redactHeaderValue('authorization', value), () => redactHeaderValue('cookie', value), () => parseSetCookie(value, 'https://x.test/', 0)]) {
        assert.doesNotThrow(f, name);
      }
    });
  }
  it('a 1 MB JWT-shaped token', () => {
    const t = inspectToken(`eyJ${'a'.repeat(MB)}.${'b'.repeat(MB)}.c`);
    assert.notEqual(t.kind, 'jwt', 'garbage that only looks like a JWT is not decoded as one');
  });
  it('thousands of challenges are all kept', () => {
    assert.equal(parseChallenges('Bearer realm="a", '.repeat(5000)).challenges.length, 5000);
  });
});
