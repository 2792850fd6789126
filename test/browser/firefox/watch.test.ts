/**
 * Watching and a real pause in real Firefox ESR (issue 25), as in Chromium's watch.test.ts: a
 * fresh install hears nothing until "Start watching"; the popup's switch pauses — the event
 * page's listeners go, and the webRequest permissions (with the two that read token answers) are
 * given back — and a real click resumes; nothing captured before is lost. A site the user's
 * per-site permissions leave out is not heard. Screenshots go to test-results/.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'puppeteer-core';
import { root } from '../../helpers/build.ts';
import { runScenario } from '../helpers/chromium.ts';
import { gotoExtensionPage, launchFirefox, waitForSelectorIn, waitInPage, type FirefoxSession } from '../helpers/firefox.ts';

const results = join(root, 'test-results');
mkdirSync(results, { recursive: true });

type Browserish = { browser: typeof chrome };
const settle = () => new Promise((r) => setTimeout(r, 800));

describe('Firefox: watching and a real pause', () => {
  let s: FirefoxSession;
  before(async () => {
    s = await launchFirefox({ startWatching: false });
  });
  after(async () => {
    await s?.close();
  });

  const permissions = () => s.ext.evaluate(async () => (await (globalThis as unknown as Browserish).browser.permissions.getAll()).permissions ?? []);
  const listening = async () => (await s.request<{ listening: boolean }>({ type: 'get-watch' })).listening;

  async function popup(tabId: number): Promise<Page> {
    const page = await s.browser.newPage();
    await page.setViewport({ width: 380, height: 520 }).catch((e: unknown) => {
      if (!/setScreenOrientationOverride/.test(String(e))) throw e;
    });
    await gotoExtensionPage(page, s.lab.url('app.test', '/', 'http'), `${s.base}popup.html?tab=${tabId}`);
    await waitForSelectorIn(page, '.watch-switch');
    return page;
  }

  it('not watching until "Start watching"; the switch pauses (permissions given back, nothing heard, nothing lost) and a click resumes', async () => {
    assert.equal(await listening(), false);
    assert.ok(!(await permissions()).includes('webRequest'), 'no webRequest permission before the user starts');
    const page = await s.browser.newPage();
    await page.goto(s.lab.url('app.test', '/'));
    const tabId = await s.tabIdOf(page);
    await runScenario(page, 'token-expired');
    await settle();
    assert.equal((await s.snapshot(tabId)).records.length, 0, 'not watching: nothing captured');
    assert.equal(await s.badgeText(tabId), 'off');
    // Never started: the popup and the panel say so, not "paused".
    const first = await popup(tabId);
    await waitForSelectorIn(first, '.notice.paused');
    assert.match((await first.evaluate(() => document.querySelector('.notice.paused')?.textContent)) ?? '', /^Not started yet\. Why 401 hears no requests until you start it\..*Start watching$/);
    assert.equal(await first.evaluate(() => document.querySelector('.watch-switch')?.textContent), 'Not started');
    await new Promise((r) => setTimeout(r, 300)); // the switch's transition
    await first.screenshot({ path: join(results, 'firefox-popup-not-started.png') });
    await first.close();
    const firstPanel = await s.browser.newPage();
    await gotoExtensionPage(firstPanel, s.lab.url('app.test', '/', 'http'), `${s.base}panel.html?tab=${tabId}`);
    await waitForSelectorIn(firstPanel, '.banner.paused');
    assert.match((await firstPanel.evaluate(() => document.querySelector('.banner.paused')?.textContent)) ?? '', /Why 401 has not started watching yet: it hears no requests until you start it\. Start watching/);
    await firstPanel.close();

    await s.ext.bringToFront();
    await waitForSelectorIn(s.ext, '#start-watching');
    await s.ext.click('#start-watching');
    await waitInPage(s.ext, () => document.querySelector('.watching h2')?.textContent === 'Watching');
    await s.ext.screenshot({ path: join(results, 'firefox-options-watching.png') });
    assert.deepEqual((await permissions()).filter((p) => p.startsWith('webRequest')).sort(), ['webRequest', 'webRequestBlocking', 'webRequestFilterResponse']);
    await runScenario(page, 'token-expired');
    assert.equal((await s.waitForRecords(tabId, 1)).records.length, 1);

    const p = await popup(tabId);
    await waitInPage(p, () => document.querySelector('.watch-switch')?.getAttribute('aria-checked') === 'true');
    await p.click('.watch-switch');
    await waitInPage(p, () => document.querySelector('.watch-switch')?.getAttribute('aria-checked') === 'false');
    assert.deepEqual((await permissions()).filter((p) => p.startsWith('webRequest')), [], 'all three given back');
    assert.equal(await s.badgeText(tabId), 'off');
    await new Promise((r) => setTimeout(r, 300)); // the switch's transition
    await p.screenshot({ path: join(results, 'firefox-popup-paused.png') });
    await runScenario(page, 'invalid-token');
    await settle();
    assert.equal((await s.snapshot(tabId)).records.length, 1, 'paused: not heard; the earlier failure kept');
    // The panel (as a page: Firefox's DevTools cannot be automated) says so above the failure it kept.
    const panel = await s.browser.newPage();
    await panel.setViewport({ width: 560, height: 480 }).catch((e: unknown) => {
      if (!/setScreenOrientationOverride/.test(String(e))) throw e;
    });
    await gotoExtensionPage(panel, s.lab.url('app.test', '/', 'http'), `${s.base}panel.html?tab=${tabId}`);
    await waitForSelectorIn(panel, '.banner.paused');
    await waitForSelectorIn(panel, '.row');
    assert.match((await panel.evaluate(() => document.querySelector('.banner.paused')?.textContent)) ?? '', /Why 401 is paused: it hears no requests, so new failures are not listed \(the ones below were captured before\)/);
    await panel.screenshot({ path: join(results, 'firefox-panel-paused.png') });
    await panel.close();

    await waitForSelectorIn(p, '.notice.paused button');
    await p.click('.notice.paused button');
    await waitInPage(p, () => document.querySelector('.watch-switch')?.getAttribute('aria-checked') === 'true');
    assert.equal(await listening(), true);
    await runScenario(page, 'invalid-token');
    assert.equal((await s.waitForRecords(tabId, 2)).records.length, 2, 'resumed: heard again, beside what it had');
    await p.close();
  });

  it('a site the user’s per-site permissions leave out is not heard, and the popup says so', async () => {
    const page = await s.browser.newPage();
    await page.goto(s.lab.url('app.test', '/'));
    const tabId = await s.tabIdOf(page);
    // What about:addons' per-site permissions do: every site withdrawn, other.test allowed.
    await s.ext.evaluate(async () => {
      const b = (globalThis as unknown as Browserish).browser;
      await b.permissions.remove({ origins: ['<all_urls>'] });
    });
    const sites = await s.request<{ sites: { all: boolean; origins: string[] } }>({ type: 'get-watch' });
    assert.equal(sites.sites.all, false);
    await runScenario(page, 'token-expired');
    await settle();
    assert.equal((await s.snapshot(tabId)).records.length, 0, 'left out: not heard');
    const p = await popup(tabId);
    await waitForSelectorIn(p, '.notice.warn');
    assert.match((await p.evaluate(() => document.querySelector('.notice.warn')?.textContent)) ?? '', /cannot see this page.*leaves this site out/);
    await new Promise((r) => setTimeout(r, 300)); // the switch's transition
    await p.screenshot({ path: join(results, 'firefox-popup-site-access.png') });
    await p.close();
  });
});
