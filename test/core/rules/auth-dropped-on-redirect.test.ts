import assert from 'node:assert/strict';
import { it } from 'node:test';
import { causes, entry, primary } from '../../helpers/har.ts';

const hop = (from: string, to: string, auth: boolean) =>
  entry({ url: from, status: 302, req: auth ? { Authorization: 'Bearer abc.def' } : {}, res: { Location: to } });

it('consecutive HAR entries: a cross-origin redirect dropped Authorization', () => {
  const f = primary([
    hop('https://api.test/v1/me', 'https://api2.test/v1/me', true),
    entry({ url: 'https://api2.test/v1/me', res: { 'WWW-Authenticate': 'Bearer realm="api2"' } }),
  ]);
  assert.equal(f.cause, 'auth-dropped-on-redirect');
  assert.match(f.title, /https:\/\/api\.test to https:\/\/api2\.test \(hop 1 of 1\)/);
});
it('our own _why401.redirectChain names the hop', () => {
  const f = primary([
    entry({
      url: 'https://c.test/x',
      res: { 'WWW-Authenticate': 'Bearer' },
      why: {
        redirectChain: [
          { url: 'https://a.test/x', status: 307, location: 'https://a.test/y', authorizationSent: true },
          { url: 'https://a.test/y', status: 302, location: 'https://c.test/x', authorizationSent: true },
        ],
      },
    }),
  ]);
  assert.equal(f.cause, 'auth-dropped-on-redirect');
  assert.match(f.title, /hop 2 of 2/);
});
it('a same-origin redirect keeps Authorization: not this cause', () => {
  assert.ok(
    !causes([hop('https://api.test/a', 'https://api.test/b', true), entry({ url: 'https://api.test/b', res: { 'WWW-Authenticate': 'Bearer' } })]).includes('auth-dropped-on-redirect'),
  );
});
