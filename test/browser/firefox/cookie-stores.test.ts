/**
 * Cookie actions act on the tab's own cookie store in Firefox: a container tab, a private window,
 * and first-party isolation. The failure is judged on that store's jar; "Clear site cookies" and
 * Undo there touch that store's cookies only, and restore every attribute (first party included).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { launchFirefox, type FirefoxSession } from '../helpers/firefox.ts';

type Cookie = { name: string; value: string; domain: string; path: string; storeId: string; firstPartyDomain?: string; secure: boolean; httpOnly: boolean; sameSite: string; expirationDate?: number; hostOnly: boolean; session: boolean };
const key = (c: Cookie) => `${c.name}|${c.domain}|${c.path}|${c.firstPartyDomain ?? ''}`;
const sorted = (l: Cookie[]) => [...l].sort((a, b) => key(a).localeCompare(key(b)));

/** Everything of api.test in one store (first parties included). */
function jar(s: FirefoxSession, store: string): Promise<Cookie[]> {
  return s.ext.evaluate(
    async (storeId) => (await (globalThis as unknown as { browser: typeof chrome }).browser.cookies.getAll({ domain: 'api.test', storeId, firstPartyDomain: null } as chrome.cookies.GetAllDetails)) as unknown as Cookie[],
    store,
  );
}

async function seed(s: FirefoxSession, cookies: Record<string, unknown>[]): Promise<void> {
  await s.ext.evaluate(async (list) => {
    const b = (globalThis as unknown as { browser: typeof chrome }).browser;
    for (const d of list) if (!(await b.cookies.set(d as unknown as chrome.cookies.SetDetails))) throw new Error(`could not set ${String(d['name'])}`);
  }, cookies);
}

/** The whole round: a failure in the tab, its jar, then clear and undo from that tab. */
async function roundTrip(s: FirefoxSession, tabId: number, store: string, others: string[]): Promise<void> {
  const failing = s.lab.url('api.test', '/s/session/me?cookie=sid_x');
  const before = sorted(await jar(s, store));
  const othersBefore = await Promise.all(others.map(async (o) => sorted(await jar(s, o))));
  await s.ext.evaluate(({ tabId, url }) => (globalThis as unknown as { browser: typeof chrome }).browser.tabs.update(tabId, { url }), { tabId, url: failing });
  let record = (await s.waitForRecords(tabId, 1)).records.at(-1)!;
  // The first verdict is recorded at once; the jar's evidence follows it.
  for (let until = Date.now() + 5000; !record.entry._why401?.cookieJar && Date.now() < until; ) {
    await new Promise((r) => setTimeout(r, 50));
    record = (await s.snapshot(tabId)).records.at(-1)!;
  }
  assert.equal(record.entry._why401?.storeId, store);
  const held = (record.entry._why401?.cookieJar ?? []).map((c) => c.name).sort();
  assert.ok(held.includes('mine') && !held.includes('elsewhere'), `the tab's own jar: ${held.join(', ')}`);
  const preview = await s.request<{ cookies: { name: string }[] }>({ type: 'preview-clear-cookies', url: failing, scope: 'site', tabId });
  assert.deepEqual(preview.cookies.map((c) => c.name).sort(), before.map((c) => c.name).sort());
  const cleared = await s.request<{ undoId: string; cleared: number }>({ type: 'clear-cookies', url: failing, scope: 'site', tabId });
  assert.equal(cleared.cleared, before.length);
  assert.deepEqual(await jar(s, store), []);
  for (const [i, o] of others.entries()) assert.deepEqual(sorted(await jar(s, o)), othersBefore[i], `${o} is untouched`);
  const undone = await s.request<{ restored: number; conflicts: string[]; failed: string[] }>({ type: 'undo-clear-cookies', undoId: cleared.undoId });
  assert.deepEqual(undone, { restored: before.length, conflicts: [], failed: [] });
  assert.deepEqual(sorted(await jar(s, store)), before, 'every cookie back, every attribute');
  for (const [i, o] of others.entries()) assert.deepEqual(sorted(await jar(s, o)), othersBefore[i]);
}

