/**
 * Real Firefox ESR with the built extension over WebDriver BiDi (puppeteer-core; no
 * geckodriver). BiDi cannot open moz-extension:// URLs directly, so extension pages are reached
 * from an http page of the lab, in a test-only build that makes them web-accessible
 * (dist/firefox-test). Recipes: DESIGN.md, "How it is tested in real browsers".
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { firefoxPath } from '../../../scripts/browsers.mjs';
import type { TabSnapshot } from '../../../src/shared/records.ts';
import { dist, ensureBuilt } from '../../helpers/build.ts';
import { startLab, type Lab } from '../../lab/server.ts';
import { waitForRecords } from './records.ts';
import { tabIdByTitle } from './tabs.ts';

/** A fixed moz-extension UUID, so the extension's pages have a known address. */
export const FIREFOX_UUID = '3f1c2a52-7d0b-4c1e-9a57-0b4f1d2e6c01';

/**
 * Wait until `check` holds in a page, polled with evaluate. Firefox refuses waitForFunction's and
 * waitForSelector's injected poller on extension pages ("call to Function() blocked by CSP"),
 * while evaluate (BiDi's callFunction) is allowed.
 */
export async function waitInPage(page: Page, check: () => unknown, timeout = 10_000): Promise<void> {
  const until = Date.now() + timeout;
  for (;;) {
    if (await page.evaluate(check).catch(() => false)) return;
    if (Date.now() > until) throw new Error(`waited ${timeout} ms in ${page.url()} for: ${check.toString().slice(0, 160)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** waitForSelector for Firefox's extension pages (see waitInPage). */
export async function waitForSelectorIn(page: Page, selector: string, timeout = 10_000): Promise<void> {
  const until = Date.now() + timeout;
  for (;;) {
    if (await page.$(selector).catch(() => null)) return;
    if (Date.now() > until) throw new Error(`waited ${timeout} ms in ${page.url()} for ${selector}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Open an extension page from a lab page (BiDi will not navigate to moz-extension: itself) and
 * wait until it has loaded.
 */
export async function gotoExtensionPage(page: Page, labUrl: string, url: string): Promise<void> {
  await page.goto(labUrl);
  await page.evaluate((u) => void (location.href = u), url);
  await waitInPage(page, () => location.protocol === 'moz-extension:' && document.readyState === 'complete');
}

export interface FirefoxSession {
  browser: Browser;
  lab: Lab;
  base: string;
  ext: Page;
  request<T>(message: Record<string, unknown>): Promise<T>;
  tabIdOf(page: Page): Promise<number>;
  snapshot(tabId: number): Promise<TabSnapshot>;
  waitForRecords(tabId: number, n: number, timeoutMs?: number, quietMs?: number): Promise<TabSnapshot>;
  badgeText(tabId: number): Promise<string>;
  close(): Promise<void>;
}

export interface FirefoxOptions {
  /** More preferences (containers, first-party isolation). */
  prefs?: Record<string, string | number | boolean>;
  /** Allow the extension in private windows, as a user does in about:addons. */
  privateBrowsing?: boolean;
  /** A running lab to use (the benchmark's); one of its own otherwise, closed with the session. */
  lab?: Lab;
  /** Start watching as a new user does (default true): a click on "Start watching" (chromium.ts says why). */
  startWatching?: boolean;
  /** A window on the display (default: headless), for a look by hand at what BiDi cannot drive (the toolbar). */
  headless?: boolean;
}

export async function launchFirefox(options: FirefoxOptions = {}): Promise<FirefoxSession> {
  await ensureBuilt();
  const executablePath = firefoxPath();
  if (!executablePath) throw new Error('Firefox not found (apt-get install firefox-esr, or set FIREFOX_PATH)');
  const lab = options.lab ?? (await startLab());
  const ownLab = options.lab === undefined;
  const dir = join(dist, 'firefox-test');
  const geckoId = (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { browser_specific_settings: { gecko: { id: string } } }).browser_specific_settings.gecko.id;
  const profile = mkdtempSync(join(tmpdir(), 'why401-firefox-'));
  if (options.privateBrowsing) {
    // What about:addons' "Run in Private Windows: Allow" records; Firefox (release channels) reads
    // this legacy file into its permission store on first start.
    writeFileSync(join(profile, 'extension-preferences.json'), JSON.stringify({ [geckoId]: { permissions: ['internal:privateBrowsingAllowed'], origins: [] } }));
  }
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: options.headless ?? true,
    userDataDir: profile,
    acceptInsecureCerts: true,
    dumpio: process.env['WHY401_DEBUG'] === '1',
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [geckoId]: FIREFOX_UUID }),
      // Grant the optional host permissions of a temporarily installed MV3 extension.
      'extensions.originControls.grantByDefault': true,
      ...lab.firefoxPrefs(),
      ...options.prefs,
    },
  });
  await browser.installExtension(dir);
  const base = `moz-extension://${FIREFOX_UUID}/`;

  // An extension page, reached from a web page (BiDi will not navigate to moz-extension:).
  const ext = await browser.newPage();
  await gotoExtensionPage(ext, lab.url('app.test', '/', 'http'), `${base}options.html`);

  async function request<T>(message: Record<string, unknown>): Promise<T> {
    const reply = (await ext.evaluate((m) => (globalThis as unknown as { browser: typeof chrome }).browser.runtime.sendMessage(m), message)) as { ok: boolean; value?: T; error?: string } | undefined;
    if (!reply?.ok) throw new Error(reply?.error ?? 'no reply');
    return reply.value as T;
  }
  // The event page may still be starting: wait for its listeners.
  for (let i = 0; ; i++) {
    try {
      await request({ type: 'get-settings' });
      break;
    } catch (e) {
      if (i > 50) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  if (options.startWatching !== false) {
    // The install opened the first-run page; the same button is on this options page: a real
    // click (BiDi input), since the permission may be asked for only in a user gesture.
    await waitForSelectorIn(ext, '#start-watching');
    await ext.click('#start-watching');
    await waitInPage(ext, () => document.querySelector('.watching h2')?.textContent === 'Watching');
    for (const p of await browser.pages()) if (p.url().endsWith('/options.html#welcome')) await p.close();
  }

  const session: FirefoxSession = {
    browser,
    lab,
    base,
    ext,
    request,
    tabIdOf(page) {
      return tabIdByTitle(
        (m) => page.evaluate((t) => void (document.title = t), m),
        (m) =>
          ext.evaluate(async (t) => {
            const b = (globalThis as unknown as { browser: typeof chrome }).browser;
            return (await b.tabs.query({})).find((x) => x.title === t)?.id ?? -1;
          }, m),
        page.url(),
      );
    },
    snapshot: (tabId) => request<TabSnapshot>({ type: 'get-snapshot', tabId }),
    waitForRecords: (tabId, n, timeoutMs, quietMs) => waitForRecords(() => session.snapshot(tabId), n, { timeoutMs, quietMs }),
    badgeText: (tabId) => ext.evaluate((id) => (globalThis as unknown as { browser: typeof chrome }).browser.action.getBadgeText({ tabId: id }), tabId),
    async close() {
      await browser.close().catch(() => undefined);
      if (ownLab) await lab.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
  return session;
}
