import assert from 'node:assert/strict';
import { it } from 'node:test';
import { causes, entry, primary } from '../../helpers/har.ts';

it('a 401 without WWW-Authenticate, credentials sent', () => {
  const f = primary([entry({ req: { Authorization: 'Bearer 2YotnFZFEjr1zCsicMWpAA' } })]);
  assert.equal(f.cause, 'missing-challenge');
  assert.match(f.explanation, /RFC 9110/);
});
it('with a session cookie sent', () => {
  const f = primary([entry({ req: { Cookie: 'sid=abc' } })]);
  assert.equal(f.cause, 'missing-challenge');
  assert.match(f.explanation, /session cookie "sid" was sent/);
});
it('present challenge: not this cause', () => assert.ok(!causes([entry({ res: { 'WWW-Authenticate': 'Bearer' } })]).includes('missing-challenge')));
