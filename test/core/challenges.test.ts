import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { basicView, bearerView, digestView, parseChallenges } from '../../src/core/auth/challenges.ts';

const codes = (v: string | string[]) => parseChallenges(v).problems.map((p) => p.code);

describe('parseChallenges: RFC examples parse exactly, without problems', () => {
  it('RFC 9110 §11.6.1: two challenges in one field, escapes, token values', () => {
    const r = parseChallenges('Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"');
    assert.deepEqual(r, {
      challenges: [
        { scheme: 'newauth', params: { realm: 'apps', type: '1', title: 'Login to "apps"' }, token68: null },
        { scheme: 'basic', params: { realm: 'simple' }, token68: null },
      ],
      problems: [],
    });
  });

  it('RFC 7617 §2 and §2.1: Basic with realm and charset', () => {
    assert.deepEqual(parseChallenges('Basic realm="WallyWorld"').challenges, [{ scheme: 'basic', params: { realm: 'WallyWorld' }, token68: null }]);
    const r = parseChallenges('Basic realm="foo", charset="UTF-8"');
    assert.deepEqual(basicView(r.challenges[0]!), { realm: 'foo', charset: 'UTF-8' });
    assert.deepEqual(r.problems, []);
  });

  it('RFC 6750 §3: Bearer with and without an error', () => {
    assert.deepEqual(parseChallenges('Bearer realm="example"').challenges, [{ scheme: 'bearer', params: { realm: 'example' }, token68: null }]);
    const r = parseChallenges('Bearer realm="example", error="invalid_token", error_description="The access token expired"');
    assert.deepEqual(bearerView(r.challenges[0]!), { realm: 'example', error: 'invalid_token', errorDescription: 'The access token expired' });
    assert.deepEqual(r.problems, []);
  });

  it('RFC 6750 §3.1: insufficient_scope with a space-delimited scope', () => {
    const r = parseChallenges('Bearer realm="example", error="insufficient_scope", scope="read write", error_uri="https://example.com/errors/scope"');
    assert.deepEqual(bearerView(r.challenges[0]!), {
      realm: 'example',
      error: 'insufficient_scope',
      scope: ['read', 'write'],
      errorUri: 'https://example.com/errors/scope',
    });
  });

  it('RFC 7616 §3.9.1: two Digest challenges in two fields', () => {
    const sha = 'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';
    const md5 = sha.replace('SHA-256', 'MD5');
    const r = parseChallenges([sha, md5]);
    assert.equal(r.challenges.length, 2);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(digestView(r.challenges[0]!), {
      realm: 'http-auth@example.org',
      nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
      opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
      algorithm: 'SHA-256',
      qop: ['auth', 'auth-int'],
    });
    assert.equal(digestView(r.challenges[1]!).algorithm, 'MD5');
  });

  it('RFC 7616: stale=true and userhash', () => {
    const d = digestView(parseChallenges('Digest realm="r", nonce="n2", stale=TRUE, userhash=true').challenges[0]!);
    assert.equal(d.stale, true);
    assert.equal(d.userhash, true);
  });

  it('RFC 9449 §7.1 and §9: DPoP algs and use_dpop_nonce', () => {
    const a = parseChallenges('DPoP algs="ES256 PS256"');
    assert.deepEqual(bearerView(a.challenges[0]!).algs, ['ES256', 'PS256']);
    const b = parseChallenges('DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"');
    assert.equal(bearerView(b.challenges[0]!).error, 'use_dpop_nonce');
    assert.deepEqual(b.problems, []);
  });

  it('RFC 9728 §5.1: resource_metadata', () => {
    const r = parseChallenges('Bearer resource_metadata="https://resource.example.com/.well-known/oauth-protected-resource"');
    assert.equal(bearerView(r.challenges[0]!).resourceMetadata, 'https://resource.example.com/.well-known/oauth-protected-resource');
  });

  it('Bearer and DPoP offered side by side', () => {
    const r = parseChallenges('Bearer realm="api", DPoP algs="ES256"');
    assert.deepEqual(r.challenges.map((c) => c.scheme), ['bearer', 'dpop']);
    assert.deepEqual(r.problems, []);
  });

  it('token68 challenges (Negotiate) and bare schemes', () => {
    assert.deepEqual(parseChallenges('Negotiate').challenges, [{ scheme: 'negotiate', params: {}, token68: null }]);
    assert.deepEqual(parseChallenges('Negotiate YIIBhgYGKwYBBQUCoIIBejCCAXag==').challenges[0]!.token68, 'YIIBhgYGKwYBBQUCoIIBejCCAXag==');
    assert.deepEqual(parseChallenges('Negotiate, NTLM').challenges.map((c) => c.scheme), ['negotiate', 'ntlm']);
  });

  it('scheme and parameter names are case-insensitive; values keep their case', () => {
    const r = parseChallenges('BASIC REALM="Mixed Case"');
    assert.deepEqual(r.challenges, [{ scheme: 'basic', params: { realm: 'Mixed Case' }, token68: null }]);
  });

  it('empty list elements are accepted (RFC 9110 §5.6.1)', () => {
    const r = parseChallenges(', Basic realm="a",, , Bearer ,');
    assert.deepEqual(r.challenges.map((c) => c.scheme), ['basic', 'bearer']);
    assert.deepEqual(r.problems, []);
  });

  it('whitespace around "=" (BWS) is accepted', () => {
    const r = parseChallenges('Basic realm = "x"');
    assert.deepEqual(r.challenges[0]!.params, { realm: 'x' });
    assert.deepEqual(r.problems, []);
  });

  it('unquoted token values', () => {
    const r = parseChallenges('Digest algorithm=SHA-256, stale=false, realm=plain');
    assert.deepEqual(r.challenges[0]!.params, { algorithm: 'SHA-256', stale: 'false', realm: 'plain' });
    assert.deepEqual(r.problems, []);
  });
});

