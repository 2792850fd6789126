import assert from 'node:assert/strict';
import { it } from 'node:test';
import { causes, entry, primary } from '../../helpers/har.ts';

it('well-formed Basic refused: names the user and realm, never the password', () => {
  const f = primary([entry({ req: { Authorization: `Basic ${Buffer.from('alice:hunter2-CANARY').toString('base64')}` }, res: { 'WWW-Authenticate': 'Basic realm="staff"' } })]);
  assert.equal(f.cause, 'wrong-credentials');
  assert.equal(f.title, 'The server refused the password for user "alice" (realm "staff")');
  assert.ok(!JSON.stringify(f).includes('hunter2'));
});
it('a refused opaque Bearer token', () => {
  assert.equal(primary([entry({ req: { Authorization: 'Bearer 2YotnFZFEjr1zCsicMWpAA' }, res: { 'WWW-Authenticate': 'Bearer realm="api"' } })]).cause, 'wrong-credentials');
});
it('not when the server states an error', () => {
  assert.ok(!causes([entry({ req: { Authorization: 'Bearer abc' }, res: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } })]).includes('wrong-credentials'));
});
