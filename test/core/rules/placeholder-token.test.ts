import assert from 'node:assert/strict';
import { it } from 'node:test';
import { causes, entry, primary } from '../../helpers/har.ts';

const fail = (auth: string) => primary([entry({ req: { Authorization: auth }, res: { 'WWW-Authenticate': 'Bearer realm="api", error="invalid_token"' } })]);

it('Bearer undefined / null / [object Object] / empty / templates', () => {
  for (const auth of ['Bearer undefined', 'Bearer null', 'Bearer [object Object]', 'Bearer ', 'Bearer ${TOKEN}', 'Bearer {{token}}', 'Bearer <token>', 'Bearer <your token>', 'Bearer <paste your API key here>', 'Bearer {{ access_token }}', 'undefined', 'Bearer your_token_here']) {
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
it('a real token inside brackets, even among words, is a secret, not a placeholder', () => {
  for (const auth of ['Bearer <sk_live_51HqLyjWDarjtT1zdp7dc>', 'Bearer <my ghp_16C7e42F292c6912E7710c838347Ae178B4a>']) assert.notEqual(fail(auth).cause, 'placeholder-token', auth);
});
