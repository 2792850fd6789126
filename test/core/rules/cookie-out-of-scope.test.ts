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
it('a busy tab: a session cookie left from an older sign-in is sent, the newer out-of-scope one is what the app meant (issue 20, item 2)', () => {
  const older = entry({ method: 'POST', status: 200, url: 'https://api.example.com/login', at: '2025-06-01T11:50:00Z', res: { 'Set-Cookie': 'sid_app=old1; Path=/; HttpOnly; Secure' } });
  const newer = entry({ method: 'POST', status: 200, url: 'https://example.com/login', at: '2025-06-01T11:59:00Z', res: { 'Set-Cookie': 'sid_host=new2; Path=/; HttpOnly; Secure' } });
  const failing = entry({ url: 'https://api.example.com/v1/me', req: { Cookie: 'sid_app=old1' }, res: {}, jar: [jarCookie({ name: 'sid_host', domain: 'example.com', hostOnly: true }), jarCookie({ name: 'sid_app', domain: 'api.example.com', hostOnly: true })] });
  assert.equal(causes([older, newer, failing])[0], 'cookie-out-of-scope', 'the newer sign-in, not "the session sent is no longer accepted"');
  // The other way round — the cookie sent is the newer sign-in — the out-of-scope one is stale history.
  const olderHost = { ...newer, startedDateTime: '2025-06-01T11:40:00.000Z' };
  assert.ok(!causes([olderHost, older, failing]).includes('cookie-out-of-scope'));
});
it('a busy tab: an older out-of-scope cookie does not beat the newer one the request withheld (credentials mode)', () => {
  const older = entry({ method: 'POST', status: 200, url: 'https://example.com/app/login', at: '2025-06-01T11:50:00Z', res: { 'Set-Cookie': 'sid_path=old; Path=/app; HttpOnly; Secure' } });
  const newer = entry({ method: 'POST', status: 200, url: 'https://api.example.com/login', at: '2025-06-01T11:59:00Z', res: { 'Set-Cookie': 'sid_app=new; Path=/; HttpOnly; Secure; SameSite=Lax' } });
  const failing = entry({ url: 'https://api.example.com/s/me', res: {}, why: { type: 'xmlhttprequest', initiator: 'https://app.example.com' }, req: { Origin: 'https://app.example.com' }, jar: [jarCookie({ name: 'sid_path', domain: 'example.com', path: '/app' }), jarCookie({ name: 'sid_app', domain: 'api.example.com', sameSite: 'lax' })] });
  const found = causes([older, newer, failing]);
  assert.ok(!found.includes('cookie-out-of-scope') || found[0] !== 'cookie-out-of-scope', found.join(', '));
});
