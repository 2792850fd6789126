/**
 * The panel's store by concern: the records reducer (one cap rule, one selection rule, re-runs
 * capped as the background caps them, the navigation note) and the store's derived view (filter,
 * cause choices, a status that belongs to its failure). Pure logic, no DOM.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judge } from '../../src/core/verdict/diagnose.ts';
import type { PanelBackend } from '../../src/panel/backend.ts';
import { PanelStore } from '../../src/panel/store/panel-store.ts';
import { recordsReducer, type RecordsState } from '../../src/panel/store/records.ts';
import { MAX_RERUNS, type RerunResult, type StoredRecord } from '../../src/shared/records.ts';
import { entry } from '../helpers/har.ts';
import { flowViewsOf } from '../../src/core/flows/view.ts';
import { laneOf } from '../../src/core/flows/lane.ts';
import type { HarEntry } from '../../src/core/exchange/har-types.ts';

function rec(seq: number, res: Record<string, string> = { 'WWW-Authenticate': 'Bearer realm="api"' }): StoredRecord {
  const j = judge(entry({ url: `https://api.test/v1/item/${seq}`, res }));
  // Seconds apart: failures a moment apart would be one group of repeats (core/verdict/burst.ts).
  return { id: `1:${seq}`, tabId: 1, seq, at: seq * 5_000, page: 0, entry: j.entry, findings: j.findings };
}

const empty: RecordsState = { live: [], count: 0, dropped: 0, lost: 0, connected: true, imported: undefined, selectedId: undefined, clearedByNavigation: 0 };

describe('the records reducer', () => {
  it('keeps what the background keeps: count − dropped, for one record or a burst alike', () => {
    let s = recordsReducer(empty, { type: 'pushes', pushes: [1, 2, 3, 4].map((i) => ({ type: 'record' as const, tabId: 1, record: rec(i), count: i, dropped: Math.max(0, i - 2) })) });
    assert.deepEqual(s.live.map((r) => r.seq), [3, 4]);
    s = recordsReducer(s, { type: 'push', push: { type: 'record', tabId: 1, record: rec(5), count: 5, dropped: 3 } });
    assert.deepEqual(s.live.map((r) => r.seq), [4, 5]);
    s = recordsReducer(s, { type: 'push', push: { type: 'meta', tabId: 1, count: 5, dropped: 4 } });
    assert.deepEqual(s.live.map((r) => r.seq), [5]);
  });

  it('keeps the selection only while its record exists, whoever cleared the list', () => {
    const s0 = { ...empty, live: [rec(1), rec(2)], count: 2, selectedId: '1:2' };
    assert.equal(recordsReducer(s0, { type: 'cleared' }).selectedId, undefined);
    assert.equal(recordsReducer(s0, { type: 'push', push: { type: 'cleared', tabId: 1 } }).selectedId, undefined);
    assert.equal(recordsReducer(s0, { type: 'push', push: { type: 'snapshot', snapshot: { tabId: 1, count: 1, dropped: 0, lost: 0, partial: 0, records: [rec(2)] } } }).selectedId, '1:2');
    assert.equal(recordsReducer(s0, { type: 'push', push: { type: 'snapshot', snapshot: { tabId: 1, count: 1, dropped: 0, lost: 0, partial: 0, records: [rec(3)] } } }).selectedId, undefined);
  });

  it('says how many failures a new page cleared, and forgets it when the user clears', () => {
    const s0 = { ...empty, live: [rec(1), rec(2)], count: 2 };
    const nav = recordsReducer(s0, { type: 'push', push: { type: 'cleared', tabId: 1, reason: 'navigation', removed: 2 } });
    assert.equal(nav.clearedByNavigation, 2);
    assert.equal(recordsReducer(s0, { type: 'push', push: { type: 'cleared', tabId: 1, reason: 'user', removed: 2 } }).clearedByNavigation, 0);
    assert.equal(recordsReducer(nav, { type: 'dismiss-navigation' }).clearedByNavigation, 0);
  });

  it('keeps the latest re-runs beside a failure, as many as the background keeps', () => {
    let s = { ...empty, live: [rec(1)], count: 1 };
    for (let i = 0; i < MAX_RERUNS + 3; i++) {
      const r: RerunResult = { at: i, mode: 'as-sent', context: 'page', status: 401, statusText: '', findings: [] };
      s = recordsReducer(s, { type: 'rerun', id: '1:1', result: r });
    }
    assert.equal(s.live[0]!.reruns!.length, MAX_RERUNS);
    assert.equal(s.live[0]!.reruns!.at(-1)!.at, MAX_RERUNS + 2);
  });
});

describe('the panel store', () => {
  const backend = { tabId: undefined, request: async () => ({}) } as unknown as PanelBackend;

  it('derives rows, cause choices and the status line once per state', () => {
    const store = new PanelStore(backend);
    store.dispatch({ type: 'pushes', pushes: [rec(1), rec(2, {})].map((record, i) => ({ type: 'record' as const, tabId: 1, record, count: i + 1, dropped: 0 })) });
    const v = store.view();
    assert.equal(store.view(), v, 'the same state gives the same view');
    assert.equal(v.rows.length, 2);
    assert.deepEqual(v.causes.map((c) => c.id).sort(), [...new Set([rec(1).findings[0]!.cause, rec(2, {}).findings[0]!.cause])].sort());
    store.setFilterText('item/2');
    assert.deepEqual(store.view().rows.map((r) => r.seq), [2]);
    store.setFilterCause(rec(1).findings[0]!.cause);
    assert.equal(store.view().hidden, 2 - store.view().rows.length);
    store.clearFilter();
    store.notify('done', 'ok', '1:1');
    assert.equal(store.view().status, undefined, 'an action on a failure speaks only while it is selected');
    store.select('1:1');
    assert.equal(store.view().status?.text, 'done');
  });
});

describe('repeats in the panel’s list', () => {
  const backend = { tabId: undefined, request: async () => ({}) } as unknown as PanelBackend;
  /** A storm: `n` failures a few ms apart with one token, then one more after a pause. */
  function storm(n: number): StoredRecord[] {
    const out: StoredRecord[] = [];
    for (let i = 1; i <= n + 1; i++) {
      const j = judge(entry({ url: `https://api.test/v1/item/${i % 5}`, req: { Authorization: 'Bearer undefined' }, res: { 'WWW-Authenticate': 'Bearer realm="api"' } }));
      out.push({ id: `1:${i}`, tabId: 1, seq: i, at: i <= n ? i * 3 : 60_000, page: 0, entry: j.entry, findings: j.findings });
    }
    return out;
  }

  it('a storm is one row with its count (the first), the rest folded; "Show each" lists them all; the filter applies before grouping', () => {
    const store = new PanelStore(backend);
    store.dispatch({ type: 'pushes', pushes: storm(200).map((record, i) => ({ type: 'record' as const, tabId: 1, record, count: i + 1, dropped: 0 })) });
    let v = store.view();
    assert.deepEqual(v.rows.map((r) => r.id), ['1:1', '1:201'], 'the storm’s first, and the failure after the pause');
    assert.equal(v.groups.get('1:1')?.members.length, 200);
    assert.equal(v.repeats, 199);
    store.setGroupRepeats(false);
    v = store.view();
    assert.equal(v.rows.length, 201);
    assert.equal(v.repeats, 199, 'still known, for the toggle');
    store.setGroupRepeats(true);
    store.setFilterText('item/3');
    v = store.view();
    assert.deepEqual(v.rows.map((r) => r.id), ['1:3'], 'item/3 only (the later failure is item/1)');
    assert.equal(v.total, 2, '"1 of 2 failures": the storm and the later one, in rows, not 201 requests');
    assert.equal(v.groups.get('1:3')?.members.length, 40, 'the filter’s 40 of the storm, one group');
  });
});

