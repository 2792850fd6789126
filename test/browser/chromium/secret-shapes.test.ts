/**
 * The generated secret shapes (test/helpers/secret-shapes.ts) in the real extension: the lab page
 * sends every shape a page can send (not a URL's userinfo, which fetch refuses, nor Basic
 * credentials, which open the browser's sign-in prompt), the lab answers each with its generated
 * response, and Why 401 captures them. Then no canary may be in the DOM — text, attributes,
 * everything — of the popup, of the panel's list, or of any failure's detail with every section
 * open; nor of the panel after the whole generated HAR (every shape) is imported. The canaries
 * are in storage.session (the requests as sent, to reveal and re-run them), which proves they
 * were captured and the checks can fail.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'puppeteer-core';
import { har } from '../../helpers/har.ts';
import { secretShapes, type SecretShape } from '../../helpers/secret-shapes.ts';
import { launch, type Session } from '../helpers/chromium.ts';

const shapes = secretShapes();
/** What a page can send: no userinfo (fetch refuses it), no Basic (the browser would prompt). */
const live = shapes.map((shape, i) => ({ shape, i })).filter(({ shape }) => !/^(userinfo user|Basic user name)/.test(shape.id) && shape.entry.response.status === 401);

function leaks(text: string, list: readonly SecretShape[]): string[] {
  return list.filter((s) => text.includes(s.canary)).map((s) => s.id);
}

/** Everything a page's DOM holds: its markup with attributes, and its text. */
const domText = (page: Page) => page.evaluate(() => `${document.documentElement.outerHTML}\n${document.body.innerText}`);

/** The number of rows in the panel's list (it is virtualised: only the visible ones are drawn). */
const rowCount = (page: Page) => page.$eval('.list', (l) => Number(l.getAttribute('aria-rowcount')) - 1);

/** Select every row of the panel's list in turn by keyboard, every section open, and gather the DOM each time. */
async function everyDetail(page: Page): Promise<string[]> {
  const rows = await rowCount(page);
  const seen: string[] = [];
  for (let i = 0; i < rows; i++) {
    const html = await page.evaluate(async (first) => {
      const body = document.querySelector('.list-body') as HTMLElement;
      body.focus();
      body.dispatchEvent(new KeyboardEvent('keydown', { key: first ? 'Home' : 'ArrowDown', bubbles: true, cancelable: true }));
      await new Promise((r) => setTimeout(r, 0));
      for (const d of document.querySelectorAll('details')) d.open = true;
      await new Promise((r) => setTimeout(r, 0));
      return `${document.documentElement.outerHTML}\n${document.body.innerText}`;
    }, i === 0);
    seen.push(html);
  }
  return seen;
}

/**
 * Repeats are grouped into one row (core/verdict/burst.ts): the grouped rows' details (their "×N" notes)
 * are checked, then "Show each" lists every failure for the rest.
 */
async function groupedThenEach(page: Page, check: (html: string) => void): Promise<void> {
  const toggle = await page.$('.statusbar .group-toggle');
  if (!toggle) return;
  for (const html of await everyDetail(page)) check(html);
  await toggle.click();
  await page.waitForSelector('.statusbar .group-toggle[aria-pressed="true"]');
}

