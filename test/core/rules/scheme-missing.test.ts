import assert from 'node:assert/strict';
import { it } from 'node:test';
import { causes, entry, jwt, primary, sec } from '../../helpers/har.ts';

const BEARER = { 'WWW-Authenticate': 'Bearer realm="api"' };
const token = jwt({ exp: sec('2025-06-01T13:00:00Z'), sub: 'alice' });

it('a bare JWT (the token without "Bearer "): the fix names the prefix', () => {
  const f = primary([entry({ req: { Authorization: token }, res: BEARER })]);
  assert.equal(f.cause, 'scheme-missing');
  assert.match(f.title, /holds a JWT with no scheme: add "Bearer " before it/);
  assert.ok(f.fixes.developers.some((d) => d.includes('Authorization: Bearer <token>')));
  assert.ok(!JSON.stringify(f).includes(token.split('.')[2]!), 'the token is not quoted');
});
it('a bare opaque key, and a leading space before it', () => {
  for (const value of ['sk_live_51Habcdefghijklmnop', `   ${token}`]) assert.equal(primary([entry({ req: { Authorization: value }, res: BEARER })]).cause, 'scheme-missing', value);
});
it('a DPoP-only API asks for the DPoP prefix', () => {
  assert.match(primary([entry({ req: { Authorization: token }, res: { 'WWW-Authenticate': 'DPoP algs="ES256"' } })]).title, /add "DPoP " before it/);
});
it('"Bearer=…" and "Bearer:…": the scheme glued to the token', () => {
  const eq = primary([entry({ req: { Authorization: `Bearer=${token}` }, res: BEARER })]);
  assert.equal(eq.cause, 'scheme-missing');
  assert.match(eq.title, /writes "Bearer=…": the scheme must be followed by a space, not "="/);
  const colon = primary([entry({ req: { Authorization: `Bearer:${token}` }, res: BEARER })]);
  assert.equal(colon.cause, 'scheme-missing');
  assert.match(colon.title, /not ":"/);
});
it('a leading space before a proper scheme is not a defect', () => {
  assert.ok(!causes([entry({ req: { Authorization: `  Bearer ${token}` }, res: BEARER })]).includes('scheme-missing'));
});
it('"Authorization: undefined" stays a placeholder; a proper "Bearer <token>" has a scheme', () => {
  assert.equal(primary([entry({ req: { Authorization: 'undefined' }, res: BEARER })]).cause, 'placeholder-token');
  assert.ok(!causes([entry({ req: { Authorization: `Bearer ${token}` }, res: BEARER })]).includes('scheme-missing'));
});
