/**
 * Every 401-lab scenario in real Chromium with the built extension: the recorded failure's first
 * finding names the scenario's cause, the evidence holds the real headers and cookies, the
 * badge shows the count, and the automation hook's HAR export gives `why401 explain` the same
 * primary cause.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'puppeteer-core';
import type { Har } from '../../../src/core/har-types.ts';
import type { StoredRecord } from '../../../src/shared/records.ts';
import { dist } from '../../helpers/build.ts';
import { SCENARIOS } from '../../lab/scenarios.ts';
import { launch, runScenario, type Session } from '../helpers/chromium.ts';
import { extensionPage, hook } from '../helpers/hook.ts';

const header = (r: StoredRecord, side: 'request' | 'response', name: string) =>
  r.entry[side].headers.find((h) => h.name.toLowerCase() === name)?.value;

/** Evidence a user must see for some scenarios: the real headers and cookies. */
const EVIDENCE: Record<string, (r: StoredRecord) => void> = {
  'missing-credentials': (r) => assert.equal(header(r, 'response', 'www-authenticate'), 'Bearer realm="lab-api"'),
  'token-expired': (r) => {
    assert.match(header(r, 'request', 'authorization') ?? '', /^Bearer eyJ/);
    assert.match(header(r, 'response', 'www-authenticate') ?? '', /error="invalid_token"/);
  },
  'auth-dropped-on-redirect': (r) => {
    assert.equal(r.entry._why401?.redirectChain?.length, 1);
    assert.equal(r.entry._why401?.redirectChain?.[0]?.authorizationSent, true);
    assert.equal(header(r, 'request', 'authorization'), undefined);
  },
  'credentials-not-included': (r) => {
    assert.ok(r.entry._why401?.cookieJar?.some((c) => c.name === 'sid_app' && c.sameSite === 'lax'));
    assert.equal(header(r, 'request', 'cookie'), undefined);
  },
  'cookie-blocked-strict': (r) => assert.ok(r.entry._why401?.cookieJar?.some((c) => c.name === 'sid_strict' && c.sameSite === 'strict')),
  'cookie-blocked-secure': (r) => {
    assert.match(r.entry.request.url, /^http:/);
    assert.ok(r.entry._why401?.cookieJar?.some((c) => c.name === 'sid_secure' && c.secure));
  },
  'session-cookie-missing': (r) => assert.ok(r.findings[0]!.evidence.some((e) => /sid_out \(deletion\)/.test(e.label))),
  'preflight-unauthenticated': (r) => assert.equal(r.entry.request.method, 'OPTIONS'),
  'proxy-auth-required': (r) => assert.equal(header(r, 'response', 'proxy-authenticate'), 'Basic realm="lab-proxy"'),
  'ip-restricted': (r) => assert.match(r.entry.response.statusText, /IP address/),
  'dpop-nonce-required': (r) => assert.match(header(r, 'response', 'dpop-nonce') ?? '', /^lab-nonce-/),
};

describe('401 lab scenarios in Chromium', () => {
  let s: Session;
  let ext: Page;
  const exports = mkdtempSync(join(tmpdir(), 'why401-exports-'));
  const exported: { id: string; file: string; cause: string }[] = [];

  before(async () => {
    s = await launch();
    ext = await extensionPage(s);
  });
  after(async () => {
    await s?.close();
  });

  for (const sc of SCENARIOS) {
    if (sc.browsers && !sc.browsers.includes('chromium')) continue;
    it(`${sc.id} → ${sc.cause}`, async () => {
      const cdp = await ext.createCDPSession();
      await cdp.send('Network.clearBrowserCookies');
      await cdp.detach();
      if (sc.needs403) await hook(ext, { type: 'set-settings', settings: { statuses: { 401: true, 407: true, 403: true } } });
      try {
        const { page, tabId } = await s.labPage(sc.origin ?? 'https');
        const status = await runScenario(page, sc.id);
        const snap = await s.waitForRecords(tabId, sc.failures ?? 1);
        assert.equal(snap.records.length, sc.failures ?? 1, `records: ${snap.records.map((r) => `${r.entry.request.method} ${r.entry.request.url} ${r.entry.response.status}`).join(' | ')}`);
        const record = snap.records[snap.records.length - 1]!;
        const causes = record.findings.map((f) => f.cause);
        assert.equal(causes[0], sc.cause, `findings: ${causes.join(', ')}; first: ${record.findings[0]?.title}`);
        if (typeof status === 'number') assert.equal(record.entry.response.status, status);
        EVIDENCE[sc.id]?.(record);
        // The badge counts the tab's failures and names the latest cause.
        const latest = new RegExp(`Latest: ${record.findings[0]!.title.slice(0, 30).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
        const badge = await s.waitForBadge(snap.tabId, String(snap.count), latest);
        assert.equal(badge.text, String(snap.count));
        assert.match(badge.title, latest);
        // The automation hook: a redacted HAR with the findings the extension showed.
        const har = (await hook(ext, { type: 'export-har', tabId, includeSecrets: false })) as Har;
        const failure = har.log.entries.find((e) => e._why401?.type !== 'context' && e.response.status === record.entry.response.status);
        assert.ok(failure?._why401?.findings, 'the export carries the findings');
        const file = join(exports, `${sc.id}.har`);
        writeFileSync(file, JSON.stringify(har));
        exported.push({ id: sc.id, file, cause: sc.cause });
        await page.close();
      } finally {
        if (sc.needs403) await hook(ext, { type: 'set-settings', settings: {} });
      }
    });
  }

  it('why401 explain on each redacted export names the same primary cause', () => {
    assert.ok(exported.length >= SCENARIOS.length - 2);
    for (const x of exported) {
      const args = [join(dist, 'cli', 'why401.mjs'), 'explain', '--json', ...(x.id === 'forbidden' ? ['--include-403'] : []), x.file];
      const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const report = JSON.parse(r.stdout) as { failures: { findings: { cause: string }[] }[] };
      const last = report.failures[report.failures.length - 1];
      assert.equal(last?.findings[0]?.cause, x.cause, `${x.id}: ${JSON.stringify(report.failures.map((f) => f.findings.map((g) => g.cause)))}`);
    }
  });

  it('the service worker logged no errors', () => {
    assert.deepEqual(s.workerErrors, []);
  });
});
