/** The popup's store: summary, clear and undo (with a conflict), pause and host access, against a fake backend. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { PopupStore, type PopupBackend } from '../../src/popup/popup-store.ts';
import { defaultSettings } from '../../src/shared/settings.ts';

function fake(over: Partial<PopupBackend> = {}): { backend: PopupBackend; calls: string[] } {
  const calls: string[] = [];
  let held = 2;
  const backend: PopupBackend = {
    tabId: 7,
    tabUrl: 'https://app.example.com/x',
    summary: async () => ({ tabId: 7, count: 1, dropped: 0, lost: 0, latest: [] }),
    settings: async () => defaultSettings(),
    previewCookies: async () => ({ cookies: Array.from({ length: held }, (_, i) => ({ name: `c${i}`, domain: 'example.com', path: '/', partitioned: false, session: true })), site: 'example.com' }),
    clearCookies: async () => {
      calls.push('clear');
      held = 0;
      return { undoId: 'u1', cleared: 2 };
    },
    undoCookies: async (_id, overwrite) => {
      calls.push(`undo ${overwrite}`);
      if (!overwrite) return { restored: 1, conflicts: ['c1'], failed: [] };
      held = 2;
      return { restored: 1, conflicts: [], failed: [] };
    },
    setPaused: async (host, paused) => ({ ...defaultSettings(), pausedSites: paused ? [host] : [] }),
    canSeeSite: async () => false,
    requestSite: async () => false,
    requestHostAccess: async () => false,
    clickLetsHear: true,
    watch: async () => ({ listening: true, started: true, sites: { all: true, origins: [] } }),
    setWatching: async (on) => ({ listening: on, started: true, sites: { all: true, origins: [] } }),
    reload: async () => undefined,
    openSettings: async () => undefined,
    now: () => 0,
    ...over,
  };
  return { backend, calls };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

it('clears, then Undo asks about a cookie the site set again, and overwrites only when told', async () => {
  const { backend, calls } = fake();
  const store = new PopupStore(backend, true);
  store.start();
  await tick();
  assert.equal(store.state.cookies?.cookies.length, 2);
  await store.clear();
  assert.equal(store.state.undo?.undoId, 'u1');
  assert.match(store.state.message ?? '', /Cleared 2 cookies for example\.com/);
  assert.equal(store.state.cookies?.cookies.length, 0);
  await store.undoClear(false);
  assert.deepEqual(store.state.undo?.conflicts, ['c1']);
  await store.undoClear(true);
  assert.equal(store.state.undo, undefined);
  assert.equal(store.state.cookies?.cookies.length, 2);
  assert.deepEqual(calls, ['clear', 'undo false', 'undo true']);
  assert.equal(store.state.busy, false);
});

it('pauses and resumes the tab\'s site; a refused grant says so', async () => {
  const store = new PopupStore(fake().backend, true);
  store.start();
  await tick();
  assert.equal(store.paused, false);
  await store.togglePause();
  assert.equal(store.paused, true);
  await store.togglePause();
  assert.equal(store.paused, false);
  await store.grant('site');
  assert.equal(store.state.access, false);
  assert.match(store.state.error ?? '', /Permission not granted/);
});

it('the switch pauses and resumes watching; a resume the browser refuses says so', async () => {
  let grant = true;
  const { backend } = fake({ setWatching: async (on) => ({ listening: on && grant, started: true, sites: { all: true, origins: [] } }) });
  const store = new PopupStore(backend, true);
  store.start();
  await tick();
  assert.equal(store.state.watch?.listening, true);
  await store.setWatching(false);
  assert.equal(store.state.watch?.listening, false);
  assert.equal(store.state.error, undefined);
  grant = false;
  await store.setWatching(true);
  assert.equal(store.state.watch?.listening, false);
  assert.match(store.state.error ?? '', /did not grant/);
  grant = true;
  await store.setWatching(true);
  assert.equal(store.state.watch?.listening, true);
  assert.equal(store.state.error, undefined);
});

it('a site the browser’s site access leaves out is granted in one click', async () => {
  let granted = false;
  const { backend } = fake({ canSeeSite: async () => granted, requestSite: async () => (granted = true) });
  const store = new PopupStore(backend, true);
  store.start();
  await tick();
  assert.equal(store.state.access, false);
  await store.grant('site');
  assert.equal(store.state.access, true);
  assert.equal(store.state.error, undefined);
});

it('a page whose cookies it may not touch is never asked about them', async () => {
  let asked = false;
  const store = new PopupStore(fake({ previewCookies: async () => ((asked = true), { cookies: [], site: '' }) }).backend, false);
  store.start();
  await tick();
  assert.equal(asked, false);
});

it('a hidden address is a browser page while Why 401 holds every site, and either that or a left-out site otherwise', async () => {
  const sites = (all: boolean) => async () => ({ listening: true, started: true, sites: { all, origins: all ? [] : ['https://other.test/*'] } });
  const hidden = (all: boolean) => new PopupStore(fake({ tabUrl: undefined, watch: sites(all) }).backend, false);
  const a = hidden(true);
  assert.equal(a.pageNotice, undefined, 'nothing said before the background answers');
  a.start();
  await tick();
  assert.equal(a.pageNotice, 'browser-page');
  const b = hidden(false);
  b.start();
  await tick();
  assert.equal(b.pageNotice, 'hidden');
  assert.equal(new PopupStore(fake({ tabUrl: 'chrome://settings/' }).backend, false).pageNotice, 'browser-page');
  assert.equal(new PopupStore(fake({ tabUrl: 'https://app.test/' }).backend, true).pageNotice, undefined);
});

it('a left-out site whose address shows (the user opened Why 401 on the tab) is heard for now, until the tab leaves its origin', async () => {
  const watching = async () => ({ listening: true, started: true, sites: { all: false, origins: ['https://other.test/*'] } });
  const left = new PopupStore(fake({ tabUrl: 'https://app.test:8443/orders?id=1', canSeeSite: async () => false, watch: watching }).backend, true);
  assert.equal(left.heardForNow, undefined, 'nothing said before the browser answers');
  left.start();
  await tick();
  assert.equal(left.heardForNow, 'https://app.test:8443');
  const seen = new PopupStore(fake({ tabUrl: 'https://app.test/', canSeeSite: async () => true, watch: watching }).backend, true);
  seen.start();
  await tick();
  assert.equal(seen.heardForNow, undefined, 'a watched site is not "for now"');
  const paused = new PopupStore(fake({ tabUrl: 'https://app.test/', canSeeSite: async () => false, watch: async () => ({ listening: false, started: true, sites: { all: false, origins: [] } }) }).backend, true);
  paused.start();
  await tick();
  assert.equal(paused.heardForNow, undefined, 'paused: nothing is heard');
  const firefox = new PopupStore(fake({ tabUrl: 'https://app.test/', canSeeSite: async () => false, watch: watching, clickLetsHear: false }).backend, true);
  firefox.start();
  await tick();
  assert.equal(firefox.heardForNow, undefined, 'not claimed where the click is not known to let it hear');
});
