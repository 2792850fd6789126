import assert from 'node:assert/strict';
import { it } from 'node:test';
import { causes, entry, jwt, primary } from '../../helpers/har.ts';

it('the server says invalid_token and nothing more specific is known', () => {
  const f = primary([entry({ req: { Authorization: `Bearer ${jwt({ iss: 'https://sso.test', exp: 9999999999 })}` }, res: { 'WWW-Authenticate': 'Bearer realm="api", error="invalid_token", error_description="signature verification failed"' } })]);
  assert.equal(f.cause, 'invalid-token');
  assert.match(f.title, /signature verification failed/);
  assert.match(f.explanation, /https:\/\/sso\.test/);
});
it('a more specific cause outranks it', () => {
  assert.equal(causes([entry({ req: { Authorization: 'Bearer undefined' }, res: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } })])[0], 'placeholder-token');
});
