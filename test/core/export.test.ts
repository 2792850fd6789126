/**
 * The HAR export gives `why401 explain` the evidence the extension used: failures (redacted)
 * with the context they were judged on, and nothing that was not a real exchange.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exportHar, redactedHarPieces } from '../../src/core/exchange/export.ts';
import { TabStore } from '../../src/background/store.ts';
import { diagnoseTimeline, judge } from '../../src/core/verdict/diagnose.ts';
import { readHar } from '../../src/core/exchange/har-read.ts';
import type { HarEntry } from '../../src/core/exchange/har-types.ts';
import { redactEntry } from '../../src/core/redaction/redact.ts';
import { entry, jwt, sec } from '../helpers/har.ts';
import { FakeKV } from '../helpers/fakes.ts';

async function capture(sequence: HarEntry[]) {
  const store = new TabStore(new FakeKV(), () => ({ perTab: 100, total: 100 }));
  await store.ready;
  for (const e of sequence) {
    if (e.response.status >= 400) {
      const { seq, page } = store.reserve(1);
      const j = judge(e, store.meta(1).timeline);
      store.observe(1, e);
      store.complete(1, seq, page, j.entry, j.findings);
    } else {
      store.observe(1, e);
    }
  }
  return store;
}

function explain(har: unknown): string[] {
  const { entries } = readHar(JSON.stringify(har));
  return [...diagnoseTimeline(entries)].map((d) => d.findings[0]!.cause);
}

const CANARY = 'canary-secret-0123456789abcdefghij';

describe('exportHar → why401 explain', () => {
  const token = jwt({ exp: sec('2025-06-01T13:00:00Z'), sub: CANARY });
  const cases: [string, HarEntry[]][] = [
    [
      'token-revoked (the tagged mask keeps "the same token")',
      [
        entry({ status: 200, at: '2025-06-01T11:58:00Z', req: { Authorization: `Bearer ${token}` } }),
        entry({ at: '2025-06-01T12:00:00Z', req: { Authorization: `Bearer ${token}` }, res: { 'WWW-Authenticate': 'Bearer realm="api", error="invalid_token"' } }),
      ],
    ],
    [
      'session-cookie-expired (from a Set-Cookie summary)',
      [
        entry({ method: 'POST', url: 'https://app.test/login', status: 200, at: '2025-06-01T10:00:00Z', res: { 'Set-Cookie': `sid=${CANARY}; Max-Age=60; Path=/; HttpOnly` } }),
        entry({ url: 'https://app.test/api/me', at: '2025-06-01T10:05:00Z' }),
      ],
    ],
    [
      'session-cookie-missing (a logout deleted it)',
      [
        entry({ status: 200, url: 'https://app.test/api/me', at: '2025-06-01T10:00:00Z', req: { Cookie: `sid=${CANARY}` } }),
        entry({ method: 'POST', status: 200, url: 'https://app.test/logout', at: '2025-06-01T10:31:00Z', res: { 'Set-Cookie': 'sid=; Max-Age=0; Path=/' } }),
        entry({ url: 'https://app.test/api/me', at: '2025-06-01T10:32:00Z' }),
      ],
    ],
    ['token-expired (claims kept, token masked)', [entry({ req: { Authorization: `Bearer ${jwt({ exp: sec('2025-06-01T11:00:00Z') })}` }, res: { 'WWW-Authenticate': 'Bearer realm="api"' } })]],
    ['wrong-credentials (Basic user name kept)', [entry({ req: { Authorization: `Basic ${Buffer.from(`alice:${CANARY}`).toString('base64')}` }, res: { 'WWW-Authenticate': 'Basic realm="x"' } })]],
    [
      'cookie-blocked by the browser\'s third-party setting (the setting travels with the entry)',
      [
        entry({
          url: 'https://api.other.test/me',
          resourceType: 'fetch',
          why: { initiator: 'https://app.example.com', topLevelUrl: 'https://app.example.com/', cookiePolicy: { thirdParty: 'blocked', setting: 'thirdPartyCookiesAllowed: false', at: Date.parse('2025-06-01T12:00:00Z') } },
          jar: [{ name: 'sid', value: CANARY, domain: 'api.other.test', hostOnly: true, path: '/', secure: true, httpOnly: true, sameSite: 'no_restriction', session: true }],
        }),
      ],
    ],
    ['malformed-token (quotes kept)', [entry({ req: { Authorization: `Bearer "${CANARY}"` }, res: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } })]],
  ];
  for (const [name, sequence] of cases) {
    it(name, async () => {
      const store = await capture(sequence);
      const shown = store.records(1).map((r) => r.findings[0]!.cause);
      assert.equal(shown[shown.length - 1], name.split(' ')[0], 'the case is what it says');
      const har = exportHar(store.records(1), { includeSecrets: false, version: 'test' });
      assert.ok(!JSON.stringify(har).includes(CANARY), 'no secret in a default export');
      assert.deepEqual(explain(har), shown);
      // Only the failures themselves: no entry that the browser did not make.
      assert.deepEqual(
        har.log.entries.map((e) => `${e.request.method} ${e.response.status}`),
        store.records(1).map((r) => `${r.entry.request.method} ${r.entry.response.status}`),
      );
      assert.match(har.log.comment ?? '', /Secrets were masked/);
    });
  }
  it('with secrets included, the export says so and holds them', async () => {
    const store = await capture(cases[0]![1]);
    const har = exportHar(store.records(1), { includeSecrets: true, version: 'test' });
    assert.ok(JSON.stringify(har).includes(token));
    assert.match(har.log.comment ?? '', /WITH SECRETS/);
  });
});

describe('masks are stable', () => {
  const t = jwt({ exp: sec('2025-06-01T13:00:00Z'), sub: CANARY });
  const shapes: HarEntry[] = [
    entry({
      url: `https://api.test/x?access_token=${CANARY}&code=${CANARY}&q=1`,
      req: { Authorization: `Bearer ${t}`, Cookie: `sid=${CANARY}; theme=dark`, 'X-API-Key': CANARY, DPoP: t },
      res: { 'Set-Cookie': `sid=${CANARY}; Path=/; HttpOnly`, Location: `https://api.test/cb?token=${CANARY}`, 'WWW-Authenticate': 'Bearer realm="api", error="invalid_token"' },
      body: JSON.stringify({ access_token: CANARY, nested: { password: CANARY }, jwt: t }),
    }),
    entry({ req: { Authorization: `Digest username="alice", realm="r", nonce="n", uri="/x", response="${CANARY}", cnonce="${CANARY}"` } }),
    entry({ req: { Authorization: `Basic ${Buffer.from(`alice:${CANARY}`).toString('base64')}` } }),
    entry({ req: { Authorization: `Bearer "${CANARY}"` } }),
    entry({ req: { Authorization: `Bearer Bearer ${CANARY}` } }),
  ];
  shapes[0]!.request.postData = { mimeType: 'application/x-www-form-urlencoded', text: `password=${CANARY}&user=alice&id_token=${t}` };
  shapes[0]!.request.cookies = [{ name: 'sid', value: CANARY }];

  it('masking a masked entry changes nothing (length and fingerprint kept)', () => {
    for (const e of shapes) {
      const once = redactEntry(e);
      assert.ok(!JSON.stringify(once).includes(CANARY));
      assert.deepEqual(redactEntry(once), once);
    }
  });

  it('export → why401 explain → import → export keeps every mask unchanged', async () => {
    const store = await capture([
      entry({ status: 200, at: '2025-06-01T11:58:00Z', req: { Authorization: `Bearer ${t}` } }),
      ...shapes.map((e, i) => ({ ...e, startedDateTime: new Date(Date.parse('2025-06-01T12:00:00Z') + i * 1000).toISOString() })),
    ]);
    const first = exportHar(store.records(1), { includeSecrets: false, version: 'test' });
    const masks = (h: unknown) => (JSON.stringify(h).match(/\[redacted: [^\]]*\]|%5Bredacted[^&"]*/g) ?? []).sort();
    assert.ok(masks(first).some((m) => /#[0-9a-f]{8}/.test(m)), 'tagged masks are there to keep');
    const { entries } = readHar(JSON.stringify(first));
    const reread = [...diagnoseTimeline(entries)];
    assert.deepEqual(reread.map((d) => d.findings.map((f) => f.cause)), store.records(1).map((r) => r.findings.map((f) => f.cause)));
    const second = exportHar(reread.map((d) => ({ entry: d.entry, findings: d.findings })), { includeSecrets: false, version: 'test' });
    assert.deepEqual(masks(second), masks(first));
    assert.deepEqual(second.log.entries.map((e) => e.request.headers), first.log.entries.map((e) => e.request.headers));
  });
});