describe('Show in the Network panel', () => {
  it('filters by endpoint, method and status: no query or fragment (where tokens travel) reaches the filter box', async () => {
    const { networkFilter } = await import('../../src/panel/store/failure-actions.ts');
    const f = networkFilter('https://api.test:4401/s/bearer/me?access_token=SECRET-abc123#id_token=SECRET2', 'get', 401);
    assert.equal(f, 'https://api.test:4401/s/bearer/me method:GET status-code:401');
    assert.doesNotMatch(f, /SECRET/);
  });
});

describe('the sign-in view’s state', () => {
  const IDP = 'https://idp.test';
  const form = (f: Record<string, string>) => f;
  /** A sign-in's token answer and two refreshes racing with its refresh token, as DevTools' log holds them (bodies read in). */
  const log = () => [
    entry({ method: 'POST', url: `${IDP}/token`, status: 200, at: '2026-12-06T10:00:00.000Z', form: form({ grant_type: 'authorization_code', code: 'c0de-c0de-c0de', client_id: 'spa' }), body: JSON.stringify({ access_token: 'at-one-0123456789abcdef', refresh_token: 'rt-one-0123456789abcdef', expires_in: 300 }) }),
    { ...entry({ method: 'POST', url: `${IDP}/token`, status: 200, at: '2026-12-06T10:04:00.000Z', form: form({ grant_type: 'refresh_token', refresh_token: 'rt-one-0123456789abcdef' }), body: JSON.stringify({ access_token: 'at-two-0123456789abcdef', refresh_token: 'rt-two-0123456789abcdef' }) }), time: 80 },
    entry({ method: 'POST', url: `${IDP}/token`, status: 400, at: '2026-12-06T10:04:00.020Z', form: form({ grant_type: 'refresh_token', refresh_token: 'rt-one-0123456789abcdef' }), body: JSON.stringify({ error: 'invalid_grant' }) }),
    entry({ url: 'https://app.test/', status: 200 }),
  ];

  it('reads DevTools’ log through the backend, asking only for the bodies a flow reads; the flows are core’s', async () => {
    const asked: string[] = [];
    const backend = {
      tabId: undefined,
      request: async () => ({}),
      recordedLog: async (wants: (m: string, u: string, p: string | undefined) => boolean) => {
        asked.length = 0;
        for (const e of log()) if (wants(e.request.method, e.request.url, e.request.postData?.text)) asked.push(e.request.url);
        return JSON.parse(JSON.stringify(log())) as unknown[];
      },
    } as unknown as PanelBackend;
    const store = new PanelStore(backend);
    store.toggleSignIn();
    assert.equal(store.state.signIn.open, true);
    await store.readFlows();
    const v = store.state.signIn;
    assert.equal(v.status, 'read');
    assert.deepEqual(v.source, { kind: 'devtools' });
    assert.equal(v.entries, 4);
    assert.deepEqual(asked, [`${IDP}/token`, `${IDP}/token`, `${IDP}/token`], 'token answers only, not the page');
    assert.deepEqual(v.flows.map((f) => f.findings.map((x) => x.cause)), [['refresh-token-reused']]);
    assert.deepEqual(v.flows[0]!.runs.map((r) => [r.label, r.count, r.broken]), [['token', 1, false], ['refresh', 2, true]]);
    assert.ok(!JSON.stringify(v).includes('rt-one-0123456789abcdef'), 'no token in the view state');
  });

  it('Export → HAR (all) with DevTools open carries the flows’ steps, masked: the file’s flows read again, to the same verdict; every member of a group is exported', async () => {
    const downloads: { name: string; text: string }[] = [];
    const backend = {
      tabId: 3,
      request: async () => ({}),
      recordedLog: async () => JSON.parse(JSON.stringify(log())) as unknown[],
      download: (name: string, text: string) => void downloads.push({ name, text }),
    } as unknown as PanelBackend;
    const store = new PanelStore(backend);
    // Two failures a moment apart with one token: one row, two exchanges.
    const failures = [0, 1].map((i) => {
      const j = judge(entry({ url: 'https://api.test/v1/me', at: `2026-12-06T10:05:00.00${i}Z`, req: { Authorization: 'Bearer at-two-0123456789abcdef' }, res: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } }));
      return { id: `3:${i + 1}`, tabId: 3, seq: i + 1, at: Date.parse(j.entry.startedDateTime), page: 0, entry: j.entry, findings: j.findings } satisfies StoredRecord;
    });
    store.dispatch({ type: 'pushes', pushes: failures.map((record, i) => ({ type: 'record' as const, tabId: 3, record, count: i + 1, dropped: 0 })) });
    assert.equal(store.view().rows.length, 1, 'grouped');
    await store.exportAs('har', 'all', false);
    assert.equal(downloads.length, 1);
    const text = downloads[0]!.text;
    for (const secret of ['rt-one-0123456789abcdef', 'at-one-0123456789abcdef', 'at-two-0123456789abcdef', 'c0de-c0de-c0de']) assert.ok(!text.includes(secret), 'masked');
    const har = JSON.parse(text) as { log: { entries: HarEntry[]; comment: string } };
    assert.equal(har.log.entries.length, 5, 'both failures and the three token requests (not the page)');
    assert.match(har.log.comment, /3 entries are steps of the sign-in flows/);
    assert.deepEqual(flowViewsOf(har.log.entries).map((f) => f.findings.map((x) => x.cause)), [['refresh-token-reused']], 'the masked file reads to the same flows');
    assert.match(store.state.status?.text ?? '', /Exported 2 failures and 3 sign-in steps, secrets masked/);
  });

  it('the sign-in view’s Export HAR: says at once that it reads the log, makes one file however often it is clicked meanwhile, then says what it saved', async () => {
    const downloads: string[] = [];
    let release: (() => void) | undefined;
    const asked = async () => {
      while (!release) await new Promise((r) => setTimeout(r, 5));
      const go = release;
      release = undefined;
      go();
    };
    const backend = {
      tabId: 3,
      request: async () => ({}),
      // DevTools answers slowly (a loaded machine, a long log): each read waits until the test lets it answer.
      recordedLog: () => new Promise<unknown[]>((r) => (release = () => r(JSON.parse(JSON.stringify(log())) as unknown[]))),
      download: (_name: string, text: string) => void downloads.push(text),
    } as unknown as PanelBackend;
    const store = new PanelStore(backend);
    const first = store.exportFlows();
    while (!release) await new Promise((r) => setTimeout(r, 5));
    assert.match(store.state.status?.text ?? '', /^Reading DevTools’ network log to export the sign-in steps…$/);
    await store.exportFlows(); // a second click while the first reads: nothing more
    await asked();
    await first;
    assert.equal(downloads.length, 1);
    assert.match(store.state.status?.text ?? '', /^Exported 3 sign-in steps, secrets masked\.$/);
    for (const secret of ['rt-one-0123456789abcdef', 'at-one-0123456789abcdef']) assert.ok(!downloads[0]!.includes(secret), 'masked');
    // Done: a later click exports again.
    const again = store.exportFlows();
    await asked();
    await again;
    assert.equal(downloads.length, 2);
  });

  it('no DevTools log (the panel opened as a page): unavailable; an imported file’s flows come from the file', async () => {
    const store = new PanelStore({ tabId: undefined, request: async () => ({}) } as unknown as PanelBackend);
    store.toggleSignIn();
    await store.readFlows();
    assert.equal(store.state.signIn.status, 'unavailable');
    const { importHar } = await import('../../src/panel/import.ts');
    const text = JSON.stringify({ log: { version: '1.2', creator: { name: 't', version: '1' }, entries: log() } });
    const imported = await importHar({ name: 'session.har', arrayBuffer: async () => new TextEncoder().encode(text).buffer as ArrayBuffer }, { include403: false });
    store.dispatch({ type: 'import', imported });
    await store.readFlows();
    assert.deepEqual(store.state.signIn.source, { kind: 'file', name: 'session.har' });
    assert.deepEqual(store.state.signIn.flows.map((f) => f.findings.map((x) => x.cause)), [['refresh-token-reused']]);
  });
});

