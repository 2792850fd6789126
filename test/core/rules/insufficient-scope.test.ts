import assert from 'node:assert/strict';
import { it } from 'node:test';
import { entry, jwt, primary } from '../../helpers/har.ts';

it('names the scope asked for, the scopes held and what is missing (a 403 carrying the challenge counts)', () => {
  const f = primary([
    entry({ status: 403, req: { Authorization: `Bearer ${jwt({ scope: 'read', exp: 9999999999 })}` }, res: { 'WWW-Authenticate': 'Bearer realm="api", error="insufficient_scope", scope="read write"' } }),
  ]);
  assert.equal(f.cause, 'insufficient-scope');
  assert.match(f.title, /"write"/);
  assert.match(f.explanation, /asking for the scope "read write"/);
  assert.match(f.explanation, /holds "read"/);
});
