import assert from 'node:assert/strict';
import { it } from 'node:test';
import { causes, entry, primary } from '../../helpers/har.ts';

it('Basic sent where Bearer is asked', () => {
  const f = primary([entry({ req: { Authorization: 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==' }, res: { 'WWW-Authenticate': 'Bearer realm="api"' } })]);
  assert.equal(f.cause, 'scheme-mismatch');
  assert.match(f.title, /Basic credentials were sent, but the server asks for Bearer/);
});
it('no finding when the scheme is offered (case-insensitively)', () => {
  assert.ok(!causes([entry({ req: { Authorization: 'bearer abc' }, res: { 'WWW-Authenticate': 'BEARER realm="api"' } })]).includes('scheme-mismatch'));
});
it('"Token <key>" to a Bearer API: the same token, sent as Bearer', () => {
  const f = primary([entry({ req: { Authorization: 'Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b' }, res: { 'WWW-Authenticate': 'Bearer realm="api"' } })]);
  assert.equal(f.cause, 'scheme-mismatch');
  assert.match(f.title, /sent as "Token …", but this API asks for "Bearer …"/);
  assert.match(f.explanation, /Django REST framework/);
  assert.ok(!f.explanation.includes('9944b09199'), 'the token is not quoted');
});
