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
it('a WWW-Authenticate field that is present but empty holds no challenge: missing-challenge', () => {
  const f = primary([entry({ req: { Authorization: 'Bearer abc.def.ghi' }, res: { 'WWW-Authenticate': '' } })]);
  assert.equal(f.cause, 'missing-challenge');
  assert.match(f.explanation, /field, but it is empty/);
  // As with no field at all: nothing sent → that comes first, and the empty challenge is said too.
  assert.deepEqual(causes([entry({ res: { 'WWW-Authenticate': '   ' } })]), causes([entry({})]));
  assert.ok(causes([entry({ res: { 'WWW-Authenticate': '   ' } })]).includes('missing-challenge'));
});
