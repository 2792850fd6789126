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