describe('a failure’s token lane and the flows it needs', () => {
  const IDP = 'https://idp.test';
  const log = () => [
    entry({ method: 'POST', url: `${IDP}/token`, status: 200, at: '2026-12-06T10:00:00.000Z', form: { grant_type: 'authorization_code', code: 'c0de-c0de-c0de', client_id: 'spa' }, body: JSON.stringify({ access_token: 'at-one-0123456789abcdef', refresh_token: 'rt-one-0123456789abcdef', expires_in: 300 }) }),
    { ...entry({ method: 'POST', url: `${IDP}/token`, status: 200, at: '2026-12-06T10:04:00.000Z', form: { grant_type: 'refresh_token', refresh_token: 'rt-one-0123456789abcdef' }, body: JSON.stringify({ access_token: 'at-two-0123456789abcdef', refresh_token: 'rt-two-0123456789abcdef' }) }), time: 80 },
  ];
  const until = async (test: () => boolean) => {
    for (let i = 0; i < 200 && !test(); i++) await new Promise((r) => setTimeout(r, 5));
    assert.ok(test(), 'settled');
  };

  it('reads the flows when none were read since the failure came, once; a file opened drops the live flows and reads its own', async () => {
    let reads = 0;
    const backend = {
      tabId: 3,
      request: async () => ({}),
      recordedLog: async () => {
        reads++;
        return JSON.parse(JSON.stringify(log())) as unknown[];
      },
    } as unknown as PanelBackend;
    const store = new PanelStore(backend);
    const stale = judge(entry({ url: 'https://api.test/v1/me', at: '2026-12-06T10:05:00.000Z', req: { Authorization: 'Bearer at-one-0123456789abcdef' }, res: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } })).entry;
    store.wantFlows(Date.now() - 1000);
    await until(() => store.state.signIn.status === 'read');
    assert.equal(reads, 1);
    store.wantFlows(Date.now() - 1000);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(reads, 1, 'a read since the failure came holds its flows');
    const lane = laneOf(store.state.signIn.flows, stale, Date.parse(stale.startedDateTime));
    assert.deepEqual(lane?.events.map((e) => e.short), ['signed in', 'replaced it', '401 this request']);
    assert.equal(store.state.signIn.open, false, 'reading for the lane does not open the sign-in view');
    // A newer failure: read again.
    store.wantFlows(Date.now() + 60_000);
    await until(() => reads === 2 && store.state.signIn.status === 'read');
    // A file opened: the live flows are dropped (a lane never matches the file's failures against them), the file's read.
    const text = JSON.stringify({ log: { version: '1.2', creator: { name: 't', version: '1' }, entries: [] } });
    await store.importFile({ name: 'empty.har', arrayBuffer: async () => new TextEncoder().encode(text).buffer as ArrayBuffer } as unknown as File);
    assert.equal(store.state.signIn.status, 'idle');
    assert.deepEqual(store.state.signIn.flows, []);
    store.wantFlows(0);
    await until(() => store.state.signIn.status === 'read');
    assert.deepEqual(store.state.signIn.source, { kind: 'file', name: 'empty.har' });
    assert.equal(reads, 2);
  });
});

