import assert from 'node:assert/strict';
import { it } from 'node:test';
import { causes, entry, jwt, primary, sec } from '../../helpers/har.ts';

const AT = '2025-06-01T12:00:00.000Z';

it('nbf in the future', () => {
  const f = primary([entry({ at: AT, req: { Authorization: `Bearer ${jwt({ nbf: sec('2025-06-01T12:05:00Z'), exp: sec('2025-06-01T13:00:00Z') })}` }, res: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } })]);
  assert.equal(f.cause, 'token-not-yet-valid');
  assert.equal(f.title, 'The token is not valid until 2025-06-01T12:05:00Z, 5 minutes after this request');
});
it('iat well in the future is medium confidence', () => {
  const f = primary([entry({ at: AT, req: { Authorization: `Bearer ${jwt({ iat: sec('2025-06-01T12:10:00Z') })}` }, res: { 'WWW-Authenticate': 'Bearer' } })]);
  assert.equal(f.cause, 'token-not-yet-valid');
  assert.equal(f.confidence, 'medium');
});
it('a few seconds of iat skew are ignored', () => {
  assert.ok(!causes([entry({ at: AT, req: { Authorization: `Bearer ${jwt({ iat: sec('2025-06-01T12:00:20Z') })}` }, res: { 'WWW-Authenticate': 'Bearer' } })]).includes('token-not-yet-valid'));
});
