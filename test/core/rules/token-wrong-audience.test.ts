import assert from 'node:assert/strict';
import { it } from 'node:test';
import { causes, entry, jwt, primary } from '../../helpers/har.ts';

it('an aud URL of another host', () => {
  const f = primary([entry({ url: 'https://api.example.com/v1/me', req: { Authorization: `Bearer ${jwt({ aud: 'https://billing.example.com', exp: 9999999999 })}` }, res: { 'WWW-Authenticate': 'Bearer realm="api", error="invalid_token"' } })]);
  assert.equal(f.cause, 'token-wrong-audience');
  assert.match(f.title, /billing\.example\.com/);
});
it('an aud naming this host matches', () => {
  assert.ok(!causes([entry({ url: 'https://api.example.com/v1/me', req: { Authorization: `Bearer ${jwt({ aud: ['https://api.example.com/', 'other'] })}` }, res: { 'WWW-Authenticate': 'Bearer' } })]).includes('token-wrong-audience'));
});
it('an opaque audience name cannot be judged without the server saying so', () => {
  const e = (desc?: string) => entry({ req: { Authorization: `Bearer ${jwt({ aud: 'my-api' })}` }, res: { 'WWW-Authenticate': `Bearer error="invalid_token"${desc ? `, error_description="${desc}"` : ''}` } });
  assert.ok(!causes([e()]).includes('token-wrong-audience'));
  assert.equal(causes([e('Audience validation failed')])[0], 'token-wrong-audience');
});
