/**
 * The HAR export gives `why401 explain` the evidence the extension used: failures (redacted)
 * preceded by context entries rebuilt from the timeline.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exportHar } from '../../src/background/export.ts';
import { TabStore } from '../../src/background/store.ts';
import { diagnoseEntry, diagnoseTimeline } from '../../src/core/diagnose.ts';
import { readHar } from '../../src/core/har-read.ts';
import type { HarEntry } from '../../src/core/har-types.ts';
import { entry, jwt, sec } from '../helpers/har.ts';
import { FakeKV } from '../helpers/fakes.ts';

async function capture(sequence: HarEntry[]) {
  const store = new TabStore(new FakeKV(), () => ({ perTab: 100, total: 100 }));
  await store.ready;
  for (const e of sequence) {
    if (e.response.status >= 400) {
      const { seq, page } = store.reserve(1);
      const findings = diagnoseEntry(e, structuredClone(store.meta(1).timeline));
      store.observe(1, e);
      store.complete(1, seq, page, e, findings);
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
    ['malformed-token (quotes kept)', [entry({ req: { Authorization: `Bearer "${CANARY}"` }, res: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } })]],
  ];
  for (const [name, sequence] of cases) {
    it(name, async () => {
      const store = await capture(sequence);
      const shown = store.records(1).map((r) => r.findings[0]!.cause);
      const har = exportHar(store.meta(1), store.records(1), false, 'test');
      assert.ok(!JSON.stringify(har).includes(CANARY), 'no secret in a default export');
      assert.deepEqual(explain(har), shown);
      assert.match(har.log.comment ?? '', /Secrets were masked/);
    });
  }
  it('with secrets included, the export says so and holds them', async () => {
    const store = await capture(cases[0]![1]);
    const har = exportHar(store.meta(1), store.records(1), true, 'test');
    assert.ok(JSON.stringify(har).includes(token));
    assert.match(har.log.comment ?? '', /WITH SECRETS/);
  });
});
