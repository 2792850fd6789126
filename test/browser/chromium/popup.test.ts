/**
 * The toolbar in real Chromium: the popup (opened as a tab pointed at popup.html?tab=ID) shows
 * the verdicts in plain words, clears the site's cookies and undoes it identically, reloads as a
 * second step, pauses capture; settings persist across a service-worker restart and change what
 * is captured; the badge flashes in alert mode. Screenshots in light and dark go to test-results/.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'puppeteer-core';
import { root } from '../../helpers/build.ts';
import { launch, runScenario, type Session } from '../helpers/chromium.ts';

const results = join(root, 'test-results');
mkdirSync(results, { recursive: true });

async function popup(s: Session, tabId: number, scheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const page = await s.browser.newPage();
  await page.setViewport({ width: 380, height: 600 });
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
  await page.goto(`chrome-extension://${s.extensionId}/popup.html?tab=${tabId}`, { waitUntil: 'load' });
  await page.waitForSelector('.popup');
  await page.waitForFunction(() => !document.querySelector('.summary') || !document.querySelector('.summary')?.textContent?.endsWith('…'));
  return page;
}

const clickText = async (page: Page, text: string) => {
  const buttons = await page.$$('button');
  for (const b of buttons) if ((await b.evaluate((e) => e.textContent ?? '')).startsWith(text)) return b.click();
  throw new Error(`no button "${text}"`);
};

describe('popup, badge and settings in Chromium', () => {
  let s: Session;
  before(async () => {
    s = await launch();
  });
  after(async () => {
    await s?.close();
  });

  it('explains the tab’s failures in plain words, with what to do', async () => {
    const { page, tabId } = await s.labPage();
    await runScenario(page, 'token-expired');
    await runScenario(page, 'session-cookie-missing');
    await s.waitForRecords(tabId, 2);
    const p = await popup(s, tabId);
    assert.match(await p.$eval('.summary', (e) => e.textContent ?? ''), /app\.test — 2 sign-in failures in this tab/);
    const items = await p.$$eval('.failure .plain', (els) => els.map((e) => e.textContent ?? ''));
    assert.equal(items[0], 'You’re signed out of app.test: the site removed your session (POST /s/session/logout signed you out).'.replace('’', "'"));
    assert.match(items[1]!, /^You're signed out of api\.test: your sign-in token expired at \d\d:\d\d UTC\.$/);
    assert.match(await p.$eval('.failure .todo', (e) => e.textContent ?? ''), /^What to do: Sign in again/);
    assert.match(await p.$eval('.devtools', (e) => e.textContent ?? ''), /open DevTools \(F12 or Ctrl\+Shift\+I\) and choose the Why 401 panel/);
    const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(await background(p), 'rgb(255, 255, 255)', 'light system theme: the light palette');
    await p.screenshot({ path: join(results, 'popup-light.png') });
    await p.close();
    const dark = await popup(s, tabId, 'dark');
    assert.equal(await background(dark), 'rgb(32, 33, 36)', 'dark system theme: the dark palette');
    await dark.screenshot({ path: join(results, 'popup-dark.png') });
    // The system switching while the popup is open: it follows.
    await dark.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
    await dark.waitForFunction(() => getComputedStyle(document.body).backgroundColor === 'rgb(255, 255, 255)', { timeout: 5_000 });
    await dark.close();
    await page.close();
  });

  it('clears the site’s cookies in one click, Undo restores them identically, reload is a second step', async () => {
    const { page, tabId } = await s.labPage();
    await runScenario(page, 'credentials-not-included'); // sid_app on api.app.test, same site as app.test
    await page.evaluate(() => (window as unknown as { lab: { call(u: string, i: RequestInit): Promise<unknown>; url(h: string, p: string): string } }).lab.call((window as unknown as { lab: { url(h: string, p: string): string } }).lab.url('app.test', '/s/session/login?cookie=sid_main'), { method: 'POST' }));
    const jar = () => s.inExtension(async () => (await chrome.cookies.getAll({ domain: 'app.test' })).map((c) => ({ ...c })).sort((a, b) => `${a.domain}${a.name}`.localeCompare(`${b.domain}${b.name}`)), null);
    const before = await jar();
    assert.deepEqual(before.map((c) => c.name).sort(), ['sid_app', 'sid_main']);
    const p = await popup(s, tabId);
    await p.waitForFunction(() => /^Clear 2 cookies for app\.test/.test([...document.querySelectorAll('button')].map((b) => b.textContent).join('|').split('|').find((t) => t?.startsWith('Clear')) ?? ''));
    await clickText(p, 'Clear 2 cookies for app.test');
    await p.waitForSelector('.undo');
    assert.match(await p.$eval('.undo', (e) => e.textContent ?? ''), /Cleared 2 cookies for app\.test/);
    assert.deepEqual(await jar(), [], 'the cookies are gone from the browser');
    await clickText(p, 'Undo');
    await p.waitForFunction(() => !document.querySelector('.undo'));
    assert.deepEqual(await jar(), before, 'every cookie back with every attribute');
    // Clear again, then reload as a second step.
    await p.reload({ waitUntil: 'load' });
    await p.waitForFunction(() => [...document.querySelectorAll('button')].some((b) => b.textContent?.startsWith('Clear 2 cookies')));
    await clickText(p, 'Clear 2 cookies');
    await p.waitForSelector('.undo');
    const loadsBefore = await page.evaluate(() => performance.timeOrigin);
    await clickText(p, 'Reload the page').catch(() => undefined);
    await page.waitForFunction((t) => performance.timeOrigin !== t, { timeout: 10_000 }, loadsBefore);
    await page.close();
  });

  it('pausing the site stops counting its failures; resuming counts them again', async () => {
    const { page, tabId } = await s.labPage();
    const p = await popup(s, tabId);
    await clickText(p, 'Ignore app.test');
    await p.waitForFunction(() => [...document.querySelectorAll('button')].some((b) => b.textContent === 'Stop ignoring app.test'));
    await runScenario(page, 'missing-credentials');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await s.snapshot(tabId)).count, 0, 'paused: not counted');
    await clickText(p, 'Stop ignoring app.test');
    await p.waitForFunction(() => [...document.querySelectorAll('button')].some((b) => b.textContent === 'Ignore app.test'));
    await runScenario(page, 'missing-credentials');
    assert.equal((await s.waitForRecords(tabId, 1)).count, 1);
    await p.close();
    await page.close();
  });

  it('says so on pages the extension may not access', async () => {
    const ids = () => s.inExtension(async () => (await chrome.tabs.query({})).map((t) => t.id ?? -1), null);
    const before = new Set(await ids());
    const page = await s.browser.newPage();
    await page.goto('chrome://version');
    // Extensions do not even see the address of the browser's own pages: find the new tab by id.
    const tabId = (await ids()).find((id) => !before.has(id)) ?? -1;
    assert.ok(tabId > 0);
    const p = await popup(s, tabId);
    await p.waitForSelector('.notice');
    assert.match(await p.$eval('.notice', (e) => e.textContent ?? ''), /cannot look at this page/);
    await p.close();
    await page.close();
  });

  it('settings persist across a service-worker restart and change what is captured', async () => {
    const opts = await s.browser.newPage();
    await opts.setViewport({ width: 900, height: 1200 });
    await opts.goto(`chrome-extension://${s.extensionId}/options.html`, { waitUntil: 'load' });
    await opts.waitForSelector('section');
    await opts.screenshot({ path: join(results, 'options-light.png') });
    // Turn 403s on in the page, as a user would.
    const box = await opts.$$('label.check input');
    await box[2]!.click(); // 403 Forbidden
    await opts.waitForFunction(() => /Saved/.test(document.querySelector('.status')?.textContent ?? ''));
    await s.stopWorkers();
    const { page, tabId } = await s.labPage();
    await runScenario(page, 'forbidden');
    const snap = await s.waitForRecords(tabId, 1);
    assert.equal(snap.records[0]?.findings[0]?.cause, 'forbidden', 'the restarted worker applies the saved setting');
    await opts.reload({ waitUntil: 'load' });
    await opts.waitForSelector('section');
    assert.equal(await opts.$$eval('label.check input', (els) => (els[2] as HTMLInputElement).checked), true, 'the setting persisted');
    await opts.bringToFront(); // puppeteer's click waits for a frame, which a background tab never paints
    await (await opts.$$('label.check input'))[2]!.click();
    await opts.waitForFunction(() => /Saved/.test(document.querySelector('.status')?.textContent ?? ''));
    await opts.close();
    await page.close();
  });

  it('alert mode flashes the badge when a failure arrives', async () => {
    await s.request({ type: 'set-settings', settings: { badgeAlert: true } });
    try {
      const { page, tabId } = await s.labPage();
      const watch = s.inExtension(async (id) => {
        const seen = new Set<string>();
        const until = Date.now() + 2500;
        while (Date.now() < until) {
          const c = await chrome.action.getBadgeBackgroundColor({ tabId: id });
          seen.add(c.join(','));
          await new Promise((r) => setTimeout(r, 15));
        }
        return [...seen];
      }, tabId);
      await new Promise((r) => setTimeout(r, 100));
      await runScenario(page, 'missing-credentials');
      const colors = await watch;
      assert.ok(colors.includes('255,179,0,255'), `the flash colour appeared: ${colors.join(' | ')}`);
      assert.equal((await s.waitForBadge(tabId, '1')).text, '1');
      await page.close();
    } finally {
      await s.request({ type: 'set-settings', settings: {} });
    }
  });
});
