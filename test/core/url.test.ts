import assert from 'node:assert/strict';
import { it } from 'node:test';
import { isPrivateHost } from '../../src/core/exchange/url.ts';

it('private and loopback targets, whatever their spelling (called out before an imported re-run)', () => {
  const host = (url: string) => new URL(url).hostname;
  for (const h of ['localhost', 'localhost.', 'api.localhost', 'api.localhost.', '127.0.0.1', '10.0.0.8', '192.168.1.20', '172.16.5.4', '169.254.169.254', '100.64.0.1', '0.0.0.0', '[::1]', '[fd12::1]', '[fe80::1]', 'printer.local', 'db.internal', 'nas.home.arpa']) {
    assert.equal(isPrivateHost(h), true, h);
  }
  // As the URL parser writes them: IPv4-mapped IPv6, decimal and hex IPv4.
  for (const url of ['http://[::ffff:127.0.0.1]/', 'http://[::ffff:7f00:1]/', 'http://[::ffff:c0a8:114]/', 'http://2130706433/', 'http://0x7f.1/', 'http://localhost./']) {
    assert.equal(isPrivateHost(host(url)), true, url);
  }
  for (const h of ['example.com', '8.8.8.8', '172.32.0.1', '[2001:db8::1]', host('http://[::ffff:808:808]/'), 'localhost.example.com']) assert.equal(isPrivateHost(h), false, h);
});

it('a long URL’s origin, host, scheme, site and path are read from its head, as from the whole URL', async () => {
  const { hostOf, isSecureUrl, originOf, parseUrlPath } = await import('../../src/core/exchange/url.ts');
  const { siteOf } = await import('../../src/core/cookies/site.ts');
  const long = 'x'.repeat(50_000);
  const urls = [
    `https://user:pw@API.Example.co.uk:8443/v1/items?page=${long}#frag`,
    `https://api.example.com/${long}?q=1`,
    `http://localhost:3000\\path?${long}`,
    `https://h.example#${long}`,
    `blob:https://app.example.com/${long}`,
    `HTTPS://%65xample.com/a?${long}`,
    `https://a.example/b@c.example/?${long}`,
    `https://[::1]:8080?${long}`,
    `data:text/plain,${long}`,
    `foo://host/${long}`,
    `https://bad host/?${long}`,
  ];
  for (const url of urls) {
    const whole = URL.canParse(url) ? new URL(url) : undefined;
    assert.equal(originOf(url), whole && whole.origin !== 'null' ? whole.origin : undefined, `origin of ${url.slice(0, 60)}`);
    assert.equal(hostOf(url), whole?.hostname.toLowerCase(), `host of ${url.slice(0, 60)}`);
    assert.equal(isSecureUrl(url), whole?.protocol === 'https:' || whole?.hostname === 'localhost', `secure: ${url.slice(0, 60)}`);
    const path = parseUrlPath(url);
    assert.equal(path?.pathname, whole?.pathname, `path of ${url.slice(0, 60)}`);
    assert.equal(path?.hostname, whole?.hostname, `host (path head) of ${url.slice(0, 60)}`);
    assert.equal(siteOf(url), whole && whole.hostname ? siteOf(`${whole.protocol}//${whole.host}/`) : undefined, `site of ${url.slice(0, 60)}`);
  }
});

it('a long URL’s query parameters are read from its query alone, as from the whole URL', async () => {
  const { searchParamsOf } = await import('../../src/core/exchange/url.ts');
  const long = 'x'.repeat(50_000);
  const urls = [
    `https://api.example.com/v1?page=${long}&access_token=eyJ.a.b&empty=&flag`,
    `https://api.example.com/v1?a=%20b+c&%E2%82%AC=%F0%9F%98%80&bad=%zz&x=é "q"<>'{}|^\`&y=${long}`,
    `https://api.example.com/v1?q=${long}#frag?not=query&token=no`,
    `https://api.example.com/v1#frag?token=no&${long}`,
    `https://api.example.com/${long}`,
    `https://api.example.com/v1?&&=&a==b&;c=1&${long}`,
    `https://api.example.com/v1??double=1&${long}`,
    `https://bad host/?a=1&${long}`,
  ];
  for (const url of urls) {
    const whole = URL.canParse(url) ? [...new URL(url).searchParams] : undefined;
    const read = searchParamsOf(url);
    assert.deepEqual(read && [...read], whole, `query of ${url.slice(0, 80)}`);
  }
});
