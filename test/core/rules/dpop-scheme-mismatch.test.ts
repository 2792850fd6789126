import assert from 'node:assert/strict';
import { it } from 'node:test';
import { causes, entry, jwt, primary } from '../../helpers/har.ts';

it('Bearer sent, only DPoP offered', () => {
  const f = primary([entry({ req: { Authorization: `Bearer ${jwt({ cnf: { jkt: 'x' } })}` }, res: { 'WWW-Authenticate': 'DPoP algs="ES256", error="invalid_token"' } })]);
  assert.equal(f.cause, 'dpop-scheme-mismatch');
  assert.match(f.explanation, /cnf\.jkt/);
});
it('DPoP sent, only Bearer offered', () => {
  assert.equal(primary([entry({ req: { Authorization: 'DPoP abc', DPoP: 'proof' }, res: { 'WWW-Authenticate': 'Bearer realm="api"' } })]).cause, 'dpop-scheme-mismatch');
});
it('DPoP offered beside Bearer is not a mismatch for a plain Bearer token', () => {
  assert.ok(!causes([entry({ req: { Authorization: 'Bearer abc' }, res: { 'WWW-Authenticate': 'Bearer realm="api", DPoP algs="ES256"' } })]).includes('dpop-scheme-mismatch'));
});
it('a DPoP-bound token sent as Bearer where both are offered', () => {
  const c = causes([entry({ req: { Authorization: `Bearer ${jwt({ cnf: { jkt: 'k' }, exp: 9999999999 })}` }, res: { 'WWW-Authenticate': 'Bearer realm="api", DPoP algs="ES256"' } })]);
  assert.equal(c[0], 'dpop-scheme-mismatch');
});
