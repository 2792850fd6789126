import assert from 'node:assert/strict';
import { it } from 'node:test';
import { causes, entry, jarCookie, primary } from '../../helpers/har.ts';

it('SameSite=Strict on a cross-site fetch', () => {
  const f = primary([
    entry({
      url: 'https://api.other.test/me',
      resourceType: 'fetch',
      why: { initiator: 'https://app.example.com', topLevelUrl: 'https://app.example.com/' },
      jar: [jarCookie({ name: 'sid', domain: 'api.other.test', sameSite: 'strict' })],
      res: { 'WWW-Authenticate': 'Cookie realm="api"' },
    }),
  ]);
  assert.equal(f.cause, 'cookie-blocked');
  assert.equal(f.title, 'The cookie "sid" was not sent: it is SameSite=Strict and this request is cross-site');
  assert.ok(!JSON.stringify(f).includes('secret-cookie-value'));
});
it('Secure cookie over http', () => {
  const f = primary([entry({ url: 'http://app.test/api', why: { initiator: 'http://app.test' }, jar: [jarCookie({ name: 'sid', domain: 'app.test' })] })]);
  assert.equal(f.cause, 'cookie-blocked');
  assert.match(f.title, /Secure and this request went over http/);
});
it('a Secure cookie set over http was never stored', () => {
  const f = primary([
    entry({ method: 'POST', status: 200, url: 'http://app.test/login', res: { 'Set-Cookie': 'sid=abc; Secure; HttpOnly; Path=/' } }),
    entry({ url: 'http://app.test/api/me', at: '2025-06-01T12:00:01Z' }),
  ]);
  assert.equal(f.cause, 'cookie-blocked');
  assert.match(f.title, /never stored: it is Secure but was set over http/);
});
it('no jar cookie held back: not this cause', () => {
  assert.ok(!causes([entry({ jar: [jarCookie({ name: 'sid', domain: 'api.example.com' })], req: { Cookie: 'sid=x' } })]).includes('cookie-blocked'));
});
it('not when the server asks for a header credential (Bearer): the cookie is a side note', () => {
  const c = causes([
    entry({
      url: 'https://api.other.test/me',
      why: { initiator: 'https://app.example.com', topLevelUrl: 'https://app.example.com/' },
      jar: [jarCookie({ name: 'sid', domain: 'api.other.test', sameSite: 'strict' })],
      res: { 'WWW-Authenticate': 'Bearer realm="api"' },
    }),
  ]);
  assert.equal(c[0], 'missing-credentials');
  assert.ok(!c.includes('cookie-blocked'));
});
it('third-party cookies blocked by the browser\'s setting (read from it): named as evidence, medium confidence', () => {
  const cookiePolicy = { thirdParty: 'blocked' as const, setting: 'thirdPartyCookiesAllowed: false', at: Date.parse('2025-06-01T12:00:00Z') };
  const f = primary([
    entry({
      url: 'https://api.other.test/me',
      resourceType: 'fetch',
      why: { initiator: 'https://app.example.com', topLevelUrl: 'https://app.example.com/', cookiePolicy },
      jar: [jarCookie({ name: 'sid', domain: 'api.other.test', sameSite: 'no_restriction' })],
    }),
  ]);
  assert.equal(f.cause, 'cookie-blocked');
  assert.equal(f.confidence, 'medium');
  assert.match(f.title, /third-party cookie here.*blocks third-party cookies/);
  assert.ok(f.evidence.some((e) => e.label === 'Browser setting' && e.value === 'thirdPartyCookiesAllowed: false'));
  assert.match(f.fixes.developers[0]!, /CHIPS/);
});
it('Total Cookie Protection: the cookie is in its own site\'s jar', () => {
  const cookiePolicy = { thirdParty: 'partitioned' as const, setting: 'cookieConfig.behavior: reject_trackers_and_partition_foreign', at: Date.parse('2025-06-01T12:00:00Z') };
  const f = primary([
    entry({ url: 'https://api.other.test/me', resourceType: 'fetch', why: { initiator: 'https://app.example.com', topLevelUrl: 'https://app.example.com/', cookiePolicy }, jar: [jarCookie({ name: 'sid', domain: 'api.other.test', sameSite: 'no_restriction' })] }),
  ]);
  assert.equal(f.cause, 'cookie-blocked');
  assert.match(f.title, /Total Cookie Protection/);
});