describe('cookie stores in Firefox', () => {
  let s: FirefoxSession | undefined;
  after(async () => {
    await s?.close();
  });

  it('a container tab and a private window: each its own jar, clear and undo', async () => {
    s = await launchFirefox({ prefs: { 'privacy.userContext.enabled': true }, privateBrowsing: true });
    const url = s.lab.url('api.test', '/');
    const expires = Math.floor(Date.now() / 1000) + 3600;
    const { container, privateTab } = await s.ext.evaluate(async () => {
      const b = (globalThis as unknown as { browser: typeof chrome }).browser;
      const c = await b.tabs.create({ url: 'about:blank', cookieStoreId: 'firefox-container-1' } as chrome.tabs.CreateProperties);
      const w = await b.windows.create({ incognito: true, url: 'about:blank' });
      return { container: c.id!, privateTab: w!.tabs![0]!.id! };
    });
    await seed(s, [
      { url, name: 'elsewhere', value: 'default', storeId: 'firefox-default' },
      { url, name: 'mine', value: 'in-the-container', storeId: 'firefox-container-1', httpOnly: true, secure: true, sameSite: 'strict', expirationDate: expires },
      { url, name: 'mine', value: 'in-private', storeId: 'firefox-private', sameSite: 'lax' },
    ]);
    await roundTrip(s, container, 'firefox-container-1', ['firefox-default', 'firefox-private']);
    await roundTrip(s, privateTab, 'firefox-private', ['firefox-default', 'firefox-container-1']);
    assert.deepEqual((await s.request<{ errors: string[] }>({ type: 'get-diagnostics' })).errors, []);
    await s.close();
    s = undefined;
  });

  it('partitioned cookies (Total Cookie Protection): a clear acts in the failure page’s partition, the others kept, undo restores it there', async () => {
    s = await launchFirefox();
    const url = s.lab.url('api.test', '/');
    const partitioned = () =>
      s!.ext.evaluate(async () => {
        const api = (globalThis as unknown as { browser: typeof chrome }).browser.cookies;
        const all = (await api.getAll({ domain: 'api.test', partitionKey: {} } as chrome.cookies.GetAllDetails)) as (chrome.cookies.Cookie & { partitionKey?: { topLevelSite?: string } })[];
        return all.map((c) => `${c.name}@${c.partitionKey?.topLevelSite ?? ''}`).sort();
      }, null);
    await seed(s, [
      { url, name: 'mine', value: 'unpartitioned' },
      { url, name: 'wsid', value: 'under-app', partitionKey: { topLevelSite: 'https://app.test' } },
      { url, name: 'wsid', value: 'under-other', partitionKey: { topLevelSite: 'https://other.test' } },
    ]);
    const before = await partitioned();
    assert.deepEqual(before, ['mine@', 'wsid@https://app.test', 'wsid@https://other.test']);
    const tabId = await s.ext.evaluate(async () => (await (globalThis as unknown as { browser: typeof chrome }).browser.tabs.create({ url: 'about:blank' })).id!);
    // The widget's failure happened inside an app.test page (the panel passes that page).
    const failing = s.lab.url('api.test', '/s/session/me?cookie=sid_x');
    const page = 'https://app.test/';
    const preview = await s.request<{ cookies: { name: string; partitionSite?: string }[]; otherPartitions: { site: string; count: number }[] }>({ type: 'preview-clear-cookies', url: failing, scope: 'site', tabId, topLevelUrl: page });
    assert.deepEqual(preview.cookies.map((c) => `${c.name}@${c.partitionSite ?? ''}`).sort(), ['mine@', 'wsid@app.test']);
    assert.deepEqual(preview.otherPartitions, [{ site: 'other.test', count: 1 }]);
    const cleared = await s.request<{ undoId: string; cleared: number }>({ type: 'clear-cookies', url: failing, scope: 'site', tabId, topLevelUrl: page });
    assert.equal(cleared.cleared, 2);
    assert.deepEqual(await partitioned(), ['wsid@https://other.test'], 'the partition under other.test is untouched');
    assert.deepEqual(await s.request({ type: 'undo-clear-cookies', undoId: cleared.undoId }), { restored: 2, conflicts: [], failed: [] });
    assert.deepEqual(await partitioned(), before, 'restored in its partition');
    await s.close();
    s = undefined;
  });

  it('first-party isolation: isolated cookies are read, cleared and restored with their first party', async () => {
    s = await launchFirefox({ prefs: { 'privacy.firstparty.isolate': true } });
    const url = s.lab.url('api.test', '/');
    const tabId = await s.ext.evaluate(async () => (await (globalThis as unknown as { browser: typeof chrome }).browser.tabs.create({ url: 'about:blank' })).id!);
    await seed(s, [
      { url, name: 'mine', value: 'isolated-to-api', storeId: 'firefox-default', firstPartyDomain: 'api.test', httpOnly: true },
      { url, name: 'elsewhere', value: 'isolated-to-news', storeId: 'firefox-default', firstPartyDomain: 'news.test' },
    ]);
    // The jar for a top-level api.test page holds the api.test first party's cookies; clear takes every first party of the site.
    const before = sorted(await jar(s, 'firefox-default'));
    assert.equal(before.length, 2);
    const failing = s.lab.url('api.test', '/s/session/me?cookie=sid_x');
    await s.ext.evaluate(({ tabId, url }) => (globalThis as unknown as { browser: typeof chrome }).browser.tabs.update(tabId, { url }), { tabId, url: failing });
    let record = (await s.waitForRecords(tabId, 1)).records[0];
    // The first verdict is recorded at once; the jar's evidence follows it.
    for (let until = Date.now() + 5000; !record?.entry._why401?.cookieJar && Date.now() < until; ) {
      await new Promise((r) => setTimeout(r, 50));
      record = (await s.snapshot(tabId)).records[0];
    }
    assert.ok((record?.entry._why401?.cookieJar ?? []).some((c) => c.name === 'mine'), 'isolated cookies are read');
    const cleared = await s.request<{ undoId: string; cleared: number }>({ type: 'clear-cookies', url: failing, scope: 'site', tabId });
    assert.equal(cleared.cleared, 2, 'both first parties of api.test cleared');
    assert.deepEqual(await jar(s, 'firefox-default'), []);
    assert.deepEqual(await s.request({ type: 'undo-clear-cookies', undoId: cleared.undoId }), { restored: 2, conflicts: [], failed: [] });
    const after = sorted(await jar(s, 'firefox-default'));
    assert.deepEqual(after, before, 'restored with their first party');
    assert.deepEqual(after.map((c) => c.firstPartyDomain).sort(), ['api.test', 'news.test']);
  });
});
