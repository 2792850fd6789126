import assert from 'node:assert/strict';
import { it } from 'node:test';
import { causes, entry, primary } from '../../helpers/har.ts';

it('a 407 is about the proxy, first, whatever else is wrong', () => {
  const f = primary([entry({ status: 407, req: { Authorization: 'Bearer undefined' }, res: { 'Proxy-Authenticate': 'Basic realm="corp"' } })]);
  assert.equal(f.cause, 'proxy-auth-required');
  assert.match(f.explanation, /realm "corp"/);
  assert.match(f.explanation, /No Proxy-Authorization header was sent/);
});
it('not for a 401', () => assert.ok(!causes([entry({ res: { 'WWW-Authenticate': 'Basic realm="x"' } })]).includes('proxy-auth-required')));
