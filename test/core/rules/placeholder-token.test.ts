import assert from 'node:assert/strict';
import { it } from 'node:test';
import { causes, entry, primary } from '../../helpers/har.ts';

const fail = (auth: string) => primary([entry({ req: { Authorization: auth }, res: { 'WWW-Authenticate': 'Bearer realm="api", error="invalid_token"' } })]);

it('Bearer undefined / null / [object Object] / empty / templates', () => {
  for (const auth of ['Bearer undefined', 'Bearer null', 'Bearer [object Object]', 'Bearer ', 'Bearer ${TOKEN}', 'Bearer {{token}}', 'Bearer <token>', 'undefined', 'Bearer your_token_here']) {
    const f = fail(auth);
    assert.equal(f.cause, 'placeholder-token', auth);
  }
  assert.match(fail('Bearer [object Object]').explanation, /JavaScript object/);
});
it('Basic with undefined:undefined', () => {
  assert.equal(primary([entry({ req: { Authorization: `Basic ${Buffer.from('undefined:undefined').toString('base64')}` }, res: { 'WWW-Authenticate': 'Basic realm="x"' } })]).cause, 'placeholder-token');
});
it('a session cookie holding "undefined"', () => {
  assert.equal(primary([entry({ req: { Cookie: 'token=undefined' } })]).cause, 'placeholder-token');
});
it('a real token is not a placeholder', () => assert.ok(!causes([entry({ req: { Authorization: 'Bearer mF_9.B5f-4.1JqM' }, res: { 'WWW-Authenticate': 'Bearer' } })]).includes('placeholder-token')));