describe('the exported entry and the report read like the URL and the fixes', () => {
  it('queryString lists the URL\'s parameters, masked exactly where the URL is', async () => {
    const { entryFromCapture } = await import('../../src/core/exchange/exchange.ts');
    const e = entryFromCapture({ startedAt: 0, receivedAt: 1, method: 'GET', url: `https://api.test/me?page=2&access_token=${CANARY}`, statusLine: 'HTTP/1.1 401 Unauthorized', status: 401, requestHeaders: [], responseHeaders: [], tabId: 1, frameId: 0, type: 'xmlhttprequest' });
    assert.deepEqual(e.request.queryString.map((q) => q.name), ['page', 'access_token']);
    const out = exportHar([{ entry: e, findings: [] }], { includeSecrets: false, version: 't' });
    const q = out.log.entries[0]!.request.queryString;
    assert.equal(q[0]!.value, '2');
    assert.doesNotMatch(JSON.stringify(out), new RegExp(CANARY));
    assert.match(q[1]!.value, /^\[redacted/);
  });

  it('the Markdown report keeps the fixes\' code spans as code, not escaped backticks', async () => {
    const { markdownReport } = await import('../../src/core/views/report-md.ts');
    const j = judge(entry({ req: { Authorization: 'Bearer Bearer abc.def' }, res: { 'WWW-Authenticate': 'Bearer realm="api"' } }));
    const md = markdownReport([{ entry: j.entry, findings: j.findings, notes: j.notes }], { includeSecrets: false });
    const fixes = md.slice(md.indexOf('**What developers can do:**'));
    assert.match(fixes, /`[^`\n]+`/, 'a code span');
    assert.doesNotMatch(fixes.split('\n\n')[1] ?? '', /\\`/, 'no escaped backtick');
  });
});

