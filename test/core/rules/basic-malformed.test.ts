import assert from 'node:assert/strict';
import { it } from 'node:test';
import { causes, entry, primary } from '../../helpers/har.ts';

const fail = (auth: string) => primary([entry({ req: { Authorization: auth }, res: { 'WWW-Authenticate': 'Basic realm="staff"' } })]);

it('not base64, no colon, empty', () => {
  assert.match(fail('Basic %%%').title, /not base64/);
  assert.match(fail(`Basic ${Buffer.from('alice').toString('base64')}`).title, /no colon/);
  assert.match(fail('Basic').title, /nothing follows/);
  for (const a of ['Basic %%%', 'Basic']) assert.equal(fail(a).cause, 'basic-malformed');
});
it('well-formed Basic is not malformed', () => assert.ok(!causes([entry({ req: { Authorization: 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==' }, res: { 'WWW-Authenticate': 'Basic' } })]).includes('basic-malformed')));
