import assert from 'node:assert/strict';
import { it } from 'node:test';
import { causes, entry, primary } from '../../helpers/har.ts';

it('Bearer Bearer', () => {
  const f = primary([entry({ req: { Authorization: 'Bearer Bearer abc.def.ghi' }, res: { 'WWW-Authenticate': 'Bearer realm="api", error="invalid_token"' } })]);
  assert.equal(f.cause, 'double-prefix');
  assert.match(f.title, /"Bearer Bearer …"/);
});
it('Basic Basic', () => assert.equal(primary([entry({ req: { Authorization: 'Basic Basic dTpw' }, res: { 'WWW-Authenticate': 'Basic' } })]).cause, 'double-prefix'));
it('a single prefix is fine', () => assert.ok(!causes([entry({ req: { Authorization: 'Bearer abc' }, res: { 'WWW-Authenticate': 'Bearer' } })]).includes('double-prefix')));
