import assert from 'node:assert/strict';
import { it } from 'node:test';
import { causes, entry, primary } from '../../helpers/har.ts';

it('stale=true ranks before judging the credentials', () => {
  const f = primary([
    entry({
      req: { Authorization: 'Digest username="Mufasa", realm="http-auth@example.org", nonce="old", uri="/", response="abc"' },
      res: { 'WWW-Authenticate': 'Digest realm="http-auth@example.org", nonce="new", stale=true, algorithm=SHA-256' },
    }),
  ]);
  assert.equal(f.cause, 'digest-stale-nonce');
  assert.match(f.title, /realm "http-auth@example.org"/);
});
it('stale=false is a refused password instead', () => {
  const c = causes([entry({ req: { Authorization: 'Digest username="u", response="x"' }, res: { 'WWW-Authenticate': 'Digest realm="r", nonce="n", stale=false' } })]);
  assert.ok(!c.includes('digest-stale-nonce'));
  assert.equal(c[0], 'wrong-credentials');
});
