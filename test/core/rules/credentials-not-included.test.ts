import assert from 'node:assert/strict';
import { it } from 'node:test';
import { causes, entry, jarCookie, primary } from '../../helpers/har.ts';

const xorigin = { initiator: 'https://app.example.com', topLevelUrl: 'https://app.example.com/', type: 'xmlhttprequest' };

it('cross-origin fetch without credentials, cookie held and allowed', () => {
  const f = primary([entry({ url: 'https://api.example.com/me', why: xorigin, jar: [jarCookie({ name: 'sid', domain: 'api.example.com', sameSite: 'lax' })] })]);
  assert.equal(f.cause, 'credentials-not-included');
  assert.match(f.explanation, /credentials: "same-origin"/);
});
it('from an imported HAR: a live cookie set earlier for the URL', () => {
  const f = primary([
    entry({ method: 'POST', status: 200, url: 'https://api.example.com/login', res: { 'Set-Cookie': 'sid=abc; Path=/; HttpOnly; SameSite=None; Secure' } }),
    entry({ url: 'https://api.example.com/me', req: { Origin: 'https://app.example.com' }, resourceType: 'fetch', at: '2025-06-01T12:00:05Z' }),
  ]);
  assert.equal(f.cause, 'credentials-not-included');
  assert.equal(f.confidence, 'medium');
});
it('same-origin requests are not this cause', () => {
  assert.ok(!causes([entry({ url: 'https://app.example.com/me', why: xorigin, jar: [jarCookie({ name: 'sid', domain: 'app.example.com' })] })]).includes('credentials-not-included'));
});
it('cross-site with the browser setting unread: says so and wants it; read as allowed: says it did not hold them back', () => {
  const xsite = { initiator: 'https://app.example.com', topLevelUrl: 'https://app.example.com/', type: 'xmlhttprequest' };
  const jar = [jarCookie({ name: 'sid', domain: 'api.other.test', sameSite: 'no_restriction' })];
  const unread = primary([entry({ url: 'https://api.other.test/me', why: xsite, jar })]);
  assert.equal(unread.cause, 'credentials-not-included');
  assert.equal(unread.wants, 'cookie-policy');
  assert.match(unread.explanation, /may be blocking third-party cookies/);
  const cookiePolicy = { thirdParty: 'allowed' as const, setting: 'thirdPartyCookiesAllowed: true', at: Date.parse('2025-06-01T12:00:00Z') };
  const read = primary([entry({ url: 'https://api.other.test/me', why: { ...xsite, cookiePolicy }, jar })]);
  assert.equal(read.cause, 'credentials-not-included');
  assert.equal(read.wants, undefined);
  assert.match(read.explanation, /allows third-party cookies \(thirdPartyCookiesAllowed: true/);
  const blocked = primary([entry({ url: 'https://api.other.test/me', why: { ...xsite, cookiePolicy: { ...cookiePolicy, thirdParty: 'blocked', setting: 'thirdPartyCookiesAllowed: false' } }, jar })]);
  assert.equal(blocked.cause, 'cookie-blocked', 'read as blocked: the setting, not the app, held it back');
});
it('same-site: the setting is irrelevant and not asked for', () => {
  const f = primary([entry({ url: 'https://api.example.com/me', why: xorigin, jar: [jarCookie({ name: 'sid', domain: 'api.example.com', sameSite: 'lax' })] })]);
  assert.equal(f.wants, undefined);
});
