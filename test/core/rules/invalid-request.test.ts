import assert from 'node:assert/strict';
import { it } from 'node:test';
import { entry, primary } from '../../helpers/har.ts';

it('RFC 6750 400 invalid_request counts as a failure and is explained', () => {
  const f = primary([entry({ status: 400, url: 'https://api.test/x?access_token=a', req: { Authorization: 'Bearer a' }, res: { 'WWW-Authenticate': 'Bearer realm="api", error="invalid_request", error_description="token sent twice"' } })]);
  assert.equal(f.cause, 'invalid-request');
  assert.match(f.title, /token sent twice/);
});
