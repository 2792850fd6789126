import assert from 'node:assert/strict';
import { it } from 'node:test';
import { causes, entry, primary } from '../../helpers/har.ts';

it('nothing sent, the server asks for Bearer', () => {
  const f = primary([entry({ res: { 'WWW-Authenticate': 'Bearer realm="api"' } })]);
  assert.equal(f.cause, 'missing-credentials');
  assert.equal(f.title, 'No credentials were sent; the server asks for Bearer (realm "api")');
  assert.equal(f.confidence, 'high');
});
it('an earlier request to the same origin carried Authorization', () => {
  const f = primary([entry({ status: 200, req: { Authorization: 'Bearer abc' } }), entry({ res: { 'WWW-Authenticate': 'Bearer' } })]);
  assert.match(f.explanation, /earlier request .* did carry an Authorization header/);
});
it('invalid_request for a missing token is still "nothing was sent" first', () => {
  assert.deepEqual(causes([entry({ res: { 'WWW-Authenticate': 'Bearer error="invalid_request", error_description="No token"' } })]).slice(0, 2), ['missing-credentials', 'invalid-request']);
});
it('credentials sent: not this cause', () => assert.ok(!causes([entry({ req: { Authorization: 'Bearer x' }, res: { 'WWW-Authenticate': 'Bearer' } })]).includes('missing-credentials')));
