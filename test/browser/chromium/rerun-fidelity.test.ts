/**
 * "Re-run as sent" is as sent, or says beforehand that it cannot be (real Chromium, the built
 * extension, the lab's log as witness). A cross-site iframe (api.test inside app.test) calls its
 * own API: the browser withholds the SameSite=Strict session cookie, the server answers 401. A
 * re-run cannot run in that frame; from the extension the browser judges cookies in another
 * context and the withheld cookie goes along — the lab answers 200 to it. The panel must say so
 * before the re-run, and must not call the failure "Fixed" after it. Clearing the widget's site
 * cookies acts in the page's partition only. With DevTools open, the re-run runs in the frame that
 * sent the original (DevTools lists its document; its eval takes a frame's URL): the same request.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { root } from '../../helpers/build.ts';
import { chooseAction } from '../helpers/actions.ts';
import { launch, type Session } from '../helpers/chromium.ts';
import { openPanelTab } from '../helpers/panel-tab.ts';
import { openPanel, panelErrors, selectRow } from '../helpers/devtools.ts';
import type { Frame } from 'puppeteer-core';

describe('re-run fidelity in Chromium: a cross-site iframe’s failure', () => {
  let s: Session;
  const downloads = mkdtempSync(join(tmpdir(), 'why401-rerun-'));
  before(async () => {
    s = await launch();
  });
  after(async () => {
    await s?.close();
    rmSync(downloads, { recursive: true, force: true });
  });

  it('says beforehand which cookie will differ; the lab sees it go along; the failure is not "Fixed"', async () => {
    const { page, tabId } = await s.labPage();
    // Sign in to api.test at the top level: a SameSite=Strict session cookie.
    await page.goto(s.lab.url('api.test', `/s/session/login?cookie=sid_strict&samesite=Strict&next=${encodeURIComponent(s.lab.url('app.test', '/'))}`), { waitUntil: 'load' });
    await page.waitForFunction(() => location.hostname === 'app.test');
    // app.test embeds api.test; the frame calls its own API, with credentials.
    const meUrl = s.lab.url('api.test', '/s/session/me?cookie=sid_strict');
    await page.evaluate((src) => {
      const f = document.createElement('iframe');
      f.src = src;
      f.id = 'widget';
      document.body.append(f);
    }, s.lab.url('api.test', '/'));
    const frame = await (async () => {
      for (const until = Date.now() + 10_000; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
        const f = page.frames().find((x) => x.url().startsWith(s.lab.url('api.test', '/')));
        if (f) return f;
      }
      throw new Error(`the cross-site frame did not load: ${page.frames().map((x) => x.url()).join(', ')} (wanted ${s.lab.url('api.test', '/')})`);
    })();
    const call = () => frame.evaluate((u) => fetch(u, { credentials: 'include' }).then((r) => r.status), meUrl);
    assert.equal(await call(), 401, 'the browser withheld the SameSite=Strict cookie from the cross-site frame');
    let snap = await s.waitForRecords(tabId, 1);
    const first = snap.records.at(-1)!;
    assert.equal(first.findings[0]?.cause, 'cookie-blocked');
    assert.notEqual(first.entry._why401?.frameId, 0, 'sent by a frame');

    // It carried no cookie at all: "as sent" goes without cookies too — the same request, no warning.
    const panel = await openPanelTab(s, tabId, downloads);
    await panel.select(-1);
    assert.equal(await panel.page.$('.where.differs'), null, 'nothing differs');

    // Now the frame signs in to something of its own: a partitioned cookie (CHIPS) under app.test,
    // which its calls carry; the Strict one is still withheld.
    assert.equal(await frame.evaluate(() => fetch('/s/session/login?cookie=sid_chip&samesite=None&partitioned=1', { method: 'POST', credentials: 'include' }).then((r) => r.status)), 200);
    assert.equal(await call(), 401);
    snap = await s.waitForRecords(tabId, 2);
    const record = snap.records.at(-1)!;
    assert.match(record.entry.request.headers.find((h) => h.name.toLowerCase() === 'cookie')?.value ?? '', /sid_chip=/, JSON.stringify({ jar: record.entry._why401?.cookieJar, findings: record.findings.map((f) => f.title) }));
    await panel.page.waitForFunction((n) => Number(document.querySelector('.list')?.getAttribute('aria-rowcount')) - 1 >= n, {}, 2);
    await panel.select(-1);
    const warning = await panel.page.$eval('.where.differs', (e) => e.textContent ?? '');
    assert.match(warning, /will not be the same request/);
    assert.match(warning, /"sid_strict" was withheld from the original \(it is SameSite=Strict and this request is cross-site\)/);
    const before = s.lab.state.exchanges.filter((x) => x.url.includes('/s/session/me?cookie=sid_strict')).length;
    await chooseAction(panel.page, /^Re-run( as sent)?$/);
    await panel.page.waitForFunction(() => /→ 200/.test(document.querySelector('.reruns')?.textContent ?? ''), { timeout: 10_000 });
    // The witness: the lab answered the re-run 200 — the withheld cookie went along.
    const rerun = s.lab.state.exchanges.filter((x) => x.url.includes('/s/session/me?cookie=sid_strict')).slice(before);
    assert.deepEqual(rerun.map((x) => x.status), [200]);
    const line = await panel.page.$eval('.reruns li', (e) => ({ text: e.textContent ?? '', ok: e.classList.contains('ok') }));
    assert.equal(line.ok, false, 'not shown as a success');
    assert.match(line.text, /not the same request as the original/);
    assert.doesNotMatch(await panel.page.$eval('.verdict h2', (e) => e.textContent ?? ''), /^Fixed/);
    assert.match(await panel.page.$eval('.statusbar', (e) => e.textContent ?? ''), /Re-run → 200 OK: not the same request/);
    assert.match(await panel.page.$eval('.finding', (e) => e.textContent ?? '').catch(() => ''), /a frame of https:\/\/api\.test inside a page of https:\/\/app\.test/);
    assert.doesNotMatch(await panel.page.$eval('.row.selected', (e) => e.textContent ?? ''), /Fixed/);
    const stored = (await s.snapshot(tabId)).records.at(-1)!.reruns?.at(-1);
    assert.equal(stored?.status, 200);
    assert.ok(stored?.differs?.some((d) => d.includes('sid_strict')), 'the background keeps what differed');
    await panel.page.setViewport({ width: 900, height: 700 });
    await panel.page.screenshot({ path: join(root, 'test-results', 'rerun-fidelity.png') });

    // Clear site cookies on the widget's failure: its cookies in this page's partition (under
    // app.test) go; the same widget's cookie under another site (other.test) stays, and is counted.
    const apiUrl = s.lab.url('api.test', '/');
    const partitioned = async () =>
      (await s.inExtension(async (u) => chrome.cookies.getAll({ url: u, partitionKey: {} }), apiUrl)).filter((c) => c.partitionKey).map((c) => `${c.name}@${c.partitionKey?.topLevelSite}`).sort();
    assert.ok(await s.inExtension(async (u) => !!(await chrome.cookies.set({ url: u, name: 'wsid', value: 'elsewhere', secure: true, sameSite: 'no_restriction', partitionKey: { topLevelSite: 'https://other.test' } })), apiUrl));
    const heldBefore = await partitioned();
    assert.deepEqual(heldBefore, ['sid_chip@https://app.test', 'wsid@https://other.test']);
    await chooseAction(panel.page, 'Clear site cookies…');
    await panel.page.waitForSelector('.cookie-list');
    const listed = await panel.page.$$eval('.cookie-list li', (lis) => lis.map((l) => l.textContent ?? ''));
    assert.ok(listed.some((t) => /^sid_chip.*partitioned under app\.test$/.test(t)), listed.join(' | '));
    assert.ok(!listed.some((t) => /wsid/.test(t)), `the other site's partition is not listed: ${listed.join(' | ')}`);
    assert.match(await panel.page.$eval('.other-partitions', (e) => e.textContent ?? ''), /^Kept: 1 under other\.test/);
    await panel.page.screenshot({ path: join(root, 'test-results', 'clear-partitioned.png') });
    await panel.page.click('.confirm button.primary');
    await panel.page.waitForFunction(() => /Cleared 2 cookies/.test(document.querySelector('.undo')?.textContent ?? ''));
    assert.deepEqual(await partitioned(), ['wsid@https://other.test'], 'only the partition under app.test was cleared');
    await panel.page.click('.undo button.primary');
    await panel.page.waitForFunction(() => /Restored/.test(document.querySelector('.statusbar')?.textContent ?? ''));
    assert.deepEqual(await partitioned(), heldBefore, 'Undo brings it back, in its partition');
    await panel.close();
    await page.close();
  });
});

describe('re-run fidelity in Chromium DevTools: in the frame that sent it', () => {
  let s: Session;
  before(async () => {
    s = await launch({ devtools: true });
  });
  after(async () => {
    await s?.close();
  });

  it('re-runs a cross-site frame’s failure in that frame: the browser withholds what it withheld, and the lab answers 401 again', async () => {
    const p = await openPanel(s);
    const errors = panelErrors(p, s);
    const { page, frame: panel, tabId } = p;
    await page.goto(s.lab.url('api.test', `/s/session/login?cookie=sid_strict&samesite=Strict&next=${encodeURIComponent(s.lab.url('app.test', '/'))}`), { waitUntil: 'load' });
    await page.waitForFunction(() => location.hostname === 'app.test');
    const widgetUrl = s.lab.url('api.test', '/?widget=1');
    await page.evaluate((src) => {
      const f = document.createElement('iframe');
      f.src = src;
      document.body.append(f);
    }, widgetUrl);
    let widget: Frame | undefined;
    for (const until = Date.now() + 10_000; !(widget = page.frames().find((x) => x.url() === widgetUrl)); await new Promise((r) => setTimeout(r, 100))) {
      if (Date.now() > until) throw new Error(`the cross-site frame did not load: ${page.frames().map((x) => x.url()).join(', ')}`);
    }
    // The widget signs in to a partitioned cookie of its own, which its calls carry; the Strict one is withheld.
    assert.equal(await widget.evaluate(() => fetch('/s/session/login?cookie=sid_chip&samesite=None&partitioned=1', { method: 'POST', credentials: 'include' }).then((r) => r.status)), 200);
    const meUrl = s.lab.url('api.test', '/s/session/me?cookie=sid_strict');
    assert.equal(await widget.evaluate((u) => fetch(u, { credentials: 'include' }).then((r) => r.status), meUrl), 401);
    await s.waitForRecords(tabId, 1);
    await panel.waitForFunction(() => document.querySelectorAll('.row').length >= 1, { timeout: 15_000 });
    await selectRow(panel, -1);
    // Before the re-run: where it goes (the widget's own document), and nothing differs.
    await panel.waitForFunction(() => /in the frame that sent it/.test(document.querySelector('.detail')?.textContent ?? ''), { timeout: 10_000 });
    assert.match(await panel.$eval('.detail', (e) => e.textContent ?? ''), /in the frame that sent it \(https:\/\/api\.test:\d+\/\?widget=1/);
    assert.equal(await panel.$('.where.differs'), null, 'the same request: nothing to warn of');
    const before = s.lab.state.exchanges.filter((x) => x.url.includes('/s/session/me?cookie=sid_strict')).length;
    await chooseAction(panel, /^Re-run( as sent)?$/);
    await panel.waitForFunction(() => /→ 401/.test(document.querySelector('.reruns')?.textContent ?? ''), { timeout: 15_000 });
    // The witness: the lab saw one more call and answered it 401 — sid_strict stayed withheld, as in the original.
    const rerun = s.lab.state.exchanges.filter((x) => x.url.includes('/s/session/me?cookie=sid_strict')).slice(before);
    assert.deepEqual(rerun.map((x) => x.status), [401]);
    const line = await panel.$eval('.reruns li', (e) => e.textContent ?? '');
    assert.match(line, /as sent \(in the frame that sent it\)/);
    assert.doesNotMatch(line, /not the same request/);
    const stored = (await s.snapshot(tabId)).records.at(-1)!.reruns?.at(-1);
    assert.equal(stored?.context, 'frame');
    assert.equal(stored?.status, 401);
    assert.equal(stored?.differs, undefined);
    // The re-run is attributed to the failure, not listed as a new one.
    assert.equal((await s.snapshot(tabId)).records.length, 1);
    await p.devtools.screenshot({ path: join(root, 'test-results', 'rerun-in-frame.png') });
    assert.deepEqual(errors, []);
    await page.close();
  });
});
