import assert from 'node:assert/strict';
import { it } from 'node:test';
import { causes, entry, jwt, primary } from '../../helpers/har.ts';

it('a token in X-Auth-Token while the server asks for Bearer', () => {
  const f = primary([entry({ req: { 'X-Auth-Token': 'abc' }, res: { 'WWW-Authenticate': 'Bearer realm="api"' } })]);
  assert.equal(f.cause, 'credentials-wrong-place');
  assert.match(f.title, /X-Auth-Token/);
  assert.ok(!JSON.stringify(f).includes('"abc"'));
});
it('a token in the query string', () => {
  const f = primary([entry({ url: `https://api.test/me?access_token=${jwt({})}`, res: { 'WWW-Authenticate': 'Bearer realm="api"' } })]);
  assert.equal(f.cause, 'credentials-wrong-place');
  assert.match(f.title, /query parameter "access_token"/);
});
it('"Authentication" instead of "Authorization"', () => {
  assert.match(primary([entry({ req: { Authentication: 'Bearer abc' }, res: { 'WWW-Authenticate': 'Bearer' } })]).title, /"Authentication" header/);
});
it('not when the server offers no standard scheme', () => {
  assert.ok(!causes([entry({ req: { 'X-API-Key': 'abc' }, res: { 'WWW-Authenticate': 'ApiKey realm="x"' } })]).includes('credentials-wrong-place'));
});
