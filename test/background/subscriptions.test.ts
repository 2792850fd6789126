/** The panel's port, against a fake: snapshot first (newest only), older batches on request, pushes, bad messages refused. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CAUSES } from '../../src/core/verdict/causes.ts';
import type { Finding } from '../../src/core/verdict/finding.ts';
import { TabStore } from '../../src/background/store.ts';
import { Subscriptions, type PortLike } from '../../src/background/subscriptions.ts';
import { routeMessage } from '../../src/background/router.ts';
import { MAX_KEPT_BODY, rejudgeAll, withRecorded } from '../../src/background/rejudge.ts';
import { judge } from '../../src/core/verdict/diagnose.ts';
import { FIRST_SNAPSHOT, OLDER_BATCH, parsePush, parseReply, type Push } from '../../src/shared/protocol.ts';
import { entry, jwt, sec } from '../helpers/har.ts';
import { FakeKV } from '../helpers/fakes.ts';

const finding: Finding = { cause: 'missing-credentials', confidence: 'high', title: 't', explanation: 'e', plain: 'p', evidence: [], fixes: CAUSES['missing-credentials'].fixes, actions: CAUSES['missing-credentials'].actions };

class FakePort implements PortLike {
  sent: Push[] = [];
  private onMsg: ((m: unknown) => void) | undefined;
  private onGone: (() => void) | undefined;
  gone = false;
  postMessage(m: unknown): void {
    if (this.gone) throw new Error('disconnected');
    // What crosses a real port is a structured clone; the receiving page checks it.
    const push = parsePush(structuredClone(m));
    assert.ok(push, `a push the pages accept: ${JSON.stringify(m).slice(0, 200)}`);
    this.sent.push(push);
  }
  onMessage = { addListener: (cb: (m: unknown) => void) => void (this.onMsg = cb) };
  onDisconnect = { addListener: (cb: () => void) => void (this.onGone = cb) };
  send(m: unknown) {
    this.onMsg?.(m);
  }
  disconnect() {
    this.gone = true;
    this.onGone?.();
  }
}

async function storeWith(n: number, tabId = 1) {
  let subs: Subscriptions | undefined;
  const store = new TabStore(new FakeKV(), () => ({ perTab: 5000, total: 5000 }), (e) => subs?.broadcast(e));
  await store.ready;
  for (let i = 0; i < n; i++) {
    const { seq, page } = store.reserve(tabId);
    store.complete(tabId, seq, page, entry({ at: new Date(Date.parse('2025-06-01T12:00:00Z') + i * 1000).toISOString() }), [finding]);
  }
  let rejected = 0;
  subs = new Subscriptions(store, () => void rejected++);
  return { store, subs, rejected: () => rejected };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('Subscriptions', () => {
  it('sends the newest records first, then the older ones in batches when asked, each once', async () => {
    const { subs } = await storeWith(FIRST_SNAPSHOT + OLDER_BATCH + 30);
    const port = new FakePort();
    subs.attach(port);
    port.send({ type: 'subscribe', tabId: 1 });
    await tick();
    const first = port.sent[0]!;
    assert.equal(first.type, 'snapshot');
    if (first.type !== 'snapshot') return;
    assert.equal(first.snapshot.records.length, FIRST_SNAPSHOT);
    assert.equal(first.snapshot.older, OLDER_BATCH + 30);
    const seen = new Set(first.snapshot.records.map((r) => r.seq));
    let before = first.snapshot.records[0]!.seq;
    for (;;) {
      port.send({ type: 'more', tabId: 1, before });
      const p = port.sent[port.sent.length - 1]!;
      assert.equal(p.type, 'older');
      if (p.type !== 'older') return;
      for (const r of p.records) {
        assert.ok(!seen.has(r.seq));
        seen.add(r.seq);
      }
      if (p.older === 0) break;
      before = p.records[0]!.seq;
    }
    assert.equal(seen.size, FIRST_SNAPSHOT + OLDER_BATCH + 30);
  });

  it('pushes changes of the followed tab only; a disconnected port is forgotten', async () => {
    const { store, subs } = await storeWith(1);
    const a = new FakePort();
    const b = new FakePort();
    subs.attach(a);
    subs.attach(b);
    a.send({ type: 'subscribe', tabId: 1 });
    b.send({ type: 'subscribe', tabId: 2 });
    await tick();
    const { seq, page } = store.reserve(1);
    store.complete(1, seq, page, entry(), [finding]);
    assert.deepEqual(a.sent.map((p) => p.type), ['snapshot', 'record']);
    assert.deepEqual(b.sent.map((p) => p.type), ['snapshot']);
    a.disconnect();
    assert.equal(subs.size, 1);
    store.clearTab(1);
    assert.equal(a.sent.length, 2);
  });

  it('refuses and counts malformed messages', async () => {
    const { subs, rejected } = await storeWith(1);
    const port = new FakePort();
    subs.attach(port);
    for (const bad of [null, 'subscribe', { type: 'subscribe' }, { type: 'more', tabId: 1 }, { type: 'subscribe', tabId: '1' }]) port.send(bad);
    await tick();
    assert.equal(port.sent.length, 0);
    assert.equal(rejected(), 5);
  });
});

describe('routeMessage', () => {
  const deps = (own: boolean) => {
    let refused = 0;
    return {
      refused: () => refused,
      d: { fromOwnPage: () => own, onRejected: () => void refused++, handle: async (r: { type: string }) => (r.type === 'get-settings' ? { fine: true } : Promise.reject(new Error('boom'))) },
    };
  };
  it('strangers get no answer; malformed messages an error; handler errors cross as data', async () => {
    const s = deps(false);
    assert.equal(routeMessage({ type: 'get-settings' }, { id: 'x' }, s.d), undefined);
    assert.equal(s.refused(), 1);
    const o = deps(true);
    assert.deepEqual(await routeMessage({ type: 'nope' }, {}, o.d), { ok: false, error: 'malformed message' });
    assert.deepEqual(await routeMessage({ type: 'get-settings' }, {}, o.d), { ok: true, value: { fine: true } });
    assert.deepEqual(await routeMessage({ type: 'clear-all' }, {}, o.d), { ok: false, error: 'boom' });
    assert.equal(o.refused(), 1);
  });
  it('the pages accept only replies and pushes of the protocol', () => {
    assert.deepEqual(parseReply({ ok: true, value: 1 }), { ok: true, value: 1 });
    assert.deepEqual(parseReply({ ok: false, error: 'x' }), { ok: false, error: 'x' });
    for (const bad of [null, {}, { ok: 'yes' }, { ok: false }, { ok: true }]) assert.equal(parseReply(bad), undefined);
    for (const bad of [null, { type: 'record', tabId: 1 }, { type: 'snapshot', snapshot: { tabId: 1, count: 1, dropped: 0, records: [{ id: 1 }] } }, { type: 'cleared' }, { type: 'x', tabId: 1 }]) {
      assert.equal(parsePush(bad), undefined, JSON.stringify(bad));
    }
  });
});

describe('rejudgeAll', () => {
  it('judges every stored failure again with its own context and the new setting, and says so', async () => {
    const store = new TabStore(new FakeKV(), () => ({ perTab: 100, total: 100 }));
    await store.ready;
    // A token that expired 20 s before the request: expired at 0 s tolerance, not at 60 s.
    const e = entry({ at: '2025-06-01T12:00:00Z', req: { Authorization: `Bearer ${jwt({ exp: sec('2025-06-01T11:59:40Z') })}` }, res: { 'WWW-Authenticate': 'Bearer realm="api", error="invalid_token"' } });
    const j = judge(e);
    const { seq, page } = store.reserve(1);
    store.complete(1, seq, page, j.entry, j.findings);
    assert.equal(store.records(1)[0]!.findings[0]!.cause, 'token-expired');
    assert.equal(rejudgeAll(store, { clockSkewSeconds: 60 }, 'because the clock-skew tolerance changed to 60 s', 1), 1);
    const r = store.records(1)[0]!;
    assert.notEqual(r.findings[0]!.cause, 'token-expired');
    assert.deepEqual(r.rediagnosed, { at: 1, reason: 'because the clock-skew tolerance changed to 60 s' });
    assert.equal(r.entry._why401?.options?.clockSkewSeconds, 60);
  });
});

describe('withRecorded', () => {
  it('keeps a bounded body with the record and judges it again with it, saying why', async () => {
    const store = new TabStore(new FakeKV(), () => ({ perTab: 100, total: 100 }));
    await store.ready;
    const e = entry({ req: { Authorization: 'Bearer opaque-token-value-0123456789' }, res: { 'WWW-Authenticate': 'Bearer realm="api"' } });
    const j = judge(e);
    const { seq, page } = store.reserve(1);
    store.complete(1, seq, page, j.entry, j.findings);
    const before = store.records(1)[0]!;
    assert.notEqual(before.findings[0]!.cause, 'token-expired');
    const body = JSON.stringify({ detail: 'Signature has expired', pad: 'x'.repeat(10_000) });
    const after = withRecorded(before, { body: { text: body, mimeType: 'application/json' } }, {}, 7);
    assert.equal(after.findings[0]!.cause, 'token-expired');
    assert.deepEqual(after.rediagnosed, { at: 7, reason: 'with the response body DevTools recorded' });
    assert.equal(after.entry.response.content.text?.length, MAX_KEPT_BODY);
    assert.equal(after.entry.response.content.size, body.length);
    assert.equal(after.id, before.id);
    assert.equal(withRecorded(after, { body: { text: '{"detail":"Invalid token."}', mimeType: 'application/json' } }, {}, 8), after, 'a body it has is never replaced');
  });
  it('keeps who sent it (Chrome\'s initiator), bounded, without judging again', async () => {
    const store = new TabStore(new FakeKV(), () => ({ perTab: 100, total: 100 }));
    await store.ready;
    const j = judge(entry({ res: { 'WWW-Authenticate': 'Bearer realm="api"' } }));
    const { seq, page } = store.reserve(1);
    const before = store.complete(1, seq, page, j.entry, j.findings)!;
    const deep = { callFrames: [{ functionName: 'load', url: 'https://app.test/app.js?token=s3cr3t', lineNumber: 41, columnNumber: 7 }], parent: { description: 'await', callFrames: Array.from({ length: 50 }, (_, i) => ({ functionName: `f${i}`, url: 'https://app.test/lib.js', lineNumber: i, columnNumber: 0 })) } };
    const after = withRecorded(before, { initiator: { type: 'script', stack: deep } }, {}, 9);
    assert.equal(after.rediagnosed, undefined);
    const { readInitiator, MAX_FRAMES } = await import('../../src/core/exchange/initiator.ts');
    const who = readInitiator(after.entry._initiator)!;
    assert.equal(who.frames.length, MAX_FRAMES);
    assert.deepEqual(who.frames[0], { fn: 'load', url: 'https://app.test/app.js?token=s3cr3t', line: 41, column: 7 });
    assert.equal(who.frames[1]!.asyncFrom, 'await');
    assert.equal(withRecorded(before, { initiator: 'garbage' }, {}, 9), before, 'not an initiator: nothing kept');
    const { exportHar } = await import('../../src/core/exchange/export.ts');
    const exported = JSON.stringify(exportHar([after], { includeSecrets: false, version: 't' }));
    assert.ok(!exported.includes('s3cr3t') && exported.includes('app.js'), 'exports mask the script URL\'s secrets');
  });
});