describe('the sign-in view falls back to what the capture followed', () => {
  it('no DevTools log (or none with a flow): the background’s flows, said to be the capture’s', async () => {
    const asked: unknown[] = [];
    const flows = [{ runs: [{ kind: 'authorize', name: 'authorize', label: 'sign-in', count: 4, broken: true, entry: 0 }], unanswered: false, broken: true, findings: [{ cause: 'login-loop', label: 'login loop', title: 'A login loop', explanation: '', evidence: [], entry: 0, confidence: 'high', fixes: { users: [], developers: [] } }] }];
    const backend = {
      tabId: 3,
      request: async (type: string, payload: unknown) => {
        asked.push([type, payload]);
        return type === 'get-flows' ? { flows } : {};
      },
    } as unknown as PanelBackend;
    const store = new PanelStore(backend);
    await store.readFlows();
    assert.deepEqual(asked, [['get-flows', { tabId: 3 }]]);
    assert.deepEqual(store.state.signIn.source, { kind: 'capture', answers: false });
    assert.equal(store.state.signIn.flows[0]!.findings[0]!.cause, 'login-loop');
  });
});

describe('where Why 401 hears nothing of the tab', () => {
  it('the panel reads DevTools’ own log as an import: its failures judged as any, asking for the failures’ and the flows’ bodies only', async () => {
    const asked: string[] = [];
    const log = [
      entry({ url: 'https://app.test/', status: 200 }),
      entry({ url: 'https://api.test/v1/me', status: 401, req: { Authorization: 'Bearer undefined' }, res: { 'WWW-Authenticate': 'Bearer realm="api"' } }),
    ];
    const backend = {
      tabId: undefined,
      request: async (type: string) => (type === 'get-watch' ? { listening: false, started: true, sites: { all: true, origins: [] } } : undefined),
      canSeePage: async () => false,
      recordedLog: async (wants: (m: string, u: string, p: string | undefined, status: number) => boolean) => {
        for (const e of log) if (wants(e.request.method, e.request.url, e.request.postData?.text, e.response.status)) asked.push(e.request.url);
        return JSON.parse(JSON.stringify(log)) as unknown[];
      },
    } as unknown as PanelBackend;
    const store = new PanelStore(backend);
    store.start();
    await new Promise((r) => setTimeout(r, 0));
    assert.equal(store.state.watching, false);
    assert.equal(store.state.watchStarted, true, 'paused, not a first run');
    await store.readDevtoolsLog();
    assert.deepEqual(asked, ['https://api.test/v1/me'], 'the failure’s body, not the page’s');
    assert.equal(store.state.imported?.name, 'DevTools’ network log');
    assert.deepEqual(store.view().rows.map((r) => r.findings[0]?.cause), ['placeholder-token']);
  });
});

