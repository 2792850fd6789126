import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspectToken, looksLikeJwt } from '../../src/core/tokens/jwt.ts';
import { b64url, jwt, sec } from '../helpers/har.ts';

describe('inspectToken', () => {
  it('decodes header and claims, and the claims the rules use', () => {
    const t = jwt({ sub: 'u1', iss: 'https://sso.test', aud: ['https://api.test', 'x'], exp: 2000, nbf: 1000, iat: 1000, scope: 'read write', cnf: { jkt: 'abc' } });
    const info = inspectToken(t);
    assert.equal(info.kind, 'jwt');
    assert.equal(info.header?.['alg'], 'RS256');
    assert.deepEqual([info.exp, info.nbf, info.iat], [2000, 1000, 1000]);
    assert.deepEqual(info.aud, ['https://api.test', 'x']);
    assert.equal(info.iss, 'https://sso.test');
    assert.equal(info.sub, 'u1');
    assert.deepEqual(info.scopes, ['read', 'write']);
    assert.equal(info.cnfJkt, 'abc');
  });
  it('a string aud becomes a list; scp arrays and permissions count as scopes', () => {
    assert.deepEqual(inspectToken(jwt({ aud: 'api' })).aud, ['api']);
    assert.deepEqual(inspectToken(jwt({ scp: ['a', 'b'] })).scopes, ['a', 'b']);
    assert.deepEqual(inspectToken(jwt({ permissions: ['read:x'] })).scopes, ['read:x']);
  });
  it('numeric claims of the wrong type are reported', () => {
    const info = inspectToken(jwt({ exp: '1700000000', nbf: 'soon' }));
    assert.equal(info.exp, 1700000000);
    assert.equal(info.nbf, undefined);
    assert.equal(info.claimProblems?.length, 2);
  });
  it('JWE (five segments, enc header) and opaque tokens are recognised', () => {
    const jwe = `${b64url(JSON.stringify({ alg: 'RSA-OAEP', enc: 'A256GCM' }))}.a.b.c.d`;
    assert.equal(inspectToken(jwe).kind, 'jwe');
    assert.equal(inspectToken('mF_9.B5f-4.1JqM').kind, 'opaque');
    assert.equal(inspectToken('2YotnFZFEjr1zCsicMWpAA').kind, 'opaque');
  });
  it('broken JWTs never throw and say what is wrong', () => {
    for (const t of ['eyJhbGciOi.broken.sig', 'eyJ.eyJ.x', 'eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.sig', 'eyJhbGciOiJIUzI1NiJ9.eyJ4IjoxfQ', `eyJ${'A'.repeat(100000)}.x.y`, 'eyJ!!.e30.x']) {
      const info = inspectToken(t);
      assert.equal(info.kind, 'broken-jwt', t.slice(0, 40));
      assert.ok(info.problem && info.problem.length > 0);
      assert.ok(!info.problem.includes(t.slice(0, 12)) || t.length < 12);
    }
  });
  it('a payload that is JSON but not an object is broken', () => {
    assert.equal(inspectToken(`${b64url('{"alg":"none"}')}.${b64url('[1,2]')}.`).kind, 'broken-jwt');
  });
  it('looksLikeJwt', () => {
    assert.equal(looksLikeJwt(jwt({})), true);
    assert.equal(looksLikeJwt('abc.def.ghi'), false);
  });
  it('times are seconds', () => assert.equal(inspectToken(jwt({ exp: sec('2025-06-01T11:00:00Z') })).exp, 1748775600));
});
