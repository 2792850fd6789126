/**
 * The popup and the panel in real Firefox ESR (the test build makes them reachable as pages over
 * WebDriver BiDi; Firefox's own DevTools frame cannot be automated): what they show for real
 * failures, that clearing cookies from the popup works and Undo restores them, and screenshots in
 * light and dark (test-results/firefox-*.png, looked at). The Firefox toolbar button's placement
 * (action.default_area "navbar") is checked in the built manifest.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'puppeteer-core';
import { dist, root } from '../../helpers/build.ts';
import { runScenario } from '../helpers/chromium.ts';
import { gotoExtensionPage, launchFirefox, waitForSelectorIn, waitInPage, type FirefoxSession } from '../helpers/firefox.ts';

const results = join(root, 'test-results');
mkdirSync(results, { recursive: true });

/** An extension page, reached from a lab page (BiDi will not navigate to moz-extension: itself). */
async function extensionPage(s: FirefoxSession, path: string, width: number, height: number): Promise<Page> {
  const page = await s.browser.newPage();
  // Puppeteer sends the viewport and a screen-orientation override together; some Firefox ESR
  // builds do not know the second (unknown command) after applying the first.
  await page.setViewport({ width, height }).catch((e: unknown) => {
    if (!/setScreenOrientationOverride/.test(String(e))) throw e;
  });
  await gotoExtensionPage(page, s.lab.url('app.test', '/', 'http'), `${s.base}${path}`);
  return page;
}

/** A dark system theme, as Firefox reads it (BiDi has no media emulation). */
const DARK = { 'ui.systemUsesDarkTheme': 1, 'layout.css.prefers-color-scheme.content-override': 0 };

