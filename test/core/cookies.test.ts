import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cookiePolicyFrom, domainMatches, isSessionCookie, parseCookieHeader, parseSetCookie, pathMatches, whyNotSent, type CookieContext } from '../../src/core/cookies/cookies.ts';
import { jarCookie } from '../helpers/har.ts';

const T = Date.parse('2025-06-01T12:00:00Z');

describe('parseSetCookie', () => {
  it('reads every attribute', () => {
    const c = parseSetCookie('sid=abc; Domain=.example.com; Path=/app; Secure; HttpOnly; SameSite=Strict; Partitioned; Max-Age=60', 'https://www.example.com/login', T)!;
    assert.deepEqual(
      { ...c },
      { name: 'sid', value: 'abc', domain: 'example.com', hostOnly: false, path: '/app', secure: true, httpOnly: true, sameSite: 'strict', partitioned: true, expiresAt: T + 60_000, deletes: false },
    );
  });
  it('Max-Age wins over Expires (RFC 6265bis §5.6.2)', () => {
    const c = parseSetCookie('a=1; Expires=Wed, 01 Jan 2100 00:00:00 GMT; Max-Age=10', 'https://x.test/', T)!;
    assert.equal(c.expiresAt, T + 10_000);
  });
  it('Max-Age=0 and past Expires delete', () => {
    assert.equal(parseSetCookie('sid=; Max-Age=0', 'https://x.test/', T)!.deletes, true);
    assert.equal(parseSetCookie('sid=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT', 'https://x.test/', T)!.deletes, true);
  });
  it('default path and host-only domain', () => {
    const c = parseSetCookie('a=1', 'https://x.test/a/b/c', T)!;
    assert.equal(c.path, '/a/b');
    assert.equal(c.hostOnly, true);
    assert.equal(c.domain, 'x.test');
  });
  it('what browsers refuse to store', () => {
    assert.match(parseSetCookie('a=1; Secure', 'http://app.test/', T)!.rejected!, /Secure/);
    assert.match(parseSetCookie('a=1; SameSite=None', 'https://app.test/', T)!.rejected!, /SameSite=None/);
    assert.match(parseSetCookie('a=1; Domain=other.test', 'https://app.test/', T)!.rejected!, /does not contain/);
    assert.match(parseSetCookie('__Host-a=1; Secure; Path=/; Domain=app.test', 'https://app.test/', T)!.rejected!, /__Host-/);
    assert.match(parseSetCookie('a=1; Domain=github.io', 'https://x.github.io/', T)!.rejected!, /public suffix/);
    assert.equal(parseSetCookie('a=1; Secure', 'http://localhost/', T)!.rejected, undefined);
  });
  it('nameless and empty', () => {
    assert.equal(parseSetCookie('', 'https://x.test/', T), undefined);
    assert.equal(parseSetCookie('justvalue', 'https://x.test/', T)!.name, '');
  });
});

describe('cookie matching', () => {
  it('domain and path match', () => {
    assert.equal(domainMatches('a.example.com', 'example.com'), true);
    assert.equal(domainMatches('badexample.com', 'example.com'), false);
    assert.equal(pathMatches('/app/x', '/app'), true);
    assert.equal(pathMatches('/application', '/app'), false);
    assert.equal(pathMatches('/app', '/app/'), false);
  });
  it('parses the Cookie header', () => {
    assert.deepEqual(parseCookieHeader('a=1; b=2=3;  c ; ;'), [
      { name: 'a', value: '1' },
      { name: 'b', value: '2=3' },
      { name: '', value: 'c' },
    ]);
  });
});

describe('whyNotSent', () => {
  const ctx = (over: Partial<CookieContext>): CookieContext => ({ url: 'https://api.other.test/me', method: 'GET', navigation: false, initiator: 'https://app.example.com', topLevelUrl: 'https://app.example.com/', at: T, ...over });
  it('SameSite on a cross-site fetch', () => {
    assert.equal(whyNotSent(jarCookie({ name: 's', domain: 'api.other.test', sameSite: 'strict' }), ctx({})), 'samesite-strict');
    assert.equal(whyNotSent(jarCookie({ name: 's', domain: 'api.other.test', sameSite: 'lax' }), ctx({})), 'samesite-lax');
    assert.equal(whyNotSent(jarCookie({ name: 's', domain: 'api.other.test', sameSite: 'unspecified' }), ctx({})), 'samesite-unspecified-lax');
    assert.equal(whyNotSent(jarCookie({ name: 's', domain: 'api.other.test', sameSite: 'no_restriction' }), ctx({})), undefined);
  });
  it('Lax is sent on a cross-site top-level GET navigation, Strict is not', () => {
    const nav = ctx({ navigation: true, topLevelUrl: undefined });
    assert.equal(whyNotSent(jarCookie({ name: 's', domain: 'api.other.test', sameSite: 'lax' }), nav), undefined);
    assert.equal(whyNotSent(jarCookie({ name: 's', domain: 'api.other.test', sameSite: 'strict' }), nav), 'samesite-strict');
    assert.equal(whyNotSent(jarCookie({ name: 's', domain: 'api.other.test', sameSite: 'lax' }), { ...nav, method: 'POST' }), 'samesite-lax');
  });
  it('same-site is scheme-aware (schemeful same-site)', () => {
    const c = jarCookie({ name: 's', domain: 'api.example.com', sameSite: 'strict', secure: false });
    assert.equal(whyNotSent(c, ctx({ url: 'https://api.example.com/x' })), undefined);
    assert.equal(whyNotSent(c, ctx({ url: 'http://api.example.com/x' })), 'samesite-strict');
  });
  it('Secure on http; partitioned to another top-level site', () => {
    assert.equal(whyNotSent(jarCookie({ name: 's', domain: 'app.test' }), ctx({ url: 'http://app.test/', initiator: 'http://app.test', topLevelUrl: 'http://app.test/' })), 'secure-on-http');
    const p = jarCookie({ name: 's', domain: 'api.other.test', sameSite: 'no_restriction', partitionKey: { topLevelSite: 'https://elsewhere.test' } });
    assert.equal(whyNotSent(p, ctx({})), 'partitioned-elsewhere');
  });
});

