/**
 * Cookie actions act on the tab's own cookie store: an incognito window's failure is judged on the
 * incognito jar, and "Clear site cookies" and Undo there touch incognito cookies only, restoring
 * every attribute (partitioned cookies included). Real Chromium, the extension allowed in
 * incognito as a user allows it (developer mode, "Allow in Incognito").
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { allowIncognito, launch, type Session } from '../helpers/chromium.ts';

type Cookie = chrome.cookies.Cookie;
const key = (c: Cookie) => `${c.name}|${c.domain}|${c.path}|${c.partitionKey?.topLevelSite ?? ''}`;
const sorted = (l: Cookie[]) => [...l].sort((a, b) => key(a).localeCompare(key(b)));

describe('cookie stores in Chromium: an incognito window', () => {
  let s: Session;
  before(async () => {
    s = await launch();
    await allowIncognito(s);
  });
  after(async () => {
    await s?.close();
  });

  it('a failure in incognito reads the incognito jar; clear and undo touch only incognito cookies of the failure’s partition, every attribute restored', async () => {
    const site = s.lab.url('api.test', '/');
    const failing = s.lab.url('api.test', '/s/session/me?cookie=sid_x');
    const tabId = await s.inExtension(async () => {
      const w = await chrome.windows.create({ incognito: true, url: 'about:blank' });
      return w?.tabs?.[0]?.id ?? -1;
    }, null);
    assert.ok(tabId > 0, 'an incognito tab');
    const stores = await s.inExtension(async () => chrome.cookies.getAllCookieStores(), null);
    const incognito = stores.find((st) => st.tabIds.includes(tabId))?.id;
    assert.ok(incognito && incognito !== '0', `the tab has its own store: ${JSON.stringify(stores)}`);
    const expires = Math.floor(Date.now() / 1000) + 3600;
    await s.inExtension(
      async ({ url, store, expires }) => {
        // (No named helper here: the test runner's transform would name it with a function the page lacks.)
        for (const d of [
          { url, name: 'everywhere', value: 'in-the-default-store', storeId: '0' },
          { url, name: 'default_only', value: 'x', storeId: '0' },
          { url, name: 'everywhere', value: 'in-incognito', storeId: store, httpOnly: true, secure: true, sameSite: 'strict', expirationDate: expires },
          { url: `${url}s/x`, name: 'incognito_only', value: 'y', storeId: store, path: '/s', sameSite: 'lax' },
          { url, name: 'chip', value: 'partitioned', storeId: store, secure: true, sameSite: 'no_restriction', partitionKey: { topLevelSite: 'https://app.test' } },
        ] as chrome.cookies.SetDetails[]) {
          if (!(await chrome.cookies.set(d))) throw new Error(`could not set ${d.name} in ${d.storeId}`);
        }
      },
      { url: site, store: incognito, expires },
    );
    // Every cookie of the store, partitioned ones too (asking with a partitionKey lists both kinds).
    const jar = async (store: string) => {
      const all = await s.inExtension(async ({ store }) => [...(await chrome.cookies.getAll({ domain: 'api.test', storeId: store })), ...(await chrome.cookies.getAll({ domain: 'api.test', storeId: store, partitionKey: {} }))], { store });
      return [...new Map(all.map((c) => [key(c), c])).values()];
    };
    const defaultBefore = sorted(await jar('0'));
    const incognitoBefore = sorted(await jar(incognito));
    assert.ok(incognitoBefore.some((c) => c.name === 'chip' && c.partitionKey), 'a partitioned cookie in incognito');

    // A failure in the incognito tab: the jar it is judged on is the incognito one.
    await s.inExtension(({ tabId, url }) => chrome.tabs.update(tabId, { url }), { tabId, url: failing });
    const snap = await s.waitForRecords(tabId, 1);
    const record = snap.records[0]!;
    assert.equal(record.entry._why401?.storeId, incognito);
    const held = (record.entry._why401?.cookieJar ?? []).map((c) => c.name).sort();
    assert.ok(held.includes('incognito_only') && !held.includes('default_only'), `the incognito jar: ${held.join(', ')}`);

    // Clear the site's cookies from that tab: the incognito ones go, the default store's stay.
    // The failure was a top-level page of api.test: the cookie partitioned under app.test is
    // another partition's, kept and counted.
    const preview = await s.request<{ cookies: { name: string; partitioned: boolean }[]; otherPartitions: { site: string; count: number }[] }>({ type: 'preview-clear-cookies', url: failing, scope: 'site', tabId, topLevelUrl: failing });
    const mine = incognitoBefore.filter((c) => !c.partitionKey);
    assert.deepEqual(preview.cookies.map((c) => c.name).sort(), mine.map((c) => c.name).sort());
    assert.deepEqual(preview.otherPartitions, [{ site: 'app.test', count: 1 }]);
    const cleared = await s.request<{ undoId: string; cleared: number }>({ type: 'clear-cookies', url: failing, scope: 'site', tabId, topLevelUrl: failing });
    assert.equal(cleared.cleared, mine.length);
    assert.deepEqual((await jar(incognito)).map((c) => c.name), ['chip']);
    assert.deepEqual(sorted(await jar('0')), defaultBefore, 'the default store is untouched');

    const undone = await s.request<{ restored: number; conflicts: string[]; failed: string[] }>({ type: 'undo-clear-cookies', undoId: cleared.undoId });
    assert.deepEqual(undone, { restored: mine.length, conflicts: [], failed: [] });
    assert.deepEqual(sorted(await jar(incognito)), incognitoBefore, 'every incognito cookie back, every attribute');
    assert.deepEqual(sorted(await jar('0')), defaultBefore);
    assert.deepEqual(s.workerErrors, []);
  });
});
