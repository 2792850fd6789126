/** The capture tiers' bookkeeping, with a fake webRequest (the real one: test/browser/chromium/tiers.test.ts). */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { CaptureTiers, MAX_FULL_ORIGINS, originPattern } from '../../src/background/tiers.ts';
import type { ListenScope } from '../../src/platform/index.ts';
import type { RequestDetails, WebRequestHandlers } from '../../src/platform/types.ts';

function fake() {
  const live = new Set<{ types: readonly string[]; scope: ListenScope; h: WebRequestHandlers }>();
  const listen = (h: WebRequestHandlers, types: readonly string[], scope: ListenScope) => {
    const l = { types, scope, h };
    live.add(l);
    return () => void live.delete(l);
  };
  const heard: string[] = [];
  const handlers = (tier: 'light' | 'full'): WebRequestHandlers => ({
    onSendHeaders: (d) => void heard.push(`${tier}:${d.url}`),
    onHeadersReceived: () => undefined,
    onBeforeRedirect: () => undefined,
  });
  /** What the browser would do: every listener whose filter matches gets the event. */
  const send = (url: string, type: string, tabId = 1) => {
    for (const l of live) {
      if (!l.types.includes(type)) continue;
      if (l.scope.tabId !== undefined && l.scope.tabId !== tabId) continue;
      if (l.scope.urls && !l.scope.urls.some((p) => new RegExp(`^${p.replace(/[.]/g, '\\.').replace('/*', '/.*')}$`).test(url.replace(/:\d+\//, '/')))) continue;
      l.h.onSendHeaders({ url, type, tabId, requestId: '1', method: 'GET', frameId: 0, timeStamp: 0 } as RequestDetails);
    }
  };
  return { live, listen, handlers, heard, send };
}

const tick = () => new Promise((r) => setTimeout(r, 80));

it('origin patterns: scheme and host, any port', () => {
  assert.equal(originPattern('https://API.test:4401'), 'https://api.test/*');
  assert.equal(originPattern('http://[::1]:8080'), 'http://[::1]/*');
  assert.equal(originPattern('file:///x'), undefined);
});

it('scripted requests always in full; the rest light until their origin fails; each request heard once', async () => {
  const f = fake();
  const t = new CaptureTiers(f.listen, f.handlers, () => true);
  t.start(['main_frame', 'image', 'xmlhttprequest']);
  f.send('https://api.test/me', 'xmlhttprequest');
  f.send('https://api.test/page', 'main_frame');
  assert.deepEqual(f.heard.splice(0), ['full:https://api.test/me', 'light:https://api.test/page']);
  t.failed('https://api.test:4401/page');
  await tick();
  f.send('https://api.test/page', 'main_frame');
  f.send('https://other.test/page', 'main_frame');
  assert.deepEqual(f.heard.splice(0), ['full:https://api.test/page', 'light:https://other.test/page']);
  // The panel opens on tab 2: everything there in full, once (api.test's listener already hears it).
  t.inspect(2, true);
  await tick();
  f.send('https://other.test/page', 'image', 2);
  f.send('https://api.test/page', 'image', 2);
  assert.deepEqual(f.heard.splice(0), ['full:https://other.test/page', 'full:https://api.test/page']);
  t.inspect(2, false);
  await tick();
  f.send('https://other.test/page', 'image', 2);
  assert.deepEqual(f.heard.splice(0), ['light:https://other.test/page']);
});

it('keeps the latest failing origins, and one tier where every listener sees every header (Firefox)', async () => {
  const f = fake();
  const t = new CaptureTiers(f.listen, f.handlers, () => true);
  t.start(['main_frame']);
  for (let i = 0; i < MAX_FULL_ORIGINS + 5; i++) t.failed(`https://s${i}.test/`);
  await tick();
  assert.equal(t.scope().origins.length, MAX_FULL_ORIGINS);
  assert.ok(!t.scope().origins.includes('https://s0.test/*'));
  const g = fake();
  const one = new CaptureTiers(g.listen, g.handlers, () => false);
  one.start(['main_frame', 'xmlhttprequest']);
  g.send('https://a.test/', 'main_frame');
  assert.deepEqual(g.heard, ['full:https://a.test/']);
  assert.equal(g.live.size, 1);
});

it('Clear all forgets the failing origins, in memory and in storage.session; a restart restores only what is kept', async () => {
  const { FakeKV } = await import('../helpers/fakes.ts');
  const { FULL_ORIGINS_KEY, failedOrigin, forgetFailingOrigins, restoreFailingOrigins } = await import('../../src/background/tiers.ts');
  const session = new FakeKV();
  const f = fake();
  const t = new CaptureTiers(f.listen, f.handlers, () => true);
  t.start(['main_frame']);
  failedOrigin(t, session, 'https://api.test/me');
  await tick();
  assert.deepEqual((await session.get([FULL_ORIGINS_KEY]))[FULL_ORIGINS_KEY], ['https://api.test/*']);
  const again = new CaptureTiers(fake().listen, f.handlers, () => true);
  await restoreFailingOrigins(again, session);
  assert.deepEqual(again.failingOrigins(), ['https://api.test/*'], 'a restarted worker hears it in full again');
  await forgetFailingOrigins(t, session);
  await tick();
  assert.deepEqual(t.failingOrigins(), []);
  assert.deepEqual(t.scope().origins, []);
  assert.equal((await session.get([FULL_ORIGINS_KEY]))[FULL_ORIGINS_KEY], undefined);
});

it('a pause removes every listener; a resume registers them again with the failing origins and inspected tabs it had', async () => {
  const f = fake();
  const t = new CaptureTiers(f.listen, f.handlers, () => true);
  t.start(['main_frame', 'xmlhttprequest']);
  t.failed('https://api.test/me');
  t.inspect(3, true);
  await tick();
  assert.ok(f.live.size >= 3, 'scripted, light, and the full tier');
  t.stop();
  assert.equal(f.live.size, 0, 'paused: no listener at all');
  assert.equal(t.listening, false);
  t.failed('https://late.test/');
  t.inspect(4, true);
  await tick();
  assert.equal(f.live.size, 0, 'nothing registers while paused');
  f.send('https://api.test/page', 'main_frame');
  assert.deepEqual(f.heard, []);
  t.start(['main_frame', 'xmlhttprequest']);
  await tick();
  assert.deepEqual(t.scope(), { origins: ['https://api.test/*', 'https://late.test/*'], tabs: [3, 4] }, 'resumed as it was, with what arrived meanwhile');
  f.send('https://api.test/page', 'main_frame');
  assert.deepEqual(f.heard, ['full:https://api.test/page']);
});
