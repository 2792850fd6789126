import assert from 'node:assert/strict';
import { it } from 'node:test';
import { causes, entry, primary } from '../../helpers/har.ts';

const fail = (auth: string) => primary([entry({ req: { Authorization: auth }, res: { 'WWW-Authenticate': 'Bearer realm="api", error="invalid_token"' } })]);

it('quotes, spaces, line breaks, bad characters, "Bearer:"', () => {
  assert.match(fail('Bearer "abc.def"').title, /wrapped in quotes/);
  assert.match(fail('Bearer abc def').title, /contains a space/);
  assert.match(fail('Bearer abc\ndef').title, /line break|space/);
  assert.match(fail('Bearer abc{}').title, /characters/);
  assert.equal(fail('Bearer: abc').cause, 'scheme-missing', '"Bearer:" is the scheme glued to the token');
});
it('a broken JWT', () => {
  const f = fail('Bearer eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.sig');
  assert.equal(f.cause, 'malformed-token');
  assert.match(f.title, /broken/);
});
it('a well-formed opaque token is not malformed', () => assert.ok(!causes([entry({ req: { Authorization: 'Bearer 2YotnFZFEjr1zCsicMWpAA' }, res: { 'WWW-Authenticate': 'Bearer' } })]).includes('malformed-token')));
