import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCredentials } from '../../src/core/auth/credentials.ts';

const codes = (v: string | string[]) => parseCredentials(v)!.problems.map((p) => p.code);

describe('parseCredentials', () => {
  it('returns null when there is no header', () => assert.equal(parseCredentials([]), null));

  it('RFC 7617 §2: Basic Aladdin:open sesame', () => {
    const c = parseCredentials('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==')!;
    assert.equal(c.scheme, 'basic');
    assert.equal(c.token68, 'QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
    assert.deepEqual(c.basic, { username: 'Aladdin', password: 'open sesame' });
    assert.deepEqual(c.problems, []);
  });

  it('RFC 7617 §2.1: UTF-8 user and password (test:123£)', () => {
    assert.deepEqual(parseCredentials('Basic dGVzdDoxMjPCow==')!.basic, { username: 'test', password: '123£' });
  });

  it('Basic: the password is split at the first colon only', () => {
    const token = Buffer.from('user:pa:ss').toString('base64');
    assert.deepEqual(parseCredentials(`Basic ${token}`)!.basic, { username: 'user', password: 'pa:ss' });
  });

  it('Basic errors: empty, invalid-base64, no-colon', () => {
    assert.deepEqual(parseCredentials('Basic')!.basic, { error: 'empty' });
    assert.deepEqual(parseCredentials('Basic ')!.basic, { error: 'empty' });
    assert.deepEqual(parseCredentials('Basic not*base64!')!.basic, { error: 'invalid-base64' });
    assert.deepEqual(parseCredentials('Basic abcde')!.basic, { error: 'invalid-base64' });
    assert.deepEqual(parseCredentials('Basic YQ=x')!.basic, { error: 'invalid-base64' });
    // Unpadded base64 still decodes (servers accept it), but strict RFC 4648 wants padding.
    assert.deepEqual(codes('Basic dTpw'), []);
    assert.deepEqual(codes('Basic dTpwdw'), ['base64-padding']);
    assert.deepEqual(parseCredentials(`Basic ${Buffer.from('nocolon').toString('base64')}`)!.basic, { error: 'no-colon' });
  });

  it('Basic: Latin-1 bytes that are not UTF-8 still decode', () => {
    const token = Buffer.from([0x75, 0x3a, 0xe9]).toString('base64');
    assert.deepEqual(parseCredentials(`Basic ${token}`)!.basic, { username: 'u', password: 'é' });
  });

  it('RFC 6750 §2.1: Bearer b64token', () => {
    const c = parseCredentials('Bearer mF_9.B5f-4.1JqM')!;
    assert.equal(c.scheme, 'bearer');
    assert.equal(c.token68, 'mF_9.B5f-4.1JqM');
    assert.equal(c.token, 'mF_9.B5f-4.1JqM');
    assert.deepEqual(c.problems, []);
  });

  it('RFC 9449 §7.1: DPoP scheme', () => {
    const c = parseCredentials('DPoP Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU')!;
    assert.equal(c.scheme, 'dpop');
    assert.deepEqual(c.problems, []);
  });

  it('RFC 7616 §3.9.1: Digest parameters', () => {
    const c = parseCredentials(
      'Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
    )!;
    assert.equal(c.scheme, 'digest');
    assert.equal(c.params['username'], 'Mufasa');
    assert.equal(c.params['nc'], '00000001');
    assert.equal(c.params['response'], '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
    assert.equal(c.token68, null);
    assert.deepEqual(c.problems, []);
  });

  it('AWS SigV4-style parameter lists with unquoted slashes', () => {
    const c = parseCredentials(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-date, Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024',
    )!;
    assert.equal(c.scheme, 'aws4-hmac-sha256');
    assert.equal(c.params['credential'], 'AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request');
    assert.equal(c.params['signedheaders'], 'host;range;x-amz-date');
    assert.deepEqual(c.problems, []);
  });

  it('problems: two credentials, quoted token, spaces, "Bearer:", repeated scheme, missing token', () => {
    assert.deepEqual(codes(['Bearer a', 'Bearer b']), ['multiple-credentials']);
    assert.deepEqual(codes('Bearer abc, Basic dTpw'), ['multiple-credentials']);
    assert.deepEqual(codes('Bearer "abc"'), ['quoted-token']);
    assert.deepEqual(codes('Bearer abc def'), ['space-in-token']);
    assert.deepEqual(codes('Bearer: abc'), ['scheme-with-colon']);
    assert.deepEqual(codes('Bearer Bearer abc'), ['repeated-scheme']);
    assert.deepEqual(codes('Bearer'), ['missing-token']);
    assert.deepEqual(codes('Bearer abc\tdef'), ['space-in-token']);
    assert.deepEqual(codes('Bearer a{b}'), ['invalid-token-character']);
    assert.deepEqual(codes('Bearer ab=c'), ['invalid-token-character']);
  });

  it('the repeated scheme is stripped to find the token', () => {
    const c = parseCredentials('Bearer Bearer abc.def')!;
    assert.equal(c.repeatedScheme, true);
    assert.equal(c.token, 'abc.def');
  });

  it('quotes are stripped to find the token', () => {
    assert.equal(parseCredentials("Bearer 'abc'")!.token, 'abc');
  });

  it('problem messages never quote the credential', () => {
    for (const v of ['Bearer "s3cr3t-token"', 'Bearer s3cr3t token', 'Basic s3cr3t!!', 'Bearer: s3cr3t', 'Digest response="s3cr3t" x', 'Bearer s3cr3t\u0001x']) {
      for (const p of parseCredentials(v)!.problems) assert.ok(!p.message.includes('s3cr3t'), `${v}: ${p.message}`);
    }
  });

  it('a header that is only a placeholder word is a bare credential, not a scheme', () => {
    const c = parseCredentials('undefined')!;
    assert.equal(c.scheme, '');
    assert.equal(c.bare, true);
    assert.equal(c.token, 'undefined');
  });
  it('no scheme: a bare JWT, an API key, "Bearer=…", a leading space — read by meaning, never quoted', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
    for (const [value, expect] of [
      [jwt, { scheme: '', bare: true, token: jwt }],
      ['sk_live_51Habcdefghijklmnop', { scheme: '', bare: true, token: 'sk_live_51Habcdefghijklmnop' }],
      ['  ' + jwt, { scheme: '', bare: true, token: jwt }],
      ['Bearer=abc.def', { scheme: 'bearer', bare: false, glue: '=', token: 'abc.def' }],
      ['Bearer:abc.def', { scheme: 'bearer', bare: false, glue: ':', token: 'abc.def' }],
      ['  Bearer abc.def', { scheme: 'bearer', bare: false, glue: '', token: 'abc.def' }],
      ['Token abc.def', { scheme: 'token', bare: false, glue: '', token: 'abc.def' }],
      ['dXNlcjpwYXNz==', { scheme: '', bare: true, token: 'dXNlcjpwYXNz==' }],
      ['abc123def456 ghi', { scheme: '', bare: true, token: 'abc123def456 ghi' }],
    ] as const) {
      const c = parseCredentials(value)!;
      for (const [k, v] of Object.entries(expect)) assert.equal((c as unknown as Record<string, unknown>)[k], v, `${value}: ${k}`);
      for (const p of c.problems) assert.ok(!p.message.includes('abc') && !p.message.includes('eyJ') && !p.message.includes('sk_live') && !p.message.includes('dXNl'), `${value}: ${p.message}`);
    }
  });
});
