import assert from 'node:assert/strict';
import { it } from 'node:test';
import { causes, entry, jwt, primary, sec } from '../../helpers/har.ts';

const token = jwt({ exp: sec('2025-06-01T13:00:00Z') });

it('the same token got 200 earlier and 401 now, unexpired', () => {
  const f = primary([
    entry({ status: 200, at: '2025-06-01T11:58:00Z', req: { Authorization: `Bearer ${token}` } }),
    entry({ at: '2025-06-01T12:00:00Z', req: { Authorization: `Bearer ${token}` }, res: { 'WWW-Authenticate': 'Bearer realm="api", error="invalid_token"' } }),
  ]);
  assert.equal(f.cause, 'token-revoked');
  assert.match(f.title, /2 minutes earlier/);
  assert.match(f.explanation, /2025-06-01T11:58:00Z/);
});
it('a different token earlier proves nothing', () => {
  assert.ok(
    !causes([
      entry({ status: 200, req: { Authorization: 'Bearer other' } }),
      entry({ req: { Authorization: `Bearer ${token}` }, res: { 'WWW-Authenticate': 'Bearer' } }),
    ]).includes('token-revoked'),
  );
});
it('the server says "revoked"', () => {
  assert.equal(primary([entry({ req: { Authorization: 'Bearer 2YotnFZFEjr1zCsicMWpAA' }, res: { 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="Token has been revoked"' } })]).cause, 'token-revoked');
});
it('the revoke call itself is not cited as the token working earlier (the GET before it is)', () => {
  const f = primary([
    entry({ status: 200, at: '2025-06-01T11:58:00Z', url: 'https://api.example.com/v1/me', req: { Authorization: `Bearer ${token}` } }),
    entry({ method: 'POST', status: 200, at: '2025-06-01T11:59:00Z', url: 'https://api.example.com/oauth/revoke', req: { Authorization: `Bearer ${token}` } }),
    entry({ at: '2025-06-01T12:00:00Z', req: { Authorization: `Bearer ${token}` }, res: { 'WWW-Authenticate': 'Bearer realm="api", error="invalid_token"' } }),
  ]);
  assert.equal(f.cause, 'token-revoked');
  assert.doesNotMatch(f.explanation, /\/oauth\/revoke/);
  assert.match(f.explanation, /v1\/me at 2025-06-01T11:58:00Z/);
});
