/**
 * Every 401-lab scenario in real Chromium with the built extension: the recorded failure's first
 * finding names the scenario's cause, the evidence holds the real headers and cookies, and the
 * badge shows the count. Then one truth on every path: the verdict the panel shows = the
 * automation hook's export read back by `why401 explain` = the panel's own exports (all, filtered,
 * selected) read back = the hook's export imported into the panel — the same findings in the same
 * order, the same masks; and every exported entry is an exchange the lab really answered.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'puppeteer-core';
import type { Har } from '../../../src/core/exchange/har-types.ts';
import type { StoredRecord } from '../../../src/shared/records.ts';
import { dist } from '../../helpers/build.ts';
import { SCENARIOS } from '../../lab/scenarios.ts';
import { launch, runScenario, type Session } from '../helpers/chromium.ts';
import { extensionPage, hook } from '../helpers/hook.ts';
import { openPanelTab } from '../helpers/panel-tab.ts';
import { redactUrl } from '../../../src/core/redaction/redact.ts';
import { checkDetail } from '../../helpers/detail-invariants.ts';

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
  const exported: { id: string; files: Record<string, string>; live: string[]; masks: string[] }[] = [];

  before(async () => {
    s = await launch();
    ext = await extensionPage(s);
  });
  after(async () => {
    await s?.close();
  });

  for (const sc of SCENARIOS) {
    if (sc.browsers && !sc.browsers.includes('chromium')) continue;
    if (sc.setting) continue; // needs a browser setting: cookie-policy.test.ts
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
        if (sc.note) assert.match(record.notes?.[0]?.title ?? '', sc.note, 'the note the failure must carry');
        // Notes are never false: "your code never saw this 401" only when the page's script really got
        // a network error; when it got the status, no such note (the lab page records what it saw).
        const neverSaw = record.notes?.some((n) => n.kind === 'script-never-saw-status') ?? false;
        if (neverSaw) assert.match(String(status), /network error/, `the note says the page never saw ${record.entry.response.status}; the page saw ${String(status)}`);
        else if (record.entry.request.method !== 'OPTIONS' && /network error/.test(String(status)) && (sc.failures ?? 1) === 1 && !sc.dialog)
          assert.fail(`the page saw ${String(status)}, and no note says why it never saw the ${record.entry.response.status}`);
        EVIDENCE[sc.id]?.(record);
        // The detail core's model shows of it agrees with the verdict, on this real failure.
        for (const r of snap.records) checkDetail(r, 'live');
        // The badge counts the tab's failures and names the latest cause.
        const latest = new RegExp(`Latest: ${record.findings[0]!.title.slice(0, 30).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
        const badge = await s.waitForBadge(snap.tabId, String(snap.count), latest);
        assert.equal(badge.text, String(snap.count));
        assert.match(badge.title, latest);
        // The automation hook: a redacted HAR with the findings the extension showed.
        const har = (await hook(ext, { type: 'export-har', tabId, includeSecrets: false })) as Har;
        const failure = har.log.entries[har.log.entries.length - 1];
        assert.ok(failure?._why401?.findings, 'the export carries the findings');
        assert.ok(failure?._why401?.context, 'and the context they were judged on');
        const files: Record<string, string> = { hook: join(exports, `${sc.id}.hook.har`) };
        writeFileSync(files['hook']!, JSON.stringify(har));

        // The panel: what it shows, its three exports, and the hook's file imported into it.
        const panel = await openPanelTab(s, tabId, join(exports, sc.id), snap.records.length);
        await panel.select(-1);
        const live = record.findings.map((f) => f.cause);
        assert.deepEqual(await panel.shownCauses(), live, 'the panel shows the verdict as recorded');
        const shownAuth: string | null = await panel.page.$$eval('.detail .kv th', (ths) => ths.find((t) => /^authorization$/i.test(t.textContent ?? ''))?.nextElementSibling?.querySelector('.masked')?.textContent ?? null) as string | null;
        const exportsByPath: Record<string, Har> = { hook: har };
        for (const [name, label] of [['all', /^HAR of all failures/], ['selected', /^HAR of the selected failure/]] as const) {
          const got = await panel.exportVia(label);
          assert.doesNotMatch(got.name, /WITH-SECRETS/);
          files[name] = join(exports, `${sc.id}.${name}.har`);
          writeFileSync(files[name]!, got.text);
          exportsByPath[name] = JSON.parse(got.text) as Har;
        }
        await panel.page.select('select[aria-label="Filter by cause"]', sc.cause);
        const filtered = await panel.exportVia(/^HAR of (the shown|all) failures/);
        files['filtered'] = join(exports, `${sc.id}.filtered.har`);
        writeFileSync(files['filtered']!, filtered.text);
        exportsByPath['filtered'] = JSON.parse(filtered.text) as Har;
        await panel.importFile(files['hook']!);
        await panel.select(-1);
        assert.deepEqual(await panel.shownCauses(), live, 'the hook export imported into the panel');
        await panel.close();

        // Every exported entry is an exchange the lab really answered: method, URL, status.
        const answered = new Set(s.lab.state.exchanges.map((x) => `${x.method} ${redactUrl(x.url)} ${x.status}`));
        const masks = (h: Har): string[] => (JSON.stringify(h.log.entries.map((e) => [e.request.headers, e.request.url])).match(/\[redacted: [^\]]*\]/g) ?? []).sort();
        for (const [path, h] of Object.entries(exportsByPath)) {
          for (const e of h.log.entries) assert.ok(answered.has(`${e.request.method} ${e.request.url} ${e.response.status}`), `${path}: ${e.request.method} ${e.request.url} ${e.response.status} is not an exchange the lab answered`);
          assert.deepEqual(masks(h).filter((m) => masks(har).includes(m)), masks(h), `${path}: the same masks as the hook's export`);
        }
        if (/^Bearer eyJ/.test(header(record, 'request', 'authorization') ?? '')) assert.ok(shownAuth, 'the panel shows the Authorization masked');
        if (shownAuth !== null) assert.ok(JSON.stringify(har).includes(JSON.stringify(shownAuth).slice(1, -1)), `the panel's mask ${shownAuth} is the export's`);
        exported.push({ id: sc.id, files, live, masks: masks(har) });
        await page.close();
      } finally {
        if (sc.needs403) await hook(ext, { type: 'set-settings', settings: {} });
      }
    });
  }

  it('why401 explain reads every export (hook, panel all / filtered / selected) to the same findings, in the same order, with the same masks', () => {
    assert.ok(exported.length >= SCENARIOS.length - 2);
    for (const x of exported) {
      for (const [path, file] of Object.entries(x.files)) {
        const args = [join(dist, 'cli', 'why401.mjs'), 'explain', '--json', ...(x.id === 'forbidden' ? ['--include-403'] : []), file];
        const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr);
        const report = JSON.parse(r.stdout) as { failures: { findings: { cause: string }[] }[] };
        const last = report.failures[report.failures.length - 1];
        assert.deepEqual(last?.findings.map((f) => f.cause), x.live, `${x.id} (${path})`);
        const printed = (r.stdout.match(/\[redacted: [^\]]*#[0-9a-f]{8}\]/g) ?? []).sort();
        for (const m of printed) assert.ok(x.masks.includes(m), `${x.id} (${path}): the CLI prints the export's mask ${m}`);
      }
    }
  });

  it('the service worker logged no errors', () => {
    assert.deepEqual(s.workerErrors, []);
  });
});
