import assert from 'node:assert/strict';
import { it } from 'node:test';
import { causes, entry, jarCookie, primary } from '../../helpers/har.ts';

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
it('cleared by Why 401 itself: says who and when, and survives an export round trip', async () => {
  const { judge } = await import('../../../src/core/verdict/diagnose.ts');
  const { emptyTimeline, observe, observeClearedCookies } = await import('../../../src/core/exchange/timeline.ts');
  const { exportHar } = await import('../../../src/core/exchange/export.ts');
  const { readHar } = await import('../../../src/core/exchange/har-read.ts');
  const { diagnoseTimeline } = await import('../../../src/core/verdict/diagnose.ts');
  const tl = emptyTimeline();
  observe(tl, entry({ status: 200, url: 'https://app.test/api/me', at: '2025-06-01T10:00:00Z', req: { Cookie: 'sid=abc' } }));
  // Another session cookie, set first and deleted by a logout before the clear: the clear is the latest deletion.
  observe(tl, entry({ method: 'POST', status: 200, url: 'https://app.test/login2', at: '2025-06-01T09:00:00Z', res: { 'Set-Cookie': 'sid_old=1; Path=/; HttpOnly' } }));
  observe(tl, entry({ method: 'POST', status: 200, url: 'https://app.test/logout2', at: '2025-06-01T10:01:00Z', res: { 'Set-Cookie': 'sid_old=; Max-Age=0; Path=/' } }));
  observeClearedCookies(tl, [{ name: 'sid', value: '', domain: 'app.test', hostOnly: true, path: '/', secure: true, httpOnly: true, sameSite: 'lax', session: true }, { name: '_ga', value: '', domain: '.app.test', hostOnly: false, path: '/', secure: false, httpOnly: false, sameSite: 'unspecified', session: false }], Date.parse('2025-06-01T10:04:00Z'), 'https://app.test/');
  assert.deepEqual(tl.cookieEvents.filter((e) => e.by === 'why401').map((e) => e.name), ['sid'], 'only session cookies are events');
  const j = judge(entry({ url: 'https://app.test/api/me', at: '2025-06-01T10:05:00Z' }), tl);
  const f = j.findings[0]!;
  assert.equal(f.cause, 'session-cookie-missing');
  assert.equal(f.title, 'The session cookie "sid" was cleared by Why 401 ("Clear site cookies") 1 minute before this request');
  const har = exportHar([{ entry: j.entry, findings: j.findings }], { includeSecrets: false, version: 'test' });
  const again = [...diagnoseTimeline(readHar(JSON.stringify(har)).entries)][0]!.findings[0]!;
  assert.equal(again.title, f.title, 'the CLI reads the same');
  // Undo put it back: the clear no longer explains a later failure.
  observeClearedCookies(tl, [{ name: 'sid', value: '', domain: 'app.test', hostOnly: true, path: '/', secure: true, httpOnly: true, sameSite: 'lax', session: true }], Date.parse('2025-06-01T10:04:30Z'), 'https://app.test/', 'restored');
  const later = judge(entry({ url: 'https://app.test/api/me', at: '2025-06-01T10:05:00Z' }), tl).findings[0]!;
  assert.doesNotMatch(later.title, /cleared by Why 401/);
});

it('a busy tab: a logout minutes ago does not beat a later sign-in whose cookie is out of scope (issue 20, item 1)', () => {
  const found = causes([
    entry({ method: 'POST', status: 200, url: 'https://app.example.com/s/session/login?cookie=sid_out', at: '2025-06-01T11:50:00Z', res: { 'Set-Cookie': 'sid_out=abc123abc123; Path=/; HttpOnly' } }),
    entry({ status: 200, url: 'https://app.example.com/s/session/me', at: '2025-06-01T11:50:05Z', req: { Cookie: 'sid_out=abc123abc123' } }),
    entry({ method: 'POST', status: 200, url: 'https://app.example.com/s/session/logout', at: '2025-06-01T11:51:00Z', res: { 'Set-Cookie': 'sid_out=; Max-Age=0; Path=/' } }),
    // Minutes later, another sign-in: its cookie's Path leaves the API out.
    entry({ method: 'POST', status: 200, url: 'https://app.example.com/s/session/login?cookie=sid_path', at: '2025-06-01T11:59:00Z', res: { 'Set-Cookie': 'sid_path=zzz999zzz999; Path=/app; HttpOnly' } }),
    entry({ url: 'https://app.example.com/s/session/me', at: '2025-06-01T12:00:00Z', res: { 'WWW-Authenticate': 'Cookie realm="app"' } }),
  ]);
  assert.equal(found[0], 'cookie-out-of-scope', found.join(', '));
  assert.ok(!found.includes('session-cookie-missing'), 'the old logout is superseded by the newer sign-in');
});

it('a deleted cookie the browser holds again (the live jar) is not "gone"', () => {
  const found = causes([
    entry({ method: 'POST', status: 200, url: 'https://app.example.com/logout', at: '2025-06-01T11:51:00Z', res: { 'Set-Cookie': 'sid=; Max-Age=0; Path=/' } }),
    entry({ url: 'https://app.example.com/me', at: '2025-06-01T12:00:00Z', res: { 'WWW-Authenticate': 'Cookie realm="app"' }, jar: [jarCookie({ name: 'sid', domain: 'app.example.com', sameSite: 'strict' })], why: { type: 'xmlhttprequest', initiator: 'https://other.test', topLevelUrl: 'https://other.test/' } }),
  ]);
  assert.ok(!found.includes('session-cookie-missing') || found[0] !== 'session-cookie-missing', found.join(', '));
});