describe('parseChallenges: malformed input is recovered and flagged', () => {
  it('duplicate parameter: first kept', () => {
    const r = parseChallenges('Bearer realm="a", realm="b"');
    assert.equal(r.challenges[0]!.params['realm'], 'a');
    assert.deepEqual(r.problems.map((p) => p.code), ['duplicate-parameter']);
  });
  it('unterminated quote', () => {
    const r = parseChallenges('Basic realm="unterminated');
    assert.equal(r.challenges[0]!.params['realm'], 'unterminated');
    assert.deepEqual(codes('Basic realm="unterminated'), ['unterminated-quote']);
  });
  it('parameter with no challenge', () => assert.deepEqual(codes('realm="x"'), ['parameter-without-scheme']));
  it('missing comma between parameters', () => {
    const r = parseChallenges('Bearer realm="a" error="invalid_token"');
    assert.deepEqual(r.challenges[0]!.params, { realm: 'a', error: 'invalid_token' });
    assert.deepEqual(r.problems.map((p) => p.code), ['missing-comma']);
  });
  it('a value that needed quotes', () => assert.deepEqual(codes('Bearer error_uri=https://x.test/e'), ['value-needs-quotes']));
  it('a parameter with no value', () => assert.deepEqual(codes('Basic realm='), []) /* "realm=" is a valid token68 */);
  it('a missing value before a comma', () => assert.deepEqual(codes('Bearer realm="a", error=, scope="x"'), ['missing-value']));
  it('bad characters and control characters', () => {
    assert.deepEqual(codes('Basic realm="a", @@@'), ['bad-character']);
    assert.ok(codes('Basic realm="a\u0001b"').includes('control-character'));
    assert.ok(codes('Bas\u00e9ic realm="x"').includes('bad-character'));
  });
  it('obs-fold is unfolded and reported', () => {
    const r = parseChallenges('Basic realm="x",\r\n charset="UTF-8"');
    assert.deepEqual(r.challenges[0]!.params, { realm: 'x', charset: 'UTF-8' });
    assert.deepEqual(r.problems.map((p) => p.code), ['obs-fold']);
  });
  it('an empty field', () => assert.deepEqual(codes(''), ['empty-field']));
  it('text after a token68', () => assert.deepEqual(codes('Negotiate abc def'), ['text-after-token68']));
  it('a parameter after a token68', () => assert.deepEqual(codes('Negotiate abc==, realm="x"'), ['parameter-after-token68']));
  it('problems name the field they come from', () => {
    const r = parseChallenges(['Basic realm="ok"', 'Bearer realm="a", realm="b"']);
    assert.equal(r.problems[0]!.field, 1);
  });
  it('__proto__ and constructor are ordinary parameter names', () => {
    const r = parseChallenges('X __proto__="p", constructor="c"');
    assert.equal(Object.getPrototypeOf(r.challenges[0]!.params), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(r.challenges[0]!.params, '__proto__')?.value, 'p');
    assert.equal(({} as Record<string, unknown>)['p'], undefined);
  });
  it('problem messages escape control characters from the input', () => {
    const r = parseChallenges('Basic realm="a", \u202e@evil');
    assert.ok(r.problems.every((p) => !p.message.includes('\u202e')));
  });
});

describe('auth-param or token68, and a comma after the scheme', () => {
  it('"Bearer abc=def" is a parameter (token68 may only end in "="); "Bearer abc==" is a token68', () => {
    assert.deepEqual(parseChallenges(['Bearer abc=def']).challenges, [{ scheme: 'bearer', params: { abc: 'def' }, token68: null }]);
    assert.deepEqual(parseChallenges(['Bearer abc==']).challenges, [{ scheme: 'bearer', params: {}, token68: 'abc==' }]);
  });
  it('"Basic, realm=…" is read leniently and flagged: a comma right after the scheme', () => {
    const r = parseChallenges(['Basic, realm="foo"']);
    assert.deepEqual(r.challenges, [{ scheme: 'basic', params: { realm: 'foo' }, token68: null }]);
    assert.deepEqual(r.problems.map((p) => p.code), ['comma-after-scheme']);
    assert.deepEqual(parseChallenges(['Negotiate, Basic realm="x"']).problems, [], 'two schemes separated by a comma are fine');
  });
  it('an empty field holds no challenge', () => {
    assert.deepEqual(parseChallenges(['']).challenges, []);
    assert.deepEqual(parseChallenges(['']).problems.map((p) => p.code), ['empty-field']);
  });
});
