import assert from 'node:assert/strict';
import { it } from 'node:test';
import { causes, entry, primary } from '../../helpers/har.ts';

it('an OPTIONS preflight answered 401', () => {
  const f = primary([entry({ method: 'OPTIONS', req: { 'Access-Control-Request-Method': 'PUT', Origin: 'https://app.test' }, res: { 'WWW-Authenticate': 'Bearer realm="api"' } })]);
  assert.equal(f.cause, 'preflight-unauthenticated');
  assert.match(f.explanation, /PUT/);
  assert.match(f.explanation, /never attach credentials/);
});
it('Chrome HAR marks preflights with _resourceType', () => {
  assert.equal(primary([entry({ method: 'OPTIONS', resourceType: 'preflight' })]).cause, 'preflight-unauthenticated');
});
it('a plain OPTIONS request is not a preflight', () => {
  assert.ok(!causes([entry({ method: 'OPTIONS', res: { 'WWW-Authenticate': 'Bearer' } })]).includes('preflight-unauthenticated'));
});
