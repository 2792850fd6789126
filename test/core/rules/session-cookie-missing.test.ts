import assert from 'node:assert/strict';
import { it } from 'node:test';
import { causes, entry, primary } from '../../helpers/har.ts';

it('deleted by the response to POST /logout', () => {
  const f = primary([
    entry({ status: 200, url: 'https://app.test/api/me', at: '2025-06-01T10:00:00Z', req: { Cookie: 'sid=abc' } }),
    entry({ method: 'POST', status: 200, url: 'https://app.test/logout', at: '2025-06-01T10:31:00Z', req: { Cookie: 'sid=abc' }, res: { 'Set-Cookie': 'sid=; Max-Age=0; Path=/' } }),
    entry({ url: 'https://app.test/api/me', at: '2025-06-01T10:32:00Z' }),
  ]);
  assert.equal(f.cause, 'session-cookie-missing');
  assert.match(f.title, /deleted by the response to POST \/logout 1 minute before this request/);
});
it('sent earlier, gone now (cleared)', () => {
  const f = primary([
    entry({ status: 200, url: 'https://app.test/api/me', at: '2025-06-01T10:00:00Z', req: { Cookie: 'sid=abc' } }),
    entry({ url: 'https://app.test/api/me', at: '2025-06-01T10:05:00Z', res: { 'WWW-Authenticate': 'Cookie realm="app"' } }),
  ]);
  assert.equal(f.cause, 'session-cookie-missing');
});
it('still sent: not missing', () => {
  assert.ok(!causes([entry({ status: 200, req: { Cookie: 'sid=abc' } }), entry({ req: { Cookie: 'sid=abc' } })]).includes('session-cookie-missing'));
});
