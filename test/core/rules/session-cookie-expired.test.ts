import assert from 'node:assert/strict';
import { it } from 'node:test';
import { causes, entry, jarCookie, primary } from '../../helpers/har.ts';

const login = entry({ method: 'POST', url: 'https://app.test/login', status: 200, at: '2025-06-01T10:00:00Z', res: { 'Set-Cookie': 'sid=abc; Max-Age=300; Path=/; HttpOnly' } });

it('a session cookie whose Max-Age ran out before the request', () => {
  const f = primary([login, entry({ url: 'https://app.test/api/me', at: '2025-06-01T10:06:00Z' })]);
  assert.equal(f.cause, 'session-cookie-expired');
  assert.equal(f.title, 'The session cookie "sid" expired 2025-06-01T10:05:00Z, 1 minute before this request');
  assert.match(f.explanation, /POST https:\/\/app\.test\/login/);
  assert.match(f.plain, /expired at 10:05 UTC/);
});
it('still alive: not this cause', () => {
  assert.ok(!causes([login, entry({ url: 'https://app.test/api/me', at: '2025-06-01T10:01:00Z', req: { Cookie: 'sid=abc' } })]).includes('session-cookie-expired'));
});
it('a cookie for another host does not apply', () => {
  assert.ok(!causes([login, entry({ url: 'https://other.test/api', at: '2025-06-01T10:06:00Z' })]).includes('session-cookie-expired'));
});
it('an expired cookie still listed in an imported HAR\'s jar: its expiry is the evidence', () => {
  const f = primary([entry({ url: 'https://app.test/api/me', at: '2025-06-01T12:00:00Z', jar: [jarCookie({ name: 'sid', domain: 'app.test', session: false, expirationDate: Date.parse('2025-06-01T11:30:00Z') / 1000 })] })]);
  assert.equal(f.cause, 'session-cookie-expired');
  assert.match(f.title, /"sid" expired .*30 minutes before this request/);
  assert.match(f.explanation, /2025-06-01T11:30:00Z/);
});
it('a busy tab: an expired cookie whose Path leaves this URL out does not apply', () => {
  const scoped = entry({ method: 'POST', url: 'https://app.test/login', status: 200, at: '2025-06-01T10:00:00Z', res: { 'Set-Cookie': 'sid=abc; Max-Age=300; Path=/admin; HttpOnly' } });
  assert.ok(!causes([scoped, entry({ url: 'https://app.test/api/me', at: '2025-06-01T10:06:00Z' })]).includes('session-cookie-expired'));
});
it('a busy tab: a later sign-in supersedes an older session that expired (the Secure cookie the page could not send is the cause)', () => {
  const later = entry({ method: 'POST', url: 'https://app.test/signin', status: 200, at: '2025-06-01T10:05:30Z', res: { 'Set-Cookie': 'sid_secure=new; Path=/; Secure; HttpOnly' } });
  const failing = entry({ url: 'http://app.test/api/me', at: '2025-06-01T10:06:00Z', jar: [jarCookie({ name: 'sid_secure', domain: 'app.test', secure: true })] });
  const found = causes([login, later, failing]);
  assert.ok(!found.includes('session-cookie-expired'), found.join(', '));
  assert.equal(found[0], 'cookie-blocked');
});
it('a busy tab, Firefox: a jar that still lists an expired cookie the tab saw set, then a later sign-in: superseded', () => {
  const later = entry({ method: 'POST', url: 'https://app.test/signin', status: 200, at: '2025-06-01T10:05:30Z', res: { 'Set-Cookie': 'sid_out=new; Path=/; HttpOnly' } });
  const failing = entry({ url: 'https://app.test/api/me', at: '2025-06-01T10:06:00Z', jar: [jarCookie({ name: 'sid', domain: 'app.test', session: false, expirationDate: Date.parse('2025-06-01T10:05:00Z') / 1000 })] });
  assert.ok(!causes([login, later, failing]).includes('session-cookie-expired'));
  assert.equal(primary([login, failing]).cause, 'session-cookie-expired', 'without the later sign-in it is the cause');
});