describe('isSessionCookie', () => {
  it('by name, JWT value, HttpOnly, or a challenge naming it', () => {
    for (const n of ['sid', 'JSESSIONID', 'connect.sid', 'PHPSESSID', '__Host-session', 'my_app_session', 'auth_token', 'laravel_session']) assert.equal(isSessionCookie(n), true, n);
    for (const n of ['_ga', 'theme', 'consent', 'lang']) assert.equal(isSessionCookie(n), false, n);
    assert.equal(isSessionCookie('x', 'eyJhbGciOiJub25lIn0.e30.'), true);
    assert.equal(isSessionCookie('x', 'v', true), true);
    assert.equal(isSessionCookie('x', 'v', false, new Set(['x'])), true);
  });
});

describe('whyNotSent with the browser\'s third-party-cookie setting', () => {
  const ctx = (over: Partial<CookieContext>): CookieContext => ({ url: 'https://api.other.test/me', method: 'GET', navigation: false, initiator: 'https://app.example.com', topLevelUrl: 'https://app.example.com/', at: T, ...over });
  const none = jarCookie({ name: 's', domain: 'api.other.test', sameSite: 'no_restriction' });
  it('blocked: a SameSite=None cookie stays home cross-site; partitioned (CHIPS) cookies and same-site requests are untouched', () => {
    assert.equal(whyNotSent(none, ctx({ thirdParty: 'blocked' })), 'third-party');
    assert.equal(whyNotSent(none, ctx({ thirdParty: 'allowed' })), undefined);
    assert.equal(whyNotSent(none, ctx({})), undefined, 'unknown: nothing is assumed');
    const chips = jarCookie({ name: 's', domain: 'api.other.test', sameSite: 'no_restriction', partitionKey: { topLevelSite: 'https://example.com' } });
    assert.equal(whyNotSent(chips, ctx({ thirdParty: 'blocked' })), undefined);
    const own = jarCookie({ name: 's', domain: 'app.example.com', sameSite: 'no_restriction' });
    assert.equal(whyNotSent(own, ctx({ url: 'https://app.example.com/me', thirdParty: 'blocked' })), undefined);
  });
  it('partitioned (Total Cookie Protection): the site\'s own jar is not used in a cross-site request; a navigation is first-party', () => {
    assert.equal(whyNotSent(none, ctx({ thirdParty: 'partitioned' })), 'partitioned-by-browser');
    assert.equal(whyNotSent(none, ctx({ thirdParty: 'partitioned', navigation: true, topLevelUrl: undefined })), undefined);
  });
  it('SameSite still comes first: it is the cookie\'s own rule', () => {
    assert.equal(whyNotSent(jarCookie({ name: 's', domain: 'api.other.test', sameSite: 'strict' }), ctx({ thirdParty: 'blocked' })), 'samesite-strict');
  });
});

describe('cookiePolicyFrom', () => {
  it('Chrome\'s boolean and every Firefox behaviour; an unknown behaviour is no evidence', () => {
    assert.deepEqual(cookiePolicyFrom({ thirdPartyCookiesAllowed: false }, 5), { thirdParty: 'blocked', setting: 'thirdPartyCookiesAllowed: false', at: 5 });
    assert.equal(cookiePolicyFrom({ thirdPartyCookiesAllowed: true }, 5)?.thirdParty, 'allowed');
    const ff = (b: string) => cookiePolicyFrom({ cookieBehavior: b }, 5)?.thirdParty;
    assert.equal(ff('reject_trackers_and_partition_foreign'), 'partitioned');
    assert.equal(ff('reject_third_party'), 'blocked');
    assert.equal(ff('allow_all'), 'allowed');
    assert.equal(ff('allow_visited'), 'visited-only');
    assert.equal(ff('reject_trackers'), 'trackers-blocked');
    assert.equal(ff('something_new'), undefined);
    assert.equal(ff('__proto__'), undefined);
  });
});
