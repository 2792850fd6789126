import assert from 'node:assert/strict';
import { it } from 'node:test';
import { causes, entry, jarCookie, primary } from '../../helpers/har.ts';

const CHALLENGE = { 'WWW-Authenticate': 'Cookie realm="app"' };

it('a host-only cookie of a sibling host (set by app.example.com, needed by api.example.com)', () => {
  const f = primary([entry({ url: 'https://api.example.com/v1/me', res: CHALLENGE, jar: [jarCookie({ name: 'sid', domain: 'app.example.com', hostOnly: true })] })]);
  assert.equal(f.cause, 'cookie-out-of-scope');
  assert.match(f.title, /"sid" exists but is never sent to api\.example\.com\/v1\/me: host-only/);
  assert.match(f.explanation, /Domain=example\.com/);
});
it('a Path that leaves the API out (Path=/app, request /api)', () => {
  const f = primary([entry({ url: 'https://example.com/api/me', res: CHALLENGE, jar: [jarCookie({ name: 'session', domain: 'example.com', path: '/app' })] })]);
  assert.equal(f.cause, 'cookie-out-of-scope');
  assert.match(f.title, /Path=\/app/);
  assert.match(f.explanation, /Path=\//);
});
it('a Domain attribute that does not cover the API host', () => {
  const f = primary([entry({ url: 'https://api.example.com/me', res: CHALLENGE, jar: [jarCookie({ name: 'sid', domain: '.shop.example.com', hostOnly: false })] })]);
  assert.equal(f.cause, 'cookie-out-of-scope');
  assert.match(f.explanation, /Domain=shop\.example\.com does not cover api\.example\.com/);
});
it('from an imported HAR without a jar: the Set-Cookie that made it host-only to the sibling', () => {
  const found = causes([
    entry({ method: 'POST', status: 200, url: 'https://app.example.com/login', at: '2025-06-01T11:59:00Z', res: { 'Set-Cookie': 'sid=abc123; Path=/; HttpOnly; Secure' } }),
    entry({ url: 'https://api.example.com/v1/me', res: CHALLENGE }),
  ]);
  assert.equal(found[0], 'cookie-out-of-scope');
});
it('not when the cookie was sent, for a preflight, or when the cookie covers the URL', () => {
  assert.ok(!causes([entry({ url: 'https://api.example.com/v1/me', req: { Cookie: 'sid=x' }, res: CHALLENGE, jar: [jarCookie({ name: 'sid', domain: 'app.example.com' })] })]).includes('cookie-out-of-scope'));
  assert.ok(!causes([entry({ method: 'OPTIONS', url: 'https://api.example.com/v1/me', req: { 'Access-Control-Request-Method': 'GET' }, res: CHALLENGE, jar: [jarCookie({ name: 'sid', domain: 'app.example.com' })] })]).includes('cookie-out-of-scope'));
  assert.ok(!causes([entry({ url: 'https://api.example.com/v1/me', res: CHALLENGE, jar: [jarCookie({ name: 'sid', domain: '.example.com', hostOnly: false })] })]).includes('cookie-out-of-scope'));
});
