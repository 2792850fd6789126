import assert from 'node:assert/strict';
import type { Finding } from '../../src/core/verdict/finding.ts';
import { CAUSES } from '../../src/core/verdict/causes.ts';
import { describe, it } from 'node:test';
import { TabStore } from '../../src/background/store.ts';
import { entry } from '../helpers/har.ts';
import { FakeKV, flushTimers } from '../helpers/fakes.ts';

const finding: Finding = { cause: 'missing-credentials', confidence: 'high', title: 't', explanation: 'e', plain: 'p', evidence: [], fixes: CAUSES['missing-credentials'].fixes, actions: CAUSES['missing-credentials'].actions };

let clock = Date.parse('2025-06-01T12:00:00Z');

function add(store: TabStore, tabId: number, n = 1) {
  for (let i = 0; i < n; i++) {
    const { seq, page } = store.reserve(tabId);
    clock += 1000;
    store.complete(tabId, seq, page, entry({ at: new Date(clock).toISOString() }), [finding]);
  }
}

describe('TabStore', () => {
  it('keeps records per tab and survives a restart (a new store on the same storage)', async () => {
    const kv = new FakeKV();
    const a = new TabStore(kv, () => ({ perTab: 100, total: 1000 }));
    await a.ready;
    add(a, 1, 3);
    add(a, 2, 2);
    await a.flush();
    const b = new TabStore(kv, () => ({ perTab: 100, total: 1000 }));
    await b.ready;
    assert.equal(b.records(1).length, 3);
    assert.equal(b.snapshot(2).count, 2);
    assert.deepEqual(b.records(1).map((r) => r.seq), [1, 2, 3]);
  });

  it('a worker stopped between a write and its removals loses nothing: records the cap dropped (or a clear removed) are removed at the next start, none counted lost', async () => {
    /** Storage whose remove() never happens: the worker was stopped right after the set(). */
    class StoppedBeforeRemove extends FakeKV {
      stopped = false;
      override async remove(keys: string[]): Promise<void> {
        if (this.stopped) return new Promise(() => undefined);
        return super.remove(keys);
      }
    }
    const kv = new StoppedBeforeRemove();
    const a = new TabStore(kv, () => ({ perTab: 10, total: 1000 }));
    await a.ready;
    add(a, 1, 10);
    await a.flush();
    add(a, 1, 6); // the cap drops the 6 oldest
    kv.stopped = true;
    void a.flush();
    await new Promise((r) => setTimeout(r, 10));
    const b = new TabStore(kv, () => ({ perTab: 10, total: 1000 }));
    await b.ready;
    const snap = b.snapshot(1);
    assert.deepEqual({ count: snap.count, records: snap.records.length, dropped: snap.dropped, lost: snap.lost }, { count: 16, records: 10, dropped: 6, lost: 0 });
    assert.deepEqual(snap.records.map((r) => r.seq), [7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    kv.stopped = false;
    await b.flush();
    assert.equal([...kv.data.keys()].filter((k) => k.startsWith('r:1:')).length, 10, 'the dropped records left storage too');
    // A clear cut the same way: the list stays cleared.
    b.clearTab(1);
    kv.stopped = true;
    void b.flush();
    await new Promise((r) => setTimeout(r, 10));
    const c = new TabStore(kv, () => ({ perTab: 10, total: 1000 }));
    await c.ready;
    assert.deepEqual({ count: c.snapshot(1).count, records: c.snapshot(1).records.length, lost: c.snapshot(1).lost }, { count: 0, records: 0, lost: 0 });
  });

  it('batches writes instead of one per request', async () => {
    const kv = new FakeKV();
    const s = new TabStore(kv, () => ({ perTab: 100, total: 1000 }));
    await s.ready;
    add(s, 1, 50);
    for (let i = 0; i < 200; i++) s.observe(1, entry({ status: 200, req: { Cookie: `sid=${i}` } }));
    await flushTimers();
    await s.flush();
    assert.ok(kv.writes <= 3, `${kv.writes} writes`);
    assert.equal(kv.data.size, 52, '50 records, the meta, the timeline');
    assert.equal((kv.data.get('t:1') as Record<string, unknown>)['timeline'], undefined, 'the timeline is written apart from the meta');
    assert.equal(typeof kv.data.get('r:1:1'), 'string', 'records are written as JSON text (a third of the quota an object takes)');
    const stored = JSON.parse(kv.data.get('r:1:1') as string) as { findings: Record<string, unknown>[] };
    assert.equal(stored.findings[0]!['fixes'], undefined, 'standing fixes are not stored');
    const again = new TabStore(kv, () => ({ perTab: 100, total: 1000 }));
    await again.ready;
    assert.deepEqual(again.records(1)[0]!.findings[0]!.fixes, s.records(1)[0]!.findings[0]!.fixes, 'and come back when read');
    assert.equal(again.meta(1).timeline.sentCookies.length, s.meta(1).timeline.sentCookies.length);
  });

  it('reads records written as objects by an earlier version, and skips text that is not JSON', async () => {
    const kv = new FakeKV();
    const s = new TabStore(kv, () => ({ perTab: 100, total: 1000 }));
    await s.ready;
    add(s, 1, 2);
    await s.flush();
    kv.data.set('r:1:1', JSON.parse(kv.data.get('r:1:1') as string));
    kv.data.set('r:1:2', '{"tabId":1, not json');
    const again = new TabStore(kv, () => ({ perTab: 100, total: 1000 }));
    await again.ready;
    assert.deepEqual(again.records(1).map((r) => r.seq), [1]);
    assert.deepEqual(again.records(1)[0]!.findings, s.records(1)[0]!.findings);
  });

  it('caps per tab and overall, oldest first, and counts what it dropped', async () => {
    const kv = new FakeKV();
    const s = new TabStore(kv, () => ({ perTab: 10, total: 15 }));
    await s.ready;
    add(s, 1, 25);
    assert.equal(s.records(1).length, 10);
    assert.equal(s.snapshot(1).dropped, 15);
    assert.equal(s.snapshot(1).count, 25, 'the badge still counts every failure');
    assert.deepEqual(s.records(1).map((r) => r.seq), [16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
    add(s, 2, 8);
    assert.equal(s.size, 15);
    assert.equal(s.records(1).length + s.records(2).length, 15);
    assert.equal(s.snapshot(1).dropped, 18, 'the overall cap took the oldest, from tab 1');
    await s.flush();
    assert.equal([...kv.data.keys()].filter((k) => k.startsWith('r:')).length, 15, 'storage holds exactly what memory holds');
  });

  it('a failure counted but never recorded (worker stopped meanwhile) is reported as lost, not silently', async () => {
    const kv = new FakeKV();
    const a = new TabStore(kv, () => ({ perTab: 100, total: 1000 }));
    await a.ready;
    add(a, 1, 2);
    a.reserve(1); // the worker stops before complete()
    await a.flush();
    const b = new TabStore(kv, () => ({ perTab: 100, total: 1000 }));
    await b.ready;
    const snap = b.snapshot(1);
    assert.equal(snap.count, 3);
    assert.equal(snap.records.length, 2);
    assert.equal(snap.lost, 1);
  });

  it('a new page starts a new list unless the log is preserved; the timeline stays', async () => {
    const s = new TabStore(new FakeKV(), () => ({ perTab: 100, total: 1000 }));
    await s.ready;
    add(s, 1, 2);
    s.observe(1, entry({ status: 200, url: 'https://app.test/login', res: { 'Set-Cookie': 'sid=a; Max-Age=60' } }));
    s.newPage(1, 'https://app.test/next', true);
    assert.equal(s.records(1).length, 2);
    s.newPage(1, 'https://app.test/other', false);
    assert.equal(s.records(1).length, 0);
    assert.equal(s.snapshot(1).count, 0);
    assert.equal(s.meta(1).timeline.cookieEvents.length, 1);
    assert.equal(s.meta(1).topUrl, 'https://app.test/other');
  });

  it('a reservation from before a clear does not land in the new list', async () => {
    const s = new TabStore(new FakeKV(), () => ({ perTab: 100, total: 1000 }));
    await s.ready;
    const { seq, page } = s.reserve(1);
    s.clearTab(1);
    assert.equal(s.complete(1, seq, page, entry(), [finding]), undefined);
    assert.equal(s.snapshot(1).count, 0);
  });

  it('a closed tab leaves nothing behind in storage', async () => {
    const kv = new FakeKV();
    const s = new TabStore(kv, () => ({ perTab: 100, total: 1000 }));
    await s.ready;
    add(s, 7, 4);
    await s.flush();
    s.removeTab(7);
    await s.flush();
    assert.deepEqual([...kv.data.keys()], []);
  });

  it('storage quota: the oldest tenth goes (counted) and the write is retried, never a loop', async () => {
    const kv = new FakeKV();
    const s = new TabStore(kv, () => ({ perTab: 1000, total: 1000 }));
    await s.ready;
    add(s, 1, 40);
    await s.flush();
    kv.quotaBytes = kv.bytes() + 2000;
    add(s, 1, 20);
    await s.flush();
    assert.ok(kv.bytes() <= kv.quotaBytes);
    assert.ok(s.snapshot(1).dropped > 0);
    assert.equal(s.snapshot(1).count, 60);
    kv.quotaBytes = 10; // nothing fits: bounded retries, no exception
    add(s, 1, 5);
    await s.flush();
    assert.ok(s.writeErrors.length > 0);
  });

  it('a write that fails once is retried', async () => {
    const kv = new FakeKV();
    const s = new TabStore(kv, () => ({ perTab: 100, total: 1000 }));
    await s.ready;
    kv.failNext = 1;
    add(s, 1, 2);
    await s.flush();
    assert.equal([...kv.data.keys()].filter((k) => k.startsWith('r:')).length, 2);
  });
});
