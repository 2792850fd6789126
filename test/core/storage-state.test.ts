import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HarError } from '../../src/core/exchange/har-read.ts';
import { readStorageState, storageStateProblems } from '../../src/core/cookies/storage-state.ts';
import { jwt } from '../helpers/har.ts';

const at = Date.parse('2026-06-01T12:00:00Z');
const sec = (iso: string) => Date.parse(iso) / 1000;

describe('storageState: the jar a test run starts from, and what is wrong with it', () => {
  it('reads cookies as the browser holds them (host-only, Domain, SameSite, session) and JWTs in localStorage, inside JSON too', () => {
    const state = readStorageState(
      JSON.stringify({
        cookies: [
          { name: 'sid', value: 'v', domain: 'app.test', path: '/', expires: -1, httpOnly: true, secure: true, sameSite: 'Lax' },
          { name: 'pref', value: 'v', domain: '.app.test', path: '/x', expires: sec('2027-01-01T00:00:00Z'), httpOnly: false, secure: false, sameSite: 'None' },
          { value: 'no name' },
        ],
        origins: [{ origin: 'https://app.test', localStorage: [{ name: 'token', value: jwt({ exp: 1 }) }, { name: 'oidc.user', value: JSON.stringify({ access_token: jwt({ exp: 2 }), profile: {} }) }, { name: 'theme', value: 'dark' }] }],
      }),
    );
    assert.deepEqual(
      state.jar.map((c) => [c.name, c.domain, c.hostOnly, c.path, c.sameSite, c.session, c.expirationDate]),
      [
        ['sid', 'app.test', true, '/', 'lax', true, undefined],
        ['pref', 'app.test', false, '/x', 'no_restriction', false, sec('2027-01-01T00:00:00Z')],
      ],
    );
    assert.deepEqual(state.tokens.map((t) => t.name), ['token', 'oidc.user']);
  });

  it('names cookies expired before the run, cookies for a host the run never used, and expired tokens; never a value', () => {
    const secret = 'cookie-value-CANARY-77';
    const state = readStorageState(
      JSON.stringify({
        cookies: [
          { name: 'old', value: secret, domain: 'api.test', path: '/', expires: sec('2026-05-01T00:00:00Z') },
          { name: 'laptop', value: secret, domain: 'localhost', path: '/', expires: -1 },
          { name: 'parent', value: secret, domain: '.test-host.dev', path: '/', expires: -1 },
          { name: 'fine', value: secret, domain: 'api.test', path: '/', expires: sec('2027-01-01T00:00:00Z') },
        ],
        origins: [{ origin: 'https://app.test', localStorage: [{ name: 'at', value: jwt({ exp: sec('2026-05-31T00:00:00Z'), note: secret }) }, { name: 'fresh', value: jwt({ exp: sec('2026-06-02T00:00:00Z') }) }] }],
      }),
    );
    const problems = storageStateProblems(state, { at, hosts: ['api.test', 'app.test', 'ci.test-host.dev'] });
    assert.deepEqual(problems.map((p) => p.kind), ['cookie-expired', 'cookie-other-host', 'token-expired']);
    assert.match(problems[0]!.message, /"old" \(api\.test\) expired 2026-05-01T00:00:00Z, before this run/);
    assert.match(problems[1]!.message, /"laptop" is for localhost, and this run sent no request there \(it used api\.test, app\.test, ci\.test-host\.dev\)/);
    assert.match(problems[2]!.message, /localStorage "at" of https:\/\/app\.test expired 2026-05-31T00:00:00Z/);
    for (const p of problems) assert.doesNotMatch(p.message, /CANARY|eyJ/);
    // A run that used no host at all says nothing of hosts.
    assert.deepEqual(storageStateProblems(state, { at, hosts: [] }).map((p) => p.kind), ['cookie-expired', 'token-expired']);
  });

  it('what is not a storage state gets one clear line', () => {
    for (const [text, message] of [['nope', /not JSON/], ['[]', /no "cookies" list/], ['{"origins":[]}', /no "cookies" list/]] as const) {
      assert.throws(() => readStorageState(text), (e: unknown) => e instanceof HarError && message.test(e.message));
    }
  });
});