describe('the inspected tab is watched while the panel is open', () => {
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
  /** A tab on a site the browser's site access leaves out (or not: `seen`), DevTools' log, and its request-finished event. */
  function hidden(log: HarEntry[]) {
    const state = { seen: false, listening: true, navigated: undefined as ((url: string) => void) | undefined, focus: undefined as (() => void) | undefined };
    const listeners = new Set<(e: unknown) => void>();
    const backend = {
      tabId: 5,
      request: async (type: string) => (type === 'get-watch' ? { listening: state.listening, started: true, sites: { all: false, origins: [] } } : type === 'get-settings' ? undefined : undefined),
      subscribe: () => ({ close: () => undefined }),
      pageUrl: async () => 'https://app.test/',
      onNavigated: (cb: (url: string) => void) => void (state.navigated = cb),
      onFocus: (cb: () => void) => ((state.focus = cb), () => undefined),
      canSeePage: async () => state.seen,
      recordedLog: async () => JSON.parse(JSON.stringify(log)) as unknown[],
      followLog: (_wants: unknown, onEntry: (e: unknown) => void) => {
        listeners.add(onEntry);
        return () => listeners.delete(onEntry);
      },
    } as unknown as PanelBackend;
    const finish = (e: HarEntry) => {
      for (const l of listeners) l(JSON.parse(JSON.stringify(e)));
    };
    return { backend, state, listeners, finish };
  }
  const failure = (path: string) => entry({ url: `https://api.test${path}`, status: 401, req: { Authorization: 'Bearer undefined' }, res: { 'WWW-Authenticate': 'Bearer realm="api"' } });

  it('follows DevTools’ log by itself on a site left out: the failures so far, then each as it finishes, the selection kept', async () => {
    const t = hidden([entry({ url: 'https://app.test/', status: 200 }), failure('/v1/me')]);
    const store = new PanelStore(t.backend);
    store.start();
    await wait(50);
    assert.equal(store.state.following, true);
    assert.equal(store.state.imported?.name, 'DevTools’ network log');
    assert.equal(t.listeners.size, 1, 'one listener on DevTools’ request-finished event');
    assert.deepEqual(store.view().rows.map((r) => r.entry.request.url), ['https://api.test/v1/me']);
    store.select(store.view().rows[0]!.id);
    const selected = store.state.selectedId;
    t.finish(failure('/v1/orders'));
    t.finish(entry({ url: 'https://app.test/app.js', status: 200 }));
    await wait(400);
    assert.deepEqual(store.state.imported?.records.map((r) => r.entry.request.url).sort(), ['https://api.test/v1/me', 'https://api.test/v1/orders']);
    assert.equal(store.state.imported?.entries, 4);
    assert.equal(store.state.selectedId, selected, 'entries appended: the open failure stays open');
    // Clear empties the followed list; following goes on, and what came before stays context (as the live capture's timeline).
    t.finish(entry({ url: 'https://api.test/v1/profile', status: 200, req: { Authorization: 'Bearer c2lnbmVkLWluLXRva2Vu' }, at: '2025-06-01T12:00:01.000Z' }));
    await wait(400);
    await store.clear();
    assert.equal(store.state.imported?.records.length, 0);
    assert.equal(store.state.following, true);
    t.finish(entry({ url: 'https://api.test/v1/later', status: 401, req: { Authorization: 'Bearer c2lnbmVkLWluLXRva2Vu' }, res: { 'WWW-Authenticate': 'Bearer realm="api", error="invalid_token"' }, at: '2025-06-01T12:05:00.000Z' }));
    await wait(400);
    assert.deepEqual(store.state.imported?.records.map((r) => r.entry.request.url), ['https://api.test/v1/later']);
    assert.equal(store.state.imported?.records[0]?.findings[0]?.cause, 'token-revoked', 'the token that worked before the Clear still counts');
  });

  it('stops when the site is watched again or on a pause, and after "Stop following" until asked again', async () => {
    const t = hidden([failure('/v1/me')]);
    const store = new PanelStore(t.backend);
    store.start();
    await wait(50);
    assert.equal(store.state.following, true);
    store.unfollow();
    assert.equal(store.state.following, false);
    assert.equal(store.state.imported, undefined, 'back to live');
    assert.equal(t.listeners.size, 0);
    t.state.focus!();
    await wait(50);
    assert.equal(store.state.following, false, 'not again by itself after the user stopped it');
    await store.followDevtoolsLog();
    assert.equal(store.state.following, true, 'the banner’s button follows again');
    t.state.listening = false;
    t.state.focus!();
    await wait(50);
    assert.equal(store.state.following, false, 'a pause stops it (nothing heard while paused)');
    t.state.listening = true;
    t.state.focus!();
    await wait(50);
    assert.equal(store.state.following, true);
    t.state.seen = true;
    t.state.navigated!('https://app.test/next');
    await wait(50);
    assert.equal(store.state.following, false, 'the site is watched: the live capture again');
    assert.equal(t.listeners.size, 0);
  });
});
