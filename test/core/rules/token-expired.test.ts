import assert from 'node:assert/strict';
import { it } from 'node:test';
import { causes, entry, jwt, primary, sec } from '../../helpers/har.ts';

const AT = '2025-06-01T12:00:00.000Z';

it('exp before the request time, with ISO time and a relative phrase', () => {
  const t = jwt({ exp: sec('2025-06-01T11:00:00Z'), iat: sec('2025-06-01T10:00:00Z') });
  const f = primary([entry({ at: AT, req: { Authorization: `Bearer ${t}` }, res: { 'WWW-Authenticate': 'Bearer realm="api", error="invalid_token"' } })]);
  assert.equal(f.cause, 'token-expired');
  assert.equal(f.title, 'The access token expired 2025-06-01T11:00:00Z, 1 hour before this request');
  assert.match(f.explanation, /lived 1 hour/);
});
it('judged against the exchange time, not the wall clock', () => {
  const t = jwt({ exp: sec('2025-06-01T13:00:00Z') });
  assert.ok(!causes([entry({ at: AT, req: { Authorization: `Bearer ${t}` }, res: { 'WWW-Authenticate': 'Bearer' } })]).includes('token-expired'));
});
it('the server says so (opaque token)', () => {
  const f = primary([entry({ req: { Authorization: 'Bearer 2YotnFZFEjr1zCsicMWpAA' }, res: { 'WWW-Authenticate': 'Bearer realm="example", error="invalid_token", error_description="The access token expired"' } })]);
  assert.equal(f.cause, 'token-expired');
  assert.match(f.title, /The server says the token expired/);
});
it('a JWT in a session cookie', () => {
  const t = jwt({ exp: sec('2025-06-01T11:59:00Z') });
  const f = primary([entry({ at: AT, req: { Cookie: `auth=${t}` } })]);
  assert.equal(f.cause, 'token-expired');
  assert.match(f.title, /cookie "auth"/);
});
it('the clock-skew tolerance', () => {
  const t = jwt({ exp: sec('2025-06-01T11:59:50Z') });
  const e = entry({ at: AT, req: { Authorization: `Bearer ${t}` }, res: { 'WWW-Authenticate': 'Bearer' } });
  assert.equal(causes([e])[0], 'token-expired');
  assert.ok(!causes([e], { clockSkewSeconds: 30 }).includes('token-expired'));
});