describe('generated secret shapes in the real popup and panel (Chromium)', () => {
  let s: Session;
  let tabId: number;
  let captured: SecretShape[] = [];
  before(async () => {
    s = await launch();
    let lab: Page;
    ({ page: lab, tabId } = await s.labPage());
    const requests = live.map(({ shape, i }) => {
      const u = new URL(shape.entry.request.url);
      const params = u.pathname.includes(';') ? u.pathname.slice(u.pathname.indexOf(';')) : '';
      const headers = Object.fromEntries(shape.entry.request.headers.map((h) => [h.name, h.value]));
      const post = shape.entry.request.postData;
      if (post) headers['Content-Type'] = post.mimeType;
      return { url: `/s/shape${params}?i=${i}${u.search ? `&${u.search.slice(1)}` : ''}${u.hash}`, method: shape.entry.request.method, headers, body: post?.text ?? null };
    });
    await lab.evaluate(async (list) => {
      for (const r of list) await fetch(r.url, { method: r.method, headers: r.headers, body: r.body, credentials: 'same-origin' });
    }, requests);
    const snap = await s.waitForRecords(tabId, requests.length, 60_000);
    assert.equal(snap.records.length, requests.length, 'every shape sent was captured');
    // The canaries that reached the capture (a fragment never leaves the page).
    const stored = JSON.stringify(snap.records.map((r) => r.entry));
    captured = live.map(({ shape }) => shape).filter((shape) => stored.includes(shape.canary));
  });
  after(async () => {
    await s?.close();
  });

  it('the capture holds the canaries (the requests as sent), so the checks below can fail', () => {
    // Bodies are not captured (webRequest gives none; DevTools gives the panel the response's):
    // every shape in a URL or a header is.
    const inUrlOrHeader = live.filter(({ shape }) => /^(query|path parameter|request header|response header|challenge echo|non-JWT)/.test(shape.id)).map(({ shape }) => shape.id);
    assert.deepEqual(inUrlOrHeader.filter((id) => !captured.some((c) => c.id === id)), []);
    assert.ok(captured.length >= 60, `${captured.length} of ${live.length} shapes' canaries captured`);
  });

  it('the popup shows none', async () => {
    const popup = await s.browser.newPage();
    await popup.setViewport({ width: 380, height: 600 });
    await popup.goto(`chrome-extension://${s.extensionId}/popup.html?tab=${tabId}`, { waitUntil: 'load' });
    await popup.waitForSelector('.failures .failure', { timeout: 10_000 });
    assert.deepEqual(leaks(await domText(popup), captured), []);
    await popup.close();
  });

  it("the panel's list and every failure's detail, all sections open, show none", async () => {
    const panel = await s.browser.newPage();
    await panel.setViewport({ width: 1100, height: 800 });
    await panel.goto(`chrome-extension://${s.extensionId}/panel.html?tab=${tabId}`, { waitUntil: 'load' });
    await panel.waitForSelector('.row');
    await panel.waitForFunction((n) => Number(document.querySelector('.list')?.getAttribute('aria-rowcount')) - 1 + Number(/and (\d+) repeat/.exec(document.querySelector('.statusbar .count')?.textContent ?? '')?.[1] ?? 0) >= n, { timeout: 20_000 }, live.length);
    assert.deepEqual(leaks(await domText(panel), captured), [], 'the list');
    await groupedThenEach(panel, (html) => assert.deepEqual(leaks(html, captured), [], 'a grouped row’s detail'));
    await panel.waitForFunction((n) => Number(document.querySelector('.list')?.getAttribute('aria-rowcount')) - 1 >= n, { timeout: 20_000 }, live.length);
    const details = await everyDetail(panel);
    assert.equal(details.length, live.length, 'every failure visited');
    const found = new Set<string>();
    for (const html of details) for (const id of leaks(html, captured)) found.add(id);
    assert.deepEqual([...found], [], 'the details');
    await panel.close();
  });

  it('the whole generated HAR imported into the panel: no canary in the list or any detail', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'why401-shapes-'));
    try {
      const file = join(dir, 'shapes.har');
      writeFileSync(file, JSON.stringify(har(shapes.map((x) => x.entry))));
      const panel = await s.browser.newPage();
      await panel.setViewport({ width: 1100, height: 800 });
      await panel.goto(`chrome-extension://${s.extensionId}/panel.html?tab=${tabId}`, { waitUntil: 'load' });
      await panel.waitForSelector('.row');
      const input = await panel.$('input[type=file]');
      await input!.uploadFile(file);
      await panel.waitForFunction(() => /shapes\.har/.test(document.body.innerText), { timeout: 30_000 });
      const failing = shapes.filter((x) => x.entry.response.status === 401);
      assert.deepEqual(leaks(await domText(panel), shapes), [], 'the list');
      await groupedThenEach(panel, (html) => assert.deepEqual(leaks(html, shapes), [], 'a grouped row’s detail'));
      await panel.waitForFunction((n) => Number(document.querySelector('.list')?.getAttribute('aria-rowcount')) - 1 === n, { timeout: 20_000 }, failing.length);
      const found = new Set<string>();
      const details = await everyDetail(panel);
      assert.equal(details.length, failing.length, 'every failure visited');
      for (const html of details) for (const id of leaks(html, shapes)) found.add(id);
      assert.deepEqual([...found], [], 'the details');
      // The file's sign-in flows (the shapes' flow places), every finding shown.
      await panel.click('.statusbar .sign-in-toggle');
      await panel.waitForFunction(() => document.querySelectorAll('.sign-in li.flow .flow-finding').length >= 3, { timeout: 10_000 });
      assert.match(await panel.$eval('.sign-in-count', (e) => e.textContent ?? ''), /in shapes\.har, 3 broken/);
      assert.deepEqual(leaks(await domText(panel), shapes), [], 'the sign-in view');
      await panel.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
