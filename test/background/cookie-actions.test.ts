import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JarCookie } from '../../src/core/exchange/har-types.ts';
import { CookieActions, summarize, UNDO_TTL_MS } from '../../src/background/cookie-actions.ts';

/** What the user is told (the background also gets the restored cookies, for the tab's timeline). */
const outcome = ({ restored, conflicts, failed }: { restored: number; conflicts: string[]; failed: string[] }) => ({ restored, conflicts, failed });
import { FakeJar, FakeKV } from '../helpers/fakes.ts';

const cookie = (name: string, value: string, over: Partial<JarCookie> = {}): JarCookie => ({
  name,
  value,
  domain: 'app.test',
  hostOnly: true,
  path: '/',
  secure: true,
  httpOnly: true,
  sameSite: 'lax',
  session: false,
  expirationDate: Math.floor(Date.now() / 1000) + 3600,
  ...over,
});

function setup(cookies: JarCookie[]) {
  const jar = new FakeJar();
  jar.cookies = cookies.map((c) => ({ ...c }));
  const kv = new FakeKV();
  return { jar, kv, actions: new CookieActions(jar, kv) };
}

describe('clear site cookies, with undo', () => {
  it('clears the site and restores every cookie with every attribute', async () => {
    const original = [cookie('sid', 'one'), cookie('pref', 'dark', { domain: '.app.test', hostOnly: false, sameSite: 'strict', session: true, expirationDate: undefined as never })];
    const { jar, actions } = setup(original);
    const { undoId, cleared } = await actions.clear('https://app.test/x', 'site', 7);
    assert.equal(cleared.length, 2);
    assert.deepEqual(jar.cookies, []);
    const full = await actions.undo(undoId);
    assert.deepEqual(outcome(full), { restored: 2, conflicts: [], failed: [] });
    assert.deepEqual([full.tabId, full.url, full.back.map((c) => c.name).sort()], [7, 'https://app.test/x', ['pref', 'sid']], 'what came back, for the tab\'s timeline');
    const byName = (l: JarCookie[]) => [...l].sort((a, b) => a.name.localeCompare(b.name));
    assert.deepEqual(byName(jar.cookies), byName(original));
    await assert.rejects(actions.undo(undoId), /nothing to undo/, 'an undo happens once');
  });

  it('a cookie the site set again since is kept, unless the user confirms overwriting it', async () => {
    const { jar, actions } = setup([cookie('sid', 'old'), cookie('csrf', 'c1')]);
    const { undoId } = await actions.clear('https://app.test/', 'site', 1);
    // The site signs the user in again: a new sid.
    jar.cookies.push(cookie('sid', 'new'));
    const first = outcome(await actions.undo(undoId));
    assert.deepEqual(first, { restored: 1, conflicts: ['sid'], failed: [] });
    assert.equal(jar.cookies.find((c) => c.name === 'sid')?.value, 'new', 'the newer cookie is not clobbered');
    assert.equal(jar.cookies.find((c) => c.name === 'csrf')?.value, 'c1', 'the others are restored');
    // The user confirms: the old one goes back, and the undo is spent.
    const second = outcome(await actions.undo(undoId, true));
    assert.deepEqual(second, { restored: 1, conflicts: [], failed: [] });
    assert.equal(jar.cookies.find((c) => c.name === 'sid')?.value, 'old');
    await assert.rejects(actions.undo(undoId), /nothing to undo/);
  });

  it('a cookie with the same name on another path or domain is not a conflict', async () => {
    const { jar, actions } = setup([cookie('sid', 'old')]);
    const { undoId } = await actions.clear('https://app.test/', 'site', 1);
    jar.cookies.push(cookie('sid', 'other', { path: '/admin' }));
    assert.deepEqual(outcome(await actions.undo(undoId)), { restored: 1, conflicts: [], failed: [] });
    assert.equal(jar.cookies.filter((c) => c.name === 'sid').length, 2);
  });

  it('the cookies API failing: the rest still goes, the undo is not lost, failures are named', async () => {
    const { jar, kv, actions } = setup([cookie('a', '1'), cookie('b', '2'), cookie('c', '3')]);
    const remove = jar.remove.bind(jar);
    jar.remove = async (c) => {
      if (c.name === 'b') throw new Error('cookies API failed');
      return remove(c);
    };
    const { undoId, cleared } = await actions.clear('https://app.test/', 'site', 1);
    assert.deepEqual(cleared.map((c) => c.name), ['a', 'c']);
    jar.restore = async (c) => {
      if (c.name === 'c') throw new Error('cookies API failed');
      await remove(c);
      jar.cookies.push({ ...c });
      return true;
    };
    const r = outcome(await actions.undo(undoId));
    assert.equal(r.failed.includes('c'), true, JSON.stringify(r));
    assert.ok([...kv.data.keys()].some((k) => k.startsWith('u:')), 'what could not be restored stays undoable');
  });

  it('a cookie that expired meanwhile is not restored, and says so', async () => {
    const soon = cookie('sid', 'x', { expirationDate: Math.floor(Date.now() / 1000) + 1 });
    const { jar, actions } = setup([soon]);
    const { undoId } = await actions.clear('https://app.test/', 'site', 1);
    const realNow = Date.now;
    Date.now = () => realNow() + 5000;
    try {
      assert.deepEqual(outcome(await actions.undo(undoId)), { restored: 0, conflicts: [], failed: ['sid (expired meanwhile)'] });
    } finally {
      Date.now = realNow;
    }
    assert.deepEqual(jar.cookies, []);
  });

  it('undo snapshots live as long as their tab', async () => {
    const { kv, actions } = setup([cookie('sid', '1')]);
    await actions.clear('https://app.test/', 'site', 4);
    await actions.clear('https://app.test/', 'site', 5);
    await actions.forgetTab(4);
    assert.deepEqual([...kv.data.keys()].map((k) => k.split('-')[0]), ['u:5']);
  });

  it('a cookie set again with the same value but a new expiry or flags is a conflict too', async () => {
    const { jar, actions } = setup([cookie('sid', 'same')]);
    const { undoId } = await actions.clear('https://app.test/', 'site', 1);
    jar.cookies.push(cookie('sid', 'same', { expirationDate: Math.floor(Date.now() / 1000) + 99_999, sameSite: 'strict' }));
    assert.deepEqual(outcome(await actions.undo(undoId)), { restored: 0, conflicts: ['sid'], failed: [] });
    assert.equal(jar.cookies[0]?.sameSite, 'strict', 'the newer cookie is kept');
    // The same cookie back exactly as it was is no conflict: it counts as restored.
    jar.cookies = [cookie('sid', 'same')];
    assert.deepEqual(outcome(await actions.undo(undoId)), { restored: 1, conflicts: [], failed: [] });
  });

  it('overwriting keeps what failed to restore, for another try', async () => {
    const { jar, kv, actions } = setup([cookie('a', '1'), cookie('b', '2')]);
    const { undoId } = await actions.clear('https://app.test/', 'site', 1);
    jar.cookies.push(cookie('a', 'new'));
    const restore = jar.restore.bind(jar);
    jar.restore = async (c) => (c.name === 'b' ? false : restore(c));
    const r = outcome(await actions.undo(undoId, true));
    assert.deepEqual(r, { restored: 1, conflicts: [], failed: ['b'] });
    assert.equal(jar.cookies.find((c) => c.name === 'a')?.value, '1');
    jar.restore = restore;
    assert.deepEqual(outcome(await actions.undo(undoId)), { restored: 1, conflicts: [], failed: [] }, 'the failed one is still undoable');
    assert.ok(![...kv.data.keys()].some((k) => k.startsWith('u:')), 'then the snapshot is spent');
  });

  it('one cookie store only: a container, a private or incognito window, the default store are separate', async () => {
    const inDefault = cookie('sid', 'default', { storeId: '0' });
    const inPrivate = cookie('sid', 'private', { storeId: 'firefox-private' });
    const inContainer = cookie('sid', 'work', { storeId: 'firefox-container-1' });
    const { jar, actions } = setup([inDefault, inPrivate, inContainer]);
    const { cookies } = await actions.preview('https://app.test/', 'site', 'firefox-private');
    assert.deepEqual(cookies.map((c) => c.value), ['private']);
    const { undoId, cleared } = await actions.clear('https://app.test/', 'site', 3, 'firefox-private');
    assert.deepEqual(cleared.map((c) => c.value), ['private']);
    assert.deepEqual(jar.cookies.map((c) => c.value).sort(), ['default', 'work'], 'the other stores are untouched');
    jar.cookies.push(cookie('sid', 'again', { storeId: 'firefox-container-1', path: '/x' }));
    assert.deepEqual(outcome(await actions.undo(undoId)), { restored: 1, conflicts: [], failed: [] });
    assert.ok(jar.cookies.some((c) => c.value === 'private' && c.storeId === 'firefox-private'));
  });

  it('a clear acts in the partition of the failure\'s page: the same site\'s cookies under other top-level sites are kept, and counted', async () => {
    const plain = cookie('wsid', 'a');
    const underShop = cookie('wsid', 'b', { partitionKey: { topLevelSite: 'https://shop.test' } });
    const underNews = cookie('wsid', 'c', { partitionKey: { topLevelSite: 'https://news.test' } });
    const underNews2 = cookie('pref', 'd', { partitionKey: { topLevelSite: 'https://www.news.test' } });
    const { jar, actions } = setup([plain, underShop, underNews, underNews2]);
    // The widget failed inside a shop.test page.
    const preview = await actions.preview('https://app.test/widget', 'site', undefined, 'https://shop.test/cart');
    assert.deepEqual(preview.cookies.map((c) => c.value).sort(), ['a', 'b']);
    assert.deepEqual(preview.otherPartitions, [{ site: 'news.test', count: 1 }, { site: 'www.news.test', count: 1 }]);
    assert.deepEqual(summarize(underShop), { name: 'wsid', domain: 'app.test', path: '/', partitioned: true, partitionSite: 'shop.test', session: false });
    const { undoId, cleared } = await actions.clear('https://app.test/widget', 'site', 1, undefined, 'https://shop.test/cart');
    assert.deepEqual(cleared.map((c) => c.value).sort(), ['a', 'b']);
    assert.deepEqual(jar.cookies.map((c) => c.value).sort(), ['c', 'd'], 'the partitions under news.test are untouched');
    assert.deepEqual(outcome(await actions.undo(undoId)), { restored: 2, conflicts: [], failed: [] });
    assert.equal(jar.cookies.length, 4);
    // No page named: the URL's own site is the top level (the popup clears the tab's own site).
    assert.deepEqual((await actions.preview('https://app.test/', 'site')).cookies.map((c) => c.value), ['a']);
  });

  it('partitioned and first-party-isolated cookies are their own cookies: listed, cleared and restored as such', async () => {
    const plain = cookie('sid', 'a');
    const partitioned = cookie('sid', 'b', { partitionKey: { topLevelSite: 'https://app.test' } });
    const isolated = cookie('sid', 'c', { firstPartyDomain: 'news.test' });
    const { jar, actions } = setup([plain, partitioned, isolated]);
    const { undoId, cleared } = await actions.clear('https://app.test/', 'site', 1);
    assert.equal(cleared.length, 3);
    assert.deepEqual(jar.cookies, []);
    assert.deepEqual(outcome(await actions.undo(undoId)), { restored: 3, conflicts: [], failed: [] });
    const key = (c: JarCookie) => `${c.value}|${c.partitionKey?.topLevelSite ?? ''}|${c.firstPartyDomain ?? ''}`;
    assert.deepEqual(jar.cookies.map(key).sort(), [plain, partitioned, isolated].map(key).sort());
  });

  it('snapshots of no tab (a panel opened as a page) do not pile up: gone after two hours', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const jar = new FakeJar();
    jar.cookies = [cookie('sid', '1', { expirationDate: now / 1000 + 999_999 })];
    const kv = new FakeKV();
    const actions = new CookieActions(jar, kv, () => now);
    await actions.clear('https://app.test/', 'site', -1);
    now += UNDO_TTL_MS + 1;
    jar.cookies = [cookie('other', '1', { expirationDate: now / 1000 + 999_999 })];
    await actions.clear('https://app.test/', 'site', -1);
    assert.equal([...kv.data.keys()].filter((k) => k.startsWith('u:')).length, 1);
  });

  it('only http and https sites', async () => {
    const { actions } = setup([]);
    await assert.rejects(actions.clear('chrome://settings', 'site', 1), /http and https/);
    await assert.rejects(actions.clear('not a url', 'host', 1), /http and https/);
  });
});
