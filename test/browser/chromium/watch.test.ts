/**
 * Watching and a real pause in real Chromium (issue 25): a fresh install hears nothing until
 * "Start watching" on its first-run page; the popup's switch pauses — the listeners go and the
 * webRequest permission is given back — and resumes; nothing captured before is lost, across a
 * stopped worker too; the badge says so. The browser's own site access is respected: a site it
 * leaves out is not heard, and the popup says so. Screenshots go to test-results/.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'puppeteer-core';
import { root } from '../../helpers/build.ts';
import { clickAction, launch, onlySites, runScenario, type Session } from '../helpers/chromium.ts';
import { openPanel } from '../helpers/devtools.ts';

const results = join(root, 'test-results');
mkdirSync(results, { recursive: true });

async function popup(s: Session, tabId: number): Promise<Page> {
  const page = await s.browser.newPage();
  await page.setViewport({ width: 380, height: 600 });
  await page.goto(`chrome-extension://${s.extensionId}/popup.html?tab=${tabId}`, { waitUntil: 'load' });
  await page.waitForSelector('.watch-switch');
  return page;
}

const holdsWebRequest = (s: Session) => s.inExtension(() => chrome.permissions.contains({ permissions: ['webRequest'] }), null);
const listening = async (s: Session) => (await s.request<{ listening: boolean }>({ type: 'get-watch' })).listening;
const settle = () => new Promise((r) => setTimeout(r, 600));

describe('watching and a real pause (Chromium)', () => {
  let s: Session;
  before(async () => {
    s = await launch({ startWatching: false });
  });
  after(async () => {
    await s?.close();
  });

  it('a fresh install hears nothing until "Start watching" on its first-run page; then it does', async () => {
    const welcome = (await s.browser.pages()).find((p) => p.url().endsWith('/options.html#welcome'));
    assert.ok(welcome, 'the install opened the first-run page');
    await welcome.bringToFront();
    await welcome.setViewport({ width: 1000, height: 700 });
    await welcome.waitForSelector('#start-watching');
    assert.match(await welcome.$eval('.watching', (e) => e.textContent ?? ''), /Start watching for sign-in failures.*no prompt appears/);
    await new Promise((r) => setTimeout(r, 300)); // the switch's transition
    await welcome.screenshot({ path: join(results, 'first-run.png') });
    assert.equal(await holdsWebRequest(s), false, 'no webRequest permission before the user starts');
    assert.equal(await listening(s), false);

    const { page, tabId } = await s.labPage();
    await runScenario(page, 'token-expired');
    await settle();
    assert.equal((await s.snapshot(tabId)).records.length, 0, 'not watching: nothing captured');
    assert.equal(await s.badgeText(tabId), 'off');
    // The popup of an install never started says so (not "paused"), and starts it.
    const first = await popup(s, tabId);
    await first.waitForSelector('.notice.paused');
    assert.match(await first.$eval('.notice.paused', (e) => e.textContent ?? ''), /^Not started yet\. Why 401 hears no requests until you start it\..*Start watching$/);
    assert.equal(await first.$eval('.watch-switch', (e) => e.textContent), 'Not started');
    await new Promise((r) => setTimeout(r, 300)); // the switch's transition
    await first.screenshot({ path: join(results, 'popup-not-started.png') });
    await first.close();
    // So does the settings page opened on its own (not the first-run tab).
    const settings = await s.browser.newPage();
    await settings.goto(`chrome-extension://${s.extensionId}/options.html`, { waitUntil: 'load' });
    await settings.waitForSelector('#start-watching');
    assert.equal(await settings.$eval('.watching h2', (e) => e.textContent), 'Start watching for sign-in failures');
    assert.equal(await settings.$eval('#start-watching', (e) => e.textContent), 'Start watching');
    await settings.close();

    await welcome.bringToFront();
    await welcome.click('#start-watching');
    await welcome.waitForFunction(() => document.querySelector('.watching h2')?.textContent === 'Watching');
    assert.equal(await holdsWebRequest(s), true, 'granted in the click, without a prompt');
    assert.equal(await listening(s), true);
    await runScenario(page, 'token-expired');
    const snap = await s.waitForRecords(tabId, 1);
    assert.equal(snap.records.length, 1);
    assert.equal((await s.waitForBadge(tabId, '1')).text, '1');
    await welcome.close();
  });

  it('the popup’s switch pauses: no listener, no webRequest permission, nothing heard, nothing lost; the badge says so', async () => {
    const { page, tabId } = await s.labPage();
    await runScenario(page, 'token-expired');
    await s.waitForRecords(tabId, 1);
    const p = await popup(s, tabId);
    assert.equal(await p.$eval('.watch-switch', (e) => e.getAttribute('aria-checked')), 'true');
    await p.click('.watch-switch');
    await p.waitForFunction(() => document.querySelector('.watch-switch')?.getAttribute('aria-checked') === 'false');
    assert.equal(await holdsWebRequest(s), false, 'the permission is given back');
    assert.equal((await s.request<{ listening?: boolean }>({ type: 'get-diagnostics' })).listening, false);
    const badge = await s.waitForBadge(tabId, 'off');
    assert.equal(badge.text, 'off');
    assert.match(badge.title, /paused.*The 1 failure it captured in this tab before is kept/);
    assert.match(await p.$eval('.notice.paused', (e) => e.textContent ?? ''), /Paused\..*captured before the pause/);
    assert.equal((await p.$$('.failure')).length, 1, 'the failure captured before is still shown');
    await new Promise((r) => setTimeout(r, 300)); // the switch's transition
    await p.screenshot({ path: join(results, 'popup-paused.png') });

    // Paused, nothing of a page wakes the worker: not a request, not a navigation, not a cookie.
    await s.stopWorkers();
    await page.goto(s.lab.url('app.test', '/'), { waitUntil: 'load' });
    await page.evaluate(() => void (document.cookie = 'paused-probe=1; path=/'));
    await runScenario(page, 'invalid-token');
    await settle();
    assert.equal(await s.workerRunning(), false, 'the stopped worker stayed stopped through a page load, a cookie and a 401');
    assert.equal((await s.snapshot(tabId)).records.length, 1, 'paused: the new 401 is not captured; the old one is kept');

    // A worker stopped and started while paused stays paused, and keeps what it had.
    await s.stopWorkers();
    await s.request({ type: 'get-settings' });
    await runScenario(page, 'invalid-token');
    await settle();
    assert.equal(await listening(s), false);
    assert.equal((await s.snapshot(tabId)).records.length, 1);

    // Resume from the popup: one click, no prompt.
    await p.reload({ waitUntil: 'load' });
    await p.waitForSelector('.notice.paused button');
    await p.click('.notice.paused button');
    await p.waitForFunction(() => document.querySelector('.watch-switch')?.getAttribute('aria-checked') === 'true');
    assert.equal(await holdsWebRequest(s), true);
    await runScenario(page, 'invalid-token');
    const after = await s.waitForRecords(tabId, 2);
    assert.equal(after.records.length, 2, 'resumed: heard again, beside what it had');
    assert.equal((await s.waitForBadge(tabId, '2')).text, '2');
    await p.close();
  });

  it('the settings page pauses and resumes; a permission given back elsewhere is followed (the badge says off)', async () => {
    const { page, tabId } = await s.labPage();
    const o = await s.browser.newPage();
    await o.setViewport({ width: 900, height: 700 });
    await o.goto(`chrome-extension://${s.extensionId}/options.html`, { waitUntil: 'load' });
    await o.waitForSelector('#pause-watching');
    await o.click('#pause-watching');
    await o.waitForSelector('#start-watching');
    assert.equal(await listening(s), false);
    assert.equal(await holdsWebRequest(s), false);
    await o.screenshot({ path: join(results, 'options-paused.png') });
    await o.click('#start-watching');
    await o.waitForSelector('#pause-watching');
    assert.equal(await holdsWebRequest(s), true);
    await o.close();
    // Given back by another of the extension's pages, not through the background: it follows.
    await s.inExtension(() => chrome.permissions.remove({ permissions: ['webRequest'] }), null);
    assert.equal((await s.waitForBadge(tabId, 'off', undefined, 5000)).text, 'off', 'the worker heard the permission go');
    await runScenario(page, 'token-expired');
    await settle();
    assert.equal((await s.snapshot(tabId)).records.length, 0);
    const p = await popup(s, tabId);
    await p.click('.watch-switch');
    await p.waitForFunction(() => document.querySelector('.watch-switch')?.getAttribute('aria-checked') === 'true');
    await p.close();
    await page.close();
  });

  it('the browser’s site access is respected: a site it leaves out is not heard, and the popup says so', async () => {
    // The tab first: with its site left out, tabs.query no longer shows Why 401 its title.
    const { page, tabId } = await s.labPage();
    // What a user sets in Chrome's extension menu ("On specific sites"): only other.test.
    await onlySites(s, ['https://other.test/*']);
    const sites = await s.request<{ sites: { all: boolean; origins: string[] } }>({ type: 'get-watch' });
    assert.deepEqual(sites.sites, { all: false, origins: ['https://other.test/*'] });
    await runScenario(page, 'token-expired');
    await settle();
    assert.equal((await s.snapshot(tabId)).records.length, 0, 'app.test and api.test are left out by the browser: not heard');
    const p = await popup(s, tabId);
    // Chrome hides a left-out site's address from the extension too: the popup cannot name it.
    await p.waitForSelector('.notice.warn');
    assert.match(await p.$eval('.notice.warn', (e) => e.textContent ?? ''), /cannot see this page.*site access for Why 401 leaves this site out/);
    assert.ok(await p.$$eval('.notice.warn button', (bs) => bs.some((b) => b.textContent === 'Allow on all websites')));
    await new Promise((r) => setTimeout(r, 300)); // the switch's transition
    await p.screenshot({ path: join(results, 'popup-site-access.png') });
    await p.close();
    const o = await s.browser.newPage();
    await o.goto(`chrome-extension://${s.extensionId}/options.html`, { waitUntil: 'load' });
    await o.waitForSelector('ul.sites');
    assert.deepEqual(await o.$$eval('ul.sites li', (ls) => ls.map((l) => l.textContent)), ['https://other.test/*'], 'the options page lists the watched sites');
    await o.close();
  });

  it('a click on the toolbar button on a left-out site: the popup names it, the tab’s own requests to it are heard for now, and "Watch <site>" asks the browser', async () => {
    // Still only other.test (the test above). A new tab on app.test: hidden from Why 401 until the click.
    const page = await s.browser.newPage();
    await page.goto(s.lab.url('app.test', '/'), { waitUntil: 'load' });
    await clickAction(s, page); // activeTab: the browser shows Why 401 this tab, on this origin
    const tabId = await s.tabIdOf(page);
    const origin = new URL(page.url()).origin;
    const p = await popup(s, tabId);
    await p.waitForSelector('.notice.warn .heard-for-now');
    assert.match(await p.$eval('.notice.warn', (e) => e.textContent ?? ''), /cannot see app\.test’s requests.*leaves this site out/);
    assert.equal(await p.$eval('.heard-for-now', (e) => e.textContent), `For now it hears this tab’s requests (you opened Why 401 on it), until the tab leaves ${origin}.`);
    // What the popup says is what Chrome does: the tab's requests are heard, its own site's and the API's on another site.
    const api = s.lab.url('api.test', '/s/bearer/me');
    await page.evaluate(async (u) => {
      await fetch('/s/bearer/me', { headers: { Authorization: 'Bearer undefined' } });
      await fetch(u, { headers: { Authorization: 'Bearer undefined' } });
    }, api);
    const heard = await s.waitForRecords(tabId, 2);
    assert.deepEqual(heard.records.map((r) => new URL(r.entry.request.url).origin).sort(), [origin, new URL(api).origin].sort());
    // Opened again, as a user would: the failures heard since.
    await p.reload({ waitUntil: 'load' });
    await p.waitForSelector('.notice.warn .heard-for-now');
    await p.waitForFunction(() => /2<\/strong> sign-in failures/.test(document.querySelector('.summary')?.innerHTML ?? ''), { timeout: 5000 });
    await new Promise((r) => setTimeout(r, 300)); // the switch's transition
    await p.screenshot({ path: join(results, 'popup-heard-for-now.png') });
    // Once the tab leaves that origin (here for http://app.test), the click's grant is gone: not heard.
    const left = s.lab.url('app.test', '/', 'http');
    await page.goto(left, { waitUntil: 'load' });
    await page.evaluate(() => fetch('/s/bearer/me', { headers: { Authorization: 'Bearer undefined' } }));
    await settle();
    assert.deepEqual((await s.snapshot(tabId)).records.filter((r) => r.entry.request.url.startsWith(new URL(left).origin)), [], 'the tab left the origin: no longer heard');

    // "Watch app.test": Chrome asks (its prompt, which automation cannot answer); the popup waits for the answer.
    const watch = await p.$$('.notice.warn button.primary');
    assert.equal(await watch[0]!.evaluate((b) => b.textContent), 'Watch app.test');
    await watch[0]!.click();
    await p.waitForFunction(() => (document.querySelector('.notice.warn button.primary') as HTMLButtonElement | null)?.disabled === true, { timeout: 5000 });
    assert.deepEqual((await s.request<{ sites: { origins: string[] } }>({ type: 'get-watch' })).sites.origins, ['https://other.test/*'], 'nothing granted before the answer');
    // The user's "Allow", as Chrome records it (its own site-access API); then a tab never clicked is heard on app.test.
    await onlySites(s, ['https://app.test/*']);
    const sites = (await s.request<{ sites: { origins: string[] } }>({ type: 'get-watch' })).sites.origins;
    assert.ok(sites.includes('https://app.test/*'), sites.join(', '));
    const other = await s.browser.newPage();
    await other.goto(s.lab.url('app.test', '/'), { waitUntil: 'load' });
    const otherId = await s.tabIdOf(other);
    await other.evaluate(() => fetch('/s/bearer/me', { headers: { Authorization: 'Bearer undefined' } }));
    assert.equal((await s.waitForRecords(otherId, 1)).records.length, 1, 'granted: app.test is watched in every tab');
    await Promise.all([p.close(), other.close(), page.close()]);
  });
});

describe('the panel when Why 401 is not watching (Chromium DevTools)', () => {
  let s: Session;
  before(async () => {
    s = await launch({ startWatching: false, devtools: true });
  });
  after(async () => {
    await s?.close();
  });

  it('says it has not started (then that it is paused), and its banner starts and resumes in one click; the failure then appears', async () => {
    const p = await openPanel(s);
    await p.frame.waitForSelector('.banner.paused');
    assert.match(await p.frame.$eval('.banner.paused', (e) => e.textContent ?? ''), /Why 401 has not started watching yet: it hears no requests until you start it\. Start watching/);
    assert.match(await p.frame.$eval('.empty', (e) => e.textContent ?? ''), /once you start it: it has not started yet/, 'the empty state does not promise what it does not do');
    // Paused, the panel still reads what DevTools itself recorded of the tab.
    await p.page.bringToFront();
    await runScenario(p.page, 'token-expired');
    await p.devtools.bringToFront();
    await p.devtools.screenshot({ path: join(results, 'panel-paused.png') });
    const read = await p.frame.waitForFunction(() => [...document.querySelectorAll('.banner.paused button')].find((b) => /DevTools’ network log/.test(b.textContent ?? '')));
    await (read.asElement() as import('puppeteer-core').ElementHandle<HTMLButtonElement>).click();
    await p.frame.waitForFunction(() => /Showing DevTools’ network log: 1 auth failure/.test(document.querySelector('.banner.info')?.textContent ?? ''), { timeout: 10_000 });
    const causes = await p.frame.$$eval('.row .cause', (els) => els.map((e) => e.textContent ?? ''));
    assert.equal(causes.length, 1);
    assert.match(causes[0]!, /Token expired/, 'judged from DevTools’ own log');
    assert.equal((await s.snapshot(p.tabId)).records.length, 0, 'the capture itself heard nothing');
    await p.frame.$$eval('.banner.info button', (bs) => (bs.find((b) => b.textContent === 'Back to live') as HTMLButtonElement).click());
    const resume = await p.frame.waitForSelector('.banner.paused button');
    await resume!.click();
    await p.frame.waitForFunction(() => !document.querySelector('.banner.paused'));
    assert.equal(await listening(s), true);
    await p.page.bringToFront();
    await runScenario(p.page, 'token-expired');
    await p.frame.waitForSelector('.row', { timeout: 10_000 });
    assert.equal((await s.waitForRecords(p.tabId, 1)).records.length, 1, 'watching: the capture hears it');
    // Paused from elsewhere (the popup): the panel reads it when it is shown again, and says "paused" above what it kept.
    await s.request({ type: 'set-watching', on: false });
    await p.page.bringToFront();
    await p.devtools.bringToFront();
    await p.frame.waitForSelector('.banner.paused', { timeout: 10_000 });
    assert.match(await p.frame.$eval('.banner.paused', (e) => e.textContent ?? ''), /Why 401 is paused: it hears no requests, so new failures are not listed \(the ones below were captured before\)\. Resume watching/);
    await (await p.frame.waitForSelector('.banner.paused button'))!.click();
    await p.frame.waitForFunction(() => !document.querySelector('.banner.paused'));
    assert.equal(await listening(s), true, 'resumed from the banner');
    // The site left out by the browser's site access: once the page loads again, the panel follows DevTools' own log of the tab by itself.
    const heardBefore = (await s.snapshot(p.tabId)).count;
    await onlySites(s, ['https://other.test/*']);
    await p.page.reload({ waitUntil: 'load' });
    await p.frame.waitForSelector('.banner.following', { timeout: 10_000 });
    assert.match(await p.frame.$eval('.banner.following', (e) => e.textContent ?? ''), /^Following DevTools’ network log — the browser’s site access leaves this site out, so the panel judges what DevTools records while it is open: 0 auth failures in \d+ entries\./);
    await p.page.bringToFront();
    await runScenario(p.page, 'token-expired');
    await p.frame.waitForFunction(() => /Token expired/.test(document.querySelector('.row .cause')?.textContent ?? ''), { timeout: 10_000 });
    assert.match(await p.frame.$eval('.banner.following', (e) => e.textContent ?? ''), /: 1 auth failure in \d+ entries\./, 'heard as it happened, without a click');
    assert.equal((await s.snapshot(p.tabId)).count, heardBefore, 'the capture itself heard nothing of the site');
    assert.equal(await p.frame.$eval('.toolbar input[type=checkbox]', (e) => (e as HTMLInputElement).disabled), false, 'Preserve log applies to the followed list');
    await p.devtools.bringToFront();
    await p.devtools.screenshot({ path: join(results, 'panel-following.png') });
    // Stopped by the user: the panel says why it sees nothing, and offers to follow again.
    await p.frame.$$eval('.banner.following button', (bs) => (bs.find((b) => b.textContent === 'Stop following') as HTMLButtonElement).click());
    await p.frame.waitForSelector('.banner.site-hidden', { timeout: 10_000 });
    assert.match(await p.frame.$eval('.banner.site-hidden', (e) => e.textContent ?? ''), /cannot see this site: the browser’s site access for Why 401 leaves it out, so its requests are not watched\. Allow it from the browser’s extension menu, or follow this tab in DevTools’ network log while DevTools is open\./);
    await p.devtools.screenshot({ path: join(results, 'panel-site-hidden.png') });
  });
});
