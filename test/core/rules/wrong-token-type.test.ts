import assert from 'node:assert/strict';
import { it } from 'node:test';
import { redactEntry } from '../../../src/core/redaction/redact.ts';
import { causes, entry, jwt, primary } from '../../helpers/har.ts';

const ID_TOKEN = { iss: 'https://idp.example.com', sub: 'u1', aud: 'spa-client', nonce: 'n-0S6_WzA2Mj', at_hash: 'MTIzNDU2Nzg5MDEyMzQ1Ng', exp: 9999999999, iat: 1 };
const refused = (claims: Record<string, unknown>, header?: Record<string, unknown>, desc = 'Invalid audience') =>
  entry({ url: 'https://api.example.com/v1/me', req: { Authorization: `Bearer ${jwt(claims, header)}` }, res: { 'WWW-Authenticate': `Bearer realm="api", error="invalid_token", error_description="${desc}"` } });

it('an ID token sent to an API is the verdict, before the audience it also fails', () => {
  const f = primary([refused(ID_TOKEN)]);
  assert.equal(f.cause, 'wrong-token-type');
  assert.equal(f.confidence, 'high');
  assert.match(f.title, /An ID token was sent as the access token \(it carries nonce and at_hash, aud "?spa-client"?\)/);
  assert.ok(!JSON.stringify(f).includes('n-0S6_WzA2Mj'), 'the nonce is not quoted');
  assert.deepEqual(causes([refused(ID_TOKEN)]).slice(0, 2), ['wrong-token-type', 'token-wrong-audience']);
});

it('c_hash alone (a hybrid flow’s ID token) is enough; an access token is not one', () => {
  assert.equal(primary([refused({ sub: 'u1', aud: 'spa-client', c_hash: 'abc', exp: 9999999999 })]).cause, 'wrong-token-type');
  const access = { iss: 'https://idp.example.com', sub: 'u1', aud: 'https://api.example.com', scope: 'read', exp: 9999999999 };
  assert.ok(!causes([refused(access, undefined, 'The access token is invalid')]).includes('wrong-token-type'));
});

it('a JWT access token that says so (typ at+jwt, RFC 9068) is never called an ID token, whatever it carries', () => {
  assert.ok(!causes([refused(ID_TOKEN, { alg: 'RS256', typ: 'at+jwt' })]).includes('wrong-token-type'));
});

it('an API that accepted this very token before takes ID tokens: no finding', () => {
  const token = `Bearer ${jwt(ID_TOKEN)}`;
  const found = causes([
    entry({ status: 200, url: 'https://api.example.com/v1/a', at: '2025-06-01T11:59:00Z', req: { Authorization: token } }),
    entry({ url: 'https://api.example.com/v1/b', req: { Authorization: token }, res: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } }),
  ]);
  assert.ok(!found.includes('wrong-token-type'), found.join(', '));
});

it('a masked export keeps that the claims were there, not their values, and re-reads to the same verdict', () => {
  const e = refused(ID_TOKEN);
  const masked = redactEntry(e);
  const text = JSON.stringify(masked);
  for (const value of ['n-0S6_WzA2Mj', 'MTIzNDU2Nzg5MDEyMzQ1Ng']) assert.ok(!text.includes(value), value);
  assert.equal(primary([masked]).cause, 'wrong-token-type');
});

it('Amazon Cognito’s ID token says token_use "id"', () => {
  assert.equal(primary([refused({ sub: 'u1', aud: 'client', token_use: 'id', exp: 9999999999 })]).cause, 'wrong-token-type');
  assert.ok(!causes([refused({ sub: 'u1', client_id: 'client', token_use: 'access', exp: 9999999999 })]).includes('wrong-token-type'));
});
