import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadgeController } from '../../src/background/badge.ts';
import { Capture, diagnoseOptions, judgePending } from '../../src/background/capture.ts';
import { TabStore } from '../../src/background/store.ts';
import { RECORD } from '../../src/background/store-codec.ts';
import { defaultSettings } from '../../src/shared/settings.ts';
import { jarCookie } from '../helpers/har.ts';
import { FakeBadge, FakeJar, FakeKV, details, flushTimers } from '../helpers/fakes.ts';

async function setup(settings = defaultSettings()) {
  const kv = new FakeKV();
  const store = new TabStore(kv, () => ({ perTab: settings.perTabCap, total: settings.totalCap }));
  await store.ready;
  const fakeBadge = new FakeBadge();
  const badge = new BadgeController(fakeBadge, (id) => (store.has(id) ? store.meta(id) : undefined), () => false);
  const jar = new FakeJar();
  const capture = new Capture({ store, jar, badge, settings: () => settings });
  return { kv, store, fakeBadge, jar, capture, h: capture.handlers() };
}

const WWW = { name: 'WWW-Authenticate', value: 'Bearer realm="api"' };

describe('Capture', () => {
  it('a failure becomes a record with the headers as sent, the jar, the diagnosis and a badge', async () => {
    const { store, fakeBadge, jar, h } = await setup();
    jar.cookies = [jarCookie({ name: 'sid', domain: 'api.test', sameSite: 'strict' })];
    const d = details({ requestHeaders: [{ name: 'Authorization', value: 'Bearer undefined' }] });
    h.onSendHeaders(d);
    h.onHeadersReceived({ ...d, statusCode: 401, statusLine: 'HTTP/1.1 401 Unauthorized', responseHeaders: [WWW] });
    await flushTimers();
    const [r] = store.records(1);
    assert.ok(r);
    assert.equal(r.entry.request.headers[0]!.value, 'Bearer undefined');
    assert.equal(r.entry.response.statusText, 'Unauthorized');
    assert.equal(r.entry._why401?.cookieJar?.[0]?.name, 'sid');
    assert.equal(r.findings[0]!.cause, 'placeholder-token');
    assert.equal(fakeBadge.shown.get(1)?.text, '1');
    assert.equal(fakeBadge.shown.get(1)?.color, '#C5221F');
  });

  it('a storm of parallel 401s with one token counts once on the badge; another failure after a pause counts again; Clear resets', async () => {
    const { store, fakeBadge, h } = await setup();
    const t0 = Date.parse('2025-06-01T12:00:00Z');
    const sent = Array.from({ length: 50 }, (_, i) => details({ url: `https://api.test/v1/item/${i}`, timeStamp: t0 + i, requestHeaders: [{ name: 'Authorization', value: 'Bearer undefined' }] }));
    for (const d of sent) h.onSendHeaders(d);
    for (const d of sent) h.onHeadersReceived({ ...d, statusCode: 401, responseHeaders: [WWW] });
    await flushTimers();
    await flushTimers();
    assert.equal(store.records(1).length, 50, 'every failure is kept');
    assert.equal(store.meta(1).count, 50);
    assert.equal(store.meta(1).repeats, 49);
    assert.equal(fakeBadge.shown.get(1)?.text, '1', 'the storm counts once');
    assert.match(fakeBadge.shown.get(1)?.title ?? '', /1 auth failure in this tab \(and 49 repeats of them, grouped\)/);
    const later = details({ timeStamp: t0 + 10_000, requestHeaders: [{ name: 'Authorization', value: 'Bearer undefined' }] });
    h.onSendHeaders(later);
    h.onHeadersReceived({ ...later, statusCode: 401, responseHeaders: [WWW] });
    await flushTimers();
    await flushTimers();
    assert.equal(fakeBadge.shown.get(1)?.text, '2', 'ten seconds later: a failure of its own');
    store.clearTab(1);
    assert.equal(store.meta(1).repeats, 0);
  });

  it('repeats among records dropped by the cap stay counted as repeats', async () => {
    const settings = { ...defaultSettings(), perTabCap: 10 };
    const { store, fakeBadge, h } = await setup(settings);
    const t0 = Date.parse('2025-06-01T12:00:00Z');
    for (let i = 0; i < 30; i++) {
      const d = details({ timeStamp: t0 + i, requestHeaders: [{ name: 'Authorization', value: 'Bearer undefined' }] });
      h.onSendHeaders(d);
      h.onHeadersReceived({ ...d, statusCode: 401, responseHeaders: [WWW] });
    }
    await flushTimers();
    await flushTimers();
    assert.equal(store.records(1).length, 10);
    assert.equal(store.meta(1).count - (store.meta(1).repeats ?? 0), 1);
    assert.equal(fakeBadge.shown.get(1)?.text, '1');
  });

  it('answered requests leave nothing pending; unanswered ones are swept by age', async () => {
    const { capture, h } = await setup();
    for (let i = 0; i < 100; i++) {
      const d = details();
      h.onSendHeaders({ ...d, requestHeaders: [{ name: 'Accept', value: '*/*' }] });
      h.onHeadersReceived({ ...d, statusCode: 200, responseHeaders: [] });
    }
    assert.equal(capture.pendingCount, 0);
    // Network errors and aborted requests never get a response.
    const t0 = Date.parse('2025-06-01T12:00:00Z');
    for (let i = 0; i < 300; i++) h.onSendHeaders(details({ timeStamp: t0, requestHeaders: [] }));
    assert.equal(capture.pendingCount, 300);
    h.onSendHeaders(details({ timeStamp: t0 + 200_000, requestHeaders: [] }));
    assert.equal(capture.pendingCount, 1, 'the old ones were swept');
  });

  it('a redirect chain is kept on the failure', async () => {
    const { store, h } = await setup();
    const d = details({ url: 'https://api.test/old', requestHeaders: [{ name: 'Authorization', value: 'Bearer abcdefghijklmnopqrstuvwxyz' }] });
    h.onSendHeaders(d);
    h.onBeforeRedirect({ ...d, statusCode: 307, redirectUrl: 'https://api2.test/new' });
    h.onSendHeaders({ ...d, url: 'https://api2.test/new', requestHeaders: [] });
    h.onHeadersReceived({ ...d, url: 'https://api2.test/new', statusCode: 401, responseHeaders: [WWW] });
    await flushTimers();
    const r = store.records(1)[0]!;
    assert.deepEqual(r.entry._why401?.redirectChain, [{ url: 'https://api.test/old', status: 307, location: 'https://api2.test/new', authorizationSent: true }]);
    assert.equal(r.findings[0]!.cause, 'auth-dropped-on-redirect');
  });

  it('judges each failure once, after the jar is read; recorded at once, pending, meanwhile', async () => {
    const kv = new FakeKV();
    const settings = defaultSettings();
    const events: { type: string; findings: number; pending: boolean }[] = [];
    const store = new TabStore(kv, () => ({ perTab: 100, total: 1000 }), (e) => {
      if (e.type === 'record' || e.type === 'record-updated') events.push({ type: e.type, findings: e.record.findings.length, pending: e.record.pending === true });
    });
    await store.ready;
    const badge = new BadgeController(new FakeBadge(), (id) => (store.has(id) ? store.meta(id) : undefined), () => false);
    const jar = new FakeJar();
    let release!: () => void;
    jar.stall = new Promise((r) => (release = r));
    jar.cookies = [jarCookie({ name: 'sid', domain: 'api.test', sameSite: 'strict' })];
    const h = new Capture({ store, jar, badge, settings: () => settings }).handlers();
    const d = details({ requestHeaders: [{ name: 'Authorization', value: 'Bearer undefined' }] });
    h.onSendHeaders(d);
    h.onHeadersReceived({ ...d, statusCode: 401, responseHeaders: [WWW] });
    await flushTimers();
    // Recorded (and written) before the jar answers: a stopped worker loses nothing.
    const early = store.records(1)[0]!;
    assert.equal(early.pending, true);
    assert.deepEqual(early.findings, []);
    assert.equal(store.meta(1).count, 1);
    await store.flush();
    assert.ok([...kv.data.keys()].some((k) => k.startsWith(RECORD)), 'the pending record is stored');
    release();
    await flushTimers();
    const r = store.records(1)[0]!;
    assert.equal(r.pending, undefined);
    assert.equal(r.partial, undefined);
    assert.equal(r.findings[0]!.cause, 'placeholder-token');
    assert.equal(r.entry._why401?.cookieJar?.[0]?.name, 'sid');
    assert.deepEqual(events, [
      { type: 'record', findings: 0, pending: true },
      { type: 'record-updated', findings: r.findings.length, pending: false },
    ], 'one verdict, written once');
    assert.equal(store.meta(1).latest?.cause, 'placeholder-token');
  });

  it('a worker stopped while reading the jar: the next start judges the pending record, without the jar, and says so', async () => {
    const kv = new FakeKV();
    const settings = defaultSettings();
    const limits = () => ({ perTab: 100, total: 1000 });
    const store = new TabStore(kv, limits);
    await store.ready;
    const jar = new FakeJar();
    jar.stall = new Promise(() => undefined); // never answers: the worker is stopped meanwhile
    const h = new Capture({ store, jar, badge: new BadgeController(new FakeBadge(), () => undefined, () => false), settings: () => settings }).handlers();
    const d = details({ requestHeaders: [{ name: 'Authorization', value: 'Bearer undefined' }] });
    h.onSendHeaders(d);
    h.onHeadersReceived({ ...d, statusCode: 401, responseHeaders: [WWW] });
    await flushTimers();
    await store.flush();
    // A new worker reads the same storage.
    const next = new TabStore(kv, limits);
    await next.ready;
    assert.equal(next.records(1)[0]?.pending, true);
    assert.equal(judgePending(next, diagnoseOptions(settings)), 1);
    const r = next.records(1)[0]!;
    assert.equal(r.pending, undefined);
    assert.equal(r.findings[0]!.cause, 'placeholder-token');
    assert.match(r.partial ?? '', /were not read: the background was stopped/);
    assert.equal(next.meta(1).latest?.cause, 'placeholder-token');
    assert.equal(judgePending(next, diagnoseOptions(settings)), 0, 'judged once');
  });

  it('a response whose request was never seen (restarted worker) is recorded, marked partial', async () => {
    const { store, h } = await setup();
    h.onHeadersReceived(details({ statusCode: 401, responseHeaders: [WWW] }));
    await flushTimers();
    assert.match(store.records(1)[0]!.partial ?? '', /before the background was listening/);
  });

  it('the cookies API failing does not lose the count or throw', async () => {
    const { store, jar, h } = await setup();
    jar.failing = true;
    const d = details();
    h.onSendHeaders({ ...d, requestHeaders: [] });
    h.onHeadersReceived({ ...d, statusCode: 401, responseHeaders: [WWW] });
    await flushTimers();
    // The platform adapter swallows API errors; here the fake throws to prove the capture survives.
    assert.equal(store.snapshot(1).count, store.records(1).length);
  });

  it('timeline: Set-Cookie on a success is remembered, so a later 401 can say the cookie expired', async () => {
    const { store, h } = await setup();
    const t0 = Date.parse('2025-06-01T12:00:00Z');
    const login = details({ url: 'https://app.test/login', method: 'POST', timeStamp: t0 });
    h.onSendHeaders({ ...login, requestHeaders: [] });
    h.onHeadersReceived({ ...login, statusCode: 200, responseHeaders: [{ name: 'Set-Cookie', value: 'sid=abc; Max-Age=1; Path=/; HttpOnly' }, { name: 'Date', value: new Date(t0).toUTCString() }] });
    const me = details({ url: 'https://app.test/api/me', timeStamp: t0 + 5000 });
    h.onSendHeaders({ ...me, requestHeaders: [] });
    h.onHeadersReceived({ ...me, statusCode: 401, responseHeaders: [] });
    await flushTimers();
    assert.equal(store.records(1)[0]!.findings[0]!.cause, 'session-cookie-expired');
  });

  it('settings: a paused or denied site is not captured; 403s only when asked', async () => {
    const settings = { ...defaultSettings(), pausedSites: ['api.test'] };
    const { store, h } = await setup(settings);
    const d = details();
    h.onSendHeaders({ ...d, requestHeaders: [] });
    h.onHeadersReceived({ ...d, statusCode: 401, responseHeaders: [WWW] });
    const f = details({ url: 'https://other.test/x' });
    h.onSendHeaders({ ...f, requestHeaders: [] });
    h.onHeadersReceived({ ...f, statusCode: 403, responseHeaders: [] });
    await flushTimers();
    assert.equal(store.snapshot(1).count, 0);
    settings.statuses = { 401: true, 407: true, 403: true };
    const g = details({ url: 'https://other.test/y' });
    h.onSendHeaders({ ...g, requestHeaders: [] });
    h.onHeadersReceived({ ...g, statusCode: 403, responseHeaders: [] });
    await flushTimers();
    assert.equal(store.records(1)[0]!.findings[0]!.cause, 'forbidden');
  });

  it('a top-level navigation starts a new list', async () => {
    const { store, h } = await setup();
    const a = details();
    h.onSendHeaders({ ...a, requestHeaders: [] });
    h.onHeadersReceived({ ...a, statusCode: 401, responseHeaders: [WWW] });
    await flushTimers();
    assert.equal(store.records(1).length, 1);
    const nav = details({ url: 'https://app.test/', type: 'main_frame' });
    h.onSendHeaders({ ...nav, requestHeaders: [] });
    h.onHeadersReceived({ ...nav, statusCode: 200, responseHeaders: [] });
    assert.equal(store.records(1).length, 0);
    assert.equal(store.meta(1).topUrl, 'https://app.test/');
  });

  it('requests outside tabs (service workers, the browser) are ignored', async () => {
    const { store, h } = await setup();
    const d = details({ tabId: -1 });
    h.onSendHeaders({ ...d, requestHeaders: [] });
    h.onHeadersReceived({ ...d, statusCode: 401, responseHeaders: [WWW] });
    await flushTimers();
    assert.equal(store.tabIds().length, 0);
  });
});

describe('Capture keeps nothing it does not need (issue 21: raw Cookie values, Clear all, tab close)', () => {
  const CANARY = 'CANARY-cookie-value-0123456789';
  it('remembers a success\'s Cookie header by fingerprint only, and forgets a closed tab and everything on Clear all', async () => {
    const { capture, h } = await setup();
    for (const tabId of [1, 2]) {
      const d = details({ tabId, url: `https://api${tabId}.test/me`, requestHeaders: [{ name: 'Cookie', value: `sid=${CANARY}` }] });
      h.onSendHeaders(d);
      h.onHeadersReceived({ ...d, statusCode: 200, responseHeaders: [] });
    }
    h.onSendHeaders(details({ tabId: 2, requestHeaders: [] })); // in flight
    const kept = capture['lastCookies'] as Map<string, unknown>;
    assert.equal(kept.size, 2);
    assert.doesNotMatch(JSON.stringify([...kept]), new RegExp(CANARY));
    capture.forgetTab(1);
    assert.deepEqual([...kept.keys()].map((k) => k.split('|')[0]), ['2']);
    assert.equal(capture.pendingCount, 1);
    capture.forgetAll();
    assert.equal(kept.size, 0);
    assert.equal(capture.pendingCount, 0);
  });
});
