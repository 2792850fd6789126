import assert from 'node:assert/strict';
import { it } from 'node:test';
import { causes, entry, jwt, lastFailure, primary } from '../../helpers/har.ts';

it('an aud URL of another host: a guess, ranked after the server\'s stated error, and saying it is one', () => {
  const found = lastFailure([entry({ url: 'https://api.example.com/v1/me', req: { Authorization: `Bearer ${jwt({ aud: 'https://billing.example.com', exp: 9999999999 })}` }, res: { 'WWW-Authenticate': 'Bearer realm="api", error="invalid_token"' } })]).findings;
  assert.deepEqual(found.map((f) => f.cause), ['invalid-token', 'token-wrong-audience']);
  const guess = found[1]!;
  assert.match(guess.title, /^A guess: .*billing\.example\.com/);
  assert.equal(guess.confidence, 'low');
  assert.match(guess.explanation, /only a guess/);
});
it('the server saying "audience" makes it the verdict', () => {
  const f = primary([entry({ url: 'https://api.example.com/v1/me', req: { Authorization: `Bearer ${jwt({ aud: 'https://billing.example.com', exp: 9999999999 })}` }, res: { 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="Invalid audience"' } })]);
  assert.equal(f.cause, 'token-wrong-audience');
  assert.equal(f.confidence, 'high');
});
it('a logical audience (Auth0/Okta style) with 403 insufficient_scope: the server accepted the token, so no audience finding at all', () => {
  const e = entry({ status: 403, url: 'https://api.test/orders', req: { Authorization: `Bearer ${jwt({ aud: 'https://orders.example.com/', scope: 'read', exp: 9999999999 })}` }, res: { 'WWW-Authenticate': 'Bearer error="insufficient_scope", scope="write"' } });
  const found = causes([e]);
  assert.equal(found[0], 'insufficient-scope');
  assert.ok(!found.includes('token-wrong-audience'), found.join(', '));
});
it('the same token got a success from this origin before: its audience was fine', () => {
  const token = `Bearer ${jwt({ aud: 'https://orders.example.com/', exp: 9999999999 })}`;
  const found = causes([
    entry({ status: 200, url: 'https://api.test/orders/1', at: '2025-06-01T11:59:00Z', req: { Authorization: token } }),
    entry({ url: 'https://api.test/orders/2', req: { Authorization: token }, res: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } }),
  ]);
  assert.ok(!found.includes('token-wrong-audience'), found.join(', '));
});
it('an aud naming this host matches', () => {
  assert.ok(!causes([entry({ url: 'https://api.example.com/v1/me', req: { Authorization: `Bearer ${jwt({ aud: ['https://api.example.com/', 'other'] })}` }, res: { 'WWW-Authenticate': 'Bearer' } })]).includes('token-wrong-audience'));
});
it('an opaque audience name cannot be judged without the server saying so', () => {
  const e = (desc?: string) => entry({ req: { Authorization: `Bearer ${jwt({ aud: 'my-api' })}` }, res: { 'WWW-Authenticate': `Bearer error="invalid_token"${desc ? `, error_description="${desc}"` : ''}` } });
  assert.ok(!causes([e()]).includes('token-wrong-audience'));
  assert.equal(causes([e('Audience validation failed')])[0], 'token-wrong-audience');
});