describe('why401 redact writes a HAR an entry at a time', () => {
  const source = [
    entry({ url: 'https://api.test/a?access_token=s3cr3t-token-value-123456', req: { Authorization: 'Bearer abcdefghijklmnopqrstuvwxyz012345' } }),
    entry({ status: 200, req: { Cookie: 'sid=session-secret-value' }, res: { 'Set-Cookie': 'sid=new-secret; HttpOnly' }, body: '{"password":"hunter2"}' }),
    entry({ method: 'POST', url: 'https://api.test/b', req: { 'X-Api-Key': 'key-with-"quotes"\\and\nnewline' } }),
  ];
  it('a large value is a piece of its own, and the text is still exactly JSON.stringify(har, null, 2): empty arrays and objects, nested values, odd characters', () => {
    const big = 'v'.repeat(300_000);
    const odd = entry({ url: `https://api.test/c?q=${big}`, req: { 'X-Note': 'é\u2028"\\\u0001 ok' } });
    odd.response.cookies = [];
    odd.cache = {};
    (odd as unknown as { _extra: unknown })._extra = { list: [1, -0.5, true, null, [], {}, [{ a: [] }]], nothing: undefined };
    const pieces = [...redactedHarPieces([odd, source[0]!], { version: '9.9' })];
    const text = pieces.join('');
    assert.equal(text, JSON.stringify(JSON.parse(text), null, 2));
    assert.ok(pieces.some((p) => p.length > 300_000 && p.length < 300_100), 'the long URL is one piece');
    assert.ok(pieces.every((p) => p.length <= 300_100), `no piece holds more than one large value (${Math.max(...pieces.map((p) => p.length))})`);
  });

  for (const n of [0, 1, 3]) {
    it(`${n} entr${n === 1 ? 'y' : 'ies'}: the lines are exactly JSON.stringify(har, null, 2) of the masked HAR`, () => {
      const text = [...redactedHarPieces(source.slice(0, n), { version: '9.9', source: 'x.har' })].join('');
      const har = JSON.parse(text) as { log: { entries: HarEntry[]; creator: unknown; comment: string } };
      assert.equal(text, JSON.stringify(har, null, 2));
      assert.equal(har.log.entries.length, n);
      assert.deepEqual(har.log.creator, { name: 'Why 401', version: '9.9' });
      assert.deepEqual(har.log.entries, source.slice(0, n).map((e) => redactEntry(e)));
      assert.match(har.log.comment, n === 0 ? /no secret found/ : /^Masked by why401 redact from x\.har: /);
      assert.doesNotMatch(text, /s3cr3t|abcdefghijklmnop|session-secret|new-secret|hunter2|key-with/);
    });
  }
});
