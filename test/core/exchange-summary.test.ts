/** "What changed since it last worked": the summary a success leaves, and its diff with a failure. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { judge } from '../../src/core/verdict/diagnose.ts';
import { diffSummaries, readSummary, summarizeExchange } from '../../src/core/exchange/exchange-summary.ts';
import { exportHar } from '../../src/core/exchange/export.ts';
import { readHar } from '../../src/core/exchange/har-read.ts';
import { TIMELINE_CAPS, emptyTimeline, observe } from '../../src/core/exchange/timeline.ts';
import { entry, jwt, sec } from '../helpers/har.ts';
import { encodeTimeline } from '../../src/background/store-codec.ts';

const CANARY = 'canary-session-value-0123456789abcdef';

function changesFor(before: Parameters<typeof entry>[0][], failure: Parameters<typeof entry>[0]) {
  const tl = emptyTimeline();
  for (const b of before) observe(tl, entry(b));
  const j = judge(entry(failure), tl);
  const then = j.entry._why401?.context?.lastSuccess;
  assert.ok(then, 'the last success is pinned on the failure');
  return { then, changes: diffSummaries(then, summarizeExchange(j.entry)), j };
}

it('token revoked: the same token worked a minute ago; nothing that was sent changed', () => {
  const t = jwt({ exp: sec('2025-06-01T13:00:00Z'), sub: 'alice' });
  const { changes, then } = changesFor([{ status: 200, at: '2025-06-01T11:59:00Z', req: { Authorization: `Bearer ${t}` } }], { at: '2025-06-01T12:00:00Z', req: { Authorization: `Bearer ${t}` }, res: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } });
  assert.equal(then.status, 200);
  assert.deepEqual(changes, []);
});

it('session logged out: the session cookie went, the rest stayed', () => {
  const { changes } = changesFor(
    [{ status: 200, url: 'https://app.test/api/me', at: '2025-06-01T10:00:00Z', req: { Cookie: `sid=${CANARY}; theme=dark`, 'X-App': '1' } }],
    { url: 'https://app.test/api/me', at: '2025-06-01T10:05:00Z', req: { Cookie: 'theme=dark', 'X-App': '1' } },
  );
  assert.deepEqual(changes.map((c) => [c.kind, 'name' in c ? c.name : '']), [['cookie', 'sid']]);
  const gone = changes[0] as { before?: string; after?: string };
  assert.match(gone.before ?? '', /^#[0-9a-f]{8}$/, 'the gone cookie is named by its tag');
  assert.equal(gone.after, undefined, 'and is not sent now');
  assert.ok(!JSON.stringify(changes).includes(CANARY));
});

it('token replaced: another token, its claims compared', () => {
  const a = jwt({ exp: sec('2025-06-01T12:30:00Z'), aud: 'https://api.test', scope: 'read write' });
  const b = jwt({ exp: sec('2025-06-01T13:30:00Z'), aud: 'https://other.test', scope: 'read' });
  const { changes } = changesFor([{ status: 200, at: '2025-06-01T11:00:00Z', req: { Authorization: `Bearer ${a}` } }], { at: '2025-06-01T12:00:00Z', req: { Authorization: `Bearer ${b}` }, res: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } });
  const kinds = changes.map((c) => `${c.kind}${'name' in c ? `:${c.name}` : ''}`);
  assert.deepEqual(kinds.slice(0, 4).sort(), ['claim:aud', 'claim:exp', 'claim:scope', 'credentials'].sort());
  const cred = changes.find((c) => c.kind === 'credentials');
  assert.equal(cred && 'note' in cred ? cred.note : '', 'the token was replaced');
  assert.ok(!JSON.stringify(changes).includes(b.slice(20, 60)));
});

it('another endpoint of the same origin when this one never worked', () => {
  const { then } = changesFor([{ status: 200, url: 'https://api.example.com/v1/orders', req: { Authorization: 'Bearer abcdefghijklmnopqrstuvwxyz' } }], { url: 'https://api.example.com/v1/me', at: '2025-06-01T12:00:01Z', req: { Authorization: 'Bearer abcdefghijklmnopqrstuvwxyz' } });
  assert.equal(then.url, 'https://api.example.com/v1/orders');
});

it('travels with the failure through an export and back; a hostile summary is read safely', () => {
  const { j } = changesFor([{ status: 200, url: 'https://app.test/api/me', at: '2025-06-01T10:00:00Z', req: { Cookie: `sid=${CANARY}`, 'X-Api-Key': CANARY } }], { url: 'https://app.test/api/me', at: '2025-06-01T10:05:00Z' });
  const har = exportHar([{ entry: j.entry, findings: j.findings }], { includeSecrets: false, version: 't' });
  assert.ok(!JSON.stringify(har).includes(CANARY));
  const back = readHar(JSON.stringify(har)).entries[0]!.entry;
  assert.deepEqual(back._why401?.context?.lastSuccess, j.entry._why401?.context?.lastSuccess);
  assert.equal(readSummary({ at: 1, method: 'GET', url: 'x', status: 200, headers: { __proto__: 'x', a: 1 }, cookies: [] }), undefined);
  assert.deepEqual(readSummary({ at: null, method: 'GET', url: 'x', status: 200, headers: { a: 'b' }, cookies: {} })?.headers, { a: 'b' });
});

it('successes are summarized when read: the last per endpoint, each once, the same whether the failure or the store reads first', () => {
  const observed = () => {
    const tl = emptyTimeline();
    for (let i = 0; i < 100; i++) {
      const at = new Date(Date.parse('2025-06-01T10:00:00Z') + i * 1000).toISOString();
      // 40 endpoints, each called more than once; endpoint 7 last at i = 87.
      observe(tl, entry({ status: 200, url: `https://app.test/api/e${i % 40}?n=${i}`, at, req: { Cookie: `sid=${CANARY}-${i}` } }));
    }
    return tl;
  };
  const written = JSON.parse(encodeTimeline(observed())) as { successes: { url: string; at: number }[] };
  assert.equal(written.successes.length, TIMELINE_CAPS.successes, 'the store writes the summaries of the 30 most recent endpoints, each once');
  assert.deepEqual(new Set(written.successes.map((s) => s.url)), new Set(Array.from({ length: 30 }, (_, k) => `https://app.test/api/e${(70 + k) % 40}`)));
  assert.deepEqual(written.successes.map((s) => s.url).slice(-3), ['https://app.test/api/e17', 'https://app.test/api/e18', 'https://app.test/api/e19'], 'the most recent last');
  assert.ok(!JSON.stringify(written).includes(CANARY), 'summaries hold tags, not values');
  const j = judge(entry({ url: 'https://app.test/api/e7', at: '2025-06-01T10:05:00Z' }), observed());
  assert.equal(j.entry._why401?.context?.lastSuccess?.at, Date.parse('2025-06-01T10:01:27Z'), 'the latest success of that endpoint');
});