describe('Firefox: the popup and the panel, for real failures', () => {
  let s: FirefoxSession;
  let tabId: number;
  before(async () => {
    s = await launchFirefox();
    const page = await s.browser.newPage();
    await page.goto(s.lab.url('app.test', '/'));
    tabId = await s.tabIdOf(page);
    await page.evaluate(async () => {
      await fetch('/s/session/login?cookie=sid_ff', { method: 'POST' });
    });
    for (const id of ['placeholder-token', 'token-expired', 'session-cookie-missing']) await runScenario(page, id);
    await s.waitForRecords(tabId, 3);
  });
  after(async () => {
    await s?.close();
  });

  it('the toolbar button is in the toolbar without pinning', () => {
    const manifest = JSON.parse(readFileSync(join(dist, 'firefox', 'manifest.json'), 'utf8')) as { action: { default_area?: string } };
    assert.equal(manifest.action.default_area, 'navbar');
  });

  it('the popup explains the failures in plain words and clears the site’s cookies, with Undo', async () => {
    const popup = await extensionPage(s, `popup.html?tab=${tabId}`, 380, 560);
    await waitInPage(popup, () => /3 sign-in failures/.test(document.body.textContent ?? ''), 10_000);
    const body = (await popup.evaluate(() => document.body.textContent)) ?? '';
    assert.match(body, /signed out|not signed in|session/i);
    assert.equal(await popup.evaluate(() => document.documentElement.dataset['theme']), 'light');
    await popup.screenshot({ path: join(results, 'firefox-popup-light.png') });
    const jar = () => s.ext.evaluate(async () => (await (globalThis as unknown as { browser: typeof chrome }).browser.cookies.getAll({ domain: 'app.test' })).map((c) => c.name).sort());
    const held = await jar();
    assert.ok(held.includes('sid_ff'), held.join(','));
    // One click clears (the popup's promise), then Undo.
    await waitInPage(popup, () => [...document.querySelectorAll('button')].some((b) => /^Clear \d+ cookies? for app\.test$/.test((b.textContent ?? '').trim())), 5000);
    await popup.$$eval('button', (bs) => (bs.find((b) => /^Clear \d+ cookies? for /.test((b.textContent ?? '').trim())) as HTMLButtonElement).click());
    await waitInPage(popup, () => [...document.querySelectorAll('button')].some((b) => (b.textContent ?? '').trim() === 'Undo'), 5000);
    assert.deepEqual(await jar(), []);
    await popup.$$eval('button', (bs) => (bs.find((b) => (b.textContent ?? '').trim() === 'Undo') as HTMLButtonElement).click());
    await waitInPage(popup, () => /Restored/.test(document.body.textContent ?? ''), 5000);
    assert.deepEqual(await jar(), held);
    await popup.close();
  });

  it('the panel lists the failures, explains the selected one, and says why it has no call stack', async () => {
    const panel = await extensionPage(s, `panel.html?tab=${tabId}`, 560, 800);
    await waitInPage(panel, () => document.querySelectorAll('.row').length >= 3, 10_000);
    const causes = await panel.$$eval('.row .cause', (c) => c.map((x) => x.textContent));
    assert.deepEqual(causes.slice(0, 3), ['Placeholder token', 'Token expired', 'Session cookie gone']);
    await (await panel.$$('.row'))[0]!.click();
    await waitForSelectorIn(panel, '.verdict h2');
    assert.match((await panel.$eval('.verdict h2', (e) => e.textContent)) ?? '', /placeholder/);
    assert.match((await panel.$eval('.detail', (e) => e.textContent)) ?? '', /The bearer token: a placeholder, not a credential: undefined\./);
    assert.match((await panel.$eval('.detail', (e) => e.textContent)) ?? '', /No call stack: it was captured while DevTools was closed/);
    const tops = await panel.$$eval('.toolbar > *:not(.visually-hidden):not(.spacer)', (els) => els.map((e) => { const r = e.getBoundingClientRect(); return Math.round(r.top + r.height / 2); }));
    assert.ok(Math.max(...tops) - Math.min(...tops) <= 3, `one toolbar row at 560 px: ${tops.join(',')}`);
    // Docked to the side: the path leads and is whole, Export reads whole, the filter can be typed in.
    const layout = await panel.evaluate(() => ({
      paths: [...document.querySelectorAll('.row .path-part')].map((e) => ({ text: e.textContent, whole: (e as HTMLElement).scrollWidth <= (e as HTMLElement).clientWidth })),
      exportLabel: (() => { const b = document.querySelector('.menu-wrap.export > button') as HTMLElement; return { text: b.textContent, whole: b.scrollWidth <= b.clientWidth }; })(),
      filter: document.querySelector('.toolbar input[type="search"]')!.getBoundingClientRect().width,
    }));
    for (const x of layout.paths) assert.ok(/^\/s\//.test(x.text ?? '') && x.whole, `the path leads and is whole: ${x.text}`);
    assert.deepEqual(layout.exportLabel, { text: 'Export ▾', whole: true });
    assert.ok(layout.filter >= 120, `filter ${layout.filter}px`);
    await panel.click('.menu-wrap.export > button');
    await waitInPage(panel, () => document.querySelector('.menu-wrap.export .menu') !== null, 5_000);
    const inside = await panel.evaluate(() => [...document.querySelectorAll('.menu-wrap.export .menu > *')].every((e) => { const r = e.getBoundingClientRect(); return r.left >= 0 && r.right <= innerWidth; }));
    assert.ok(inside, 'the Export menu opens inside the panel');
    await panel.keyboard.press('Escape');
    await waitInPage(panel, () => document.querySelector('.menu-wrap.export .menu') === null, 5_000);
    // Firefox docks its tools narrower (~490 px): the toolbar takes a second row instead of cutting Export off.
    await panel.setViewport({ width: 490, height: 800 }).catch((e: unknown) => {
      if (!/setScreenOrientationOverride/.test(String(e))) throw e;
    });
    await waitInPage(panel, () => innerWidth === 490, 5_000);
    const narrow = await panel.evaluate(() => {
      const b = document.querySelector('.menu-wrap.export > button') as HTMLElement;
      const r = b.getBoundingClientRect();
      return { toolbarFits: document.querySelector('.toolbar')!.scrollWidth <= innerWidth, exportWhole: b.scrollWidth <= b.clientWidth && r.right <= innerWidth, labelsFit: [...document.querySelectorAll('.row .cause')].every((c) => { const l = c.querySelector('.chip-label'); return !l || l.getBoundingClientRect().right <= c.getBoundingClientRect().right + 0.5; }) };
    });
    assert.deepEqual(narrow, { toolbarFits: true, exportWhole: true, labelsFit: true });
    await panel.screenshot({ path: join(results, 'firefox-panel-narrow.png') });
    await panel.setViewport({ width: 560, height: 800 }).catch(() => undefined);
    await panel.screenshot({ path: join(results, 'firefox-panel-light.png') });
    await panel.evaluate(() => [...document.querySelectorAll('.detail p')].find((e) => /a placeholder, not a credential/.test(e.textContent ?? ''))?.scrollIntoView({ block: 'center' }));
    await panel.screenshot({ path: join(results, 'firefox-panel-token.png') });
    await panel.close();
  });

  it('the sign-in view opens from the status bar; with no sign-in in the tab it says what it follows', async () => {
    const panel = await extensionPage(s, `panel.html?tab=${tabId}`, 560, 800);
    await waitInPage(panel, () => document.querySelectorAll('.row').length >= 1, 10_000);
    await panel.click('.statusbar .sign-in-toggle');
    await waitForSelectorIn(panel, '.sign-in .empty');
    assert.match((await panel.$eval('.sign-in', (e) => e.textContent)) ?? '', /No OAuth or OpenID Connect sign-in seen in this tab yet/);
    assert.equal(await panel.$eval('.split', (e) => (e as HTMLElement).hidden), true, 'the list steps aside');
    await panel.screenshot({ path: join(results, 'firefox-sign-in-empty.png') });
    await panel.click('.sign-in-head button:last-of-type');
    await waitInPage(panel, () => document.querySelector('.sign-in') === null && !(document.querySelector('.split') as HTMLElement).hidden, 5_000);
    await panel.close();
  });

  it('dark: a Firefox with a dark system theme shows both dark', async () => {
    const d = await launchFirefox({ prefs: DARK });
    try {
      const page = await d.browser.newPage();
      await page.goto(d.lab.url('app.test', '/'));
      const id = await d.tabIdOf(page);
      await runScenario(page, 'token-expired');
      await d.waitForRecords(id, 1);
      for (const [path, shot, w, h] of [[`popup.html?tab=${id}`, 'firefox-popup-dark.png', 380, 420], [`panel.html?tab=${id}`, 'firefox-panel-dark.png', 560, 800]] as const) {
        const p = await extensionPage(d, path, w, h);
        await waitInPage(p, () => document.documentElement.dataset['theme'] === 'dark' && /Token expired|expired/.test(document.body.textContent ?? ''), 10_000);
        if (path.startsWith('panel')) {
          await (await p.$$('.row'))[0]!.click();
          await waitForSelectorIn(p, '.verdict h2');
        }
        assert.notEqual(await p.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(255, 255, 255)');
        await p.screenshot({ path: join(results, shot) });
      }
    } finally {
      await d.close();
    }
  });

  it('no errors in the background', async () => {
    assert.deepEqual((await s.request<{ errors: string[] }>({ type: 'get-diagnostics' })).errors, []);
  });
});
