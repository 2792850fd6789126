/**
 * Real Chromium with the built extension (dist/chrome) and the 401 lab, for the browser suites
 * (recipes: DESIGN.md, "How it is tested in real browsers"). puppeteer-core drives Debian's Chromium; nothing
 * downloads a browser.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type CDPSession, type Page, type Target } from 'puppeteer-core';
import { chromiumPath } from '../../../scripts/browsers.mjs';
import type { TabSnapshot } from '../../../src/shared/records.ts';
import { dist, ensureBuilt, root } from '../../helpers/build.ts';
import { startLab, type Lab } from '../../lab/server.ts';
import { waitForRecords } from './records.ts';
import { tabIdByTitle } from './tabs.ts';

export const CANCEL_AUTH = join(root, 'test', 'browser', 'fixtures', 'cancel-auth');

export interface Session {
  browser: Browser;
  lab: Lab;
  extensionId: string;
  /** Evaluate a function in one of the extension's pages (chrome.* available; wakes the worker when it messages). */
  inExtension<T, A>(fn: (arg: A) => T | Promise<T>, arg: A): Promise<T>;
  /** A request of the message protocol, from an extension page. */
  request<T>(message: Record<string, unknown>): Promise<T>;
  /** A fresh tab on the lab's start page (https unless asked). */
  labPage(scheme?: 'https' | 'http'): Promise<{ page: Page; tabId: number }>;
  tabIdOf(page: Page): Promise<number>;
  snapshot(tabId: number): Promise<TabSnapshot>;
  /** Poll the background until the tab has `n` records (or time runs out). */
  waitForRecords(tabId: number, n: number, timeoutMs?: number, quietMs?: number): Promise<TabSnapshot>;
  badgeText(tabId: number): Promise<string>;
  /** The badge once it shows `text` (updates are throttled to one per 50 ms in a burst); the last seen text otherwise. */
  waitForBadge(tabId: number, text: string, titleMatch?: RegExp, timeoutMs?: number): Promise<{ text: string; title: string }>;
  badgeTitle(tabId: number): Promise<string>;
  /** Stop every service worker (CDP), as Chrome does when idle; resolves once ours has stopped. */
  stopWorkers(): Promise<void>;
  /** Whether our service worker runs now (CDP's view; a stopped one that an event woke runs again). */
  workerRunning(): Promise<boolean>;
  /** Messages the extension's service worker logged as errors. */
  workerErrors: string[];
  close(): Promise<void>;
}

export interface LaunchOptions {
  lab?: Lab;
  /** Load the helper that cancels sign-in dialogs (default true). */
  cancelAuth?: boolean;
  devtools?: boolean;
  extraArgs?: string[];
  /** More unpacked extensions to load beside Why 401 (test fixtures). */
  extensions?: string[];
  /**
   * Optional permissions granted as if the user had accepted Chrome's prompt (a native dialog
   * automation cannot click): a copy of dist/chrome that lists them as granted at install.
   */
  grant?: string[];
  /** The profile's Preferences before start (the user's own settings, e.g. blocking third-party cookies). */
  preferences?: Record<string, unknown>;
  /**
   * Start watching on the first-run page, as a new user does (default true): the capture's
   * permission is optional (a pause gives it back), so a fresh install hears nothing until then.
   * false leaves the first-run page open, unclicked.
   */
  startWatching?: boolean;
}

export const BASE_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--disable-features=Translate,OptimizationHints,MediaRouter',
  '--window-size=1280,900',
];

/**
 * A page the test drives but the user would not be looking at (the extension page messages go
 * through, chrome://extensions): its own window, opened behind. A new tab in the inspected tab's
 * window would be the window's active tab, and the DevTools docked to the inspected tab would
 * stop rendering (no animation frames: puppeteer's click waits for one, up to its protocol
 * timeout, and the panel is not resized when docked elsewhere).
 */
export async function helperPage(browser: Browser): Promise<Page> {
  return browser.newPage({ type: 'window', background: true });
}

function isOurWorker(t: Target, extensionId?: string): boolean {
  return t.type() === 'service_worker' && t.url().endsWith('/background.js') && (!extensionId || t.url().startsWith(`chrome-extension://${extensionId}/`));
}

export async function launch(options: LaunchOptions = {}): Promise<Session> {
  await ensureBuilt();
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('Chromium not found (apt-get install chromium, or set CHROME_PATH)');
  const lab = options.lab ?? (await startLab());
  const ownLab = options.lab === undefined;
  const profile = mkdtempSync(join(tmpdir(), 'why401-chromium-'));
  let ours = join(dist, 'chrome');
  if (options.grant?.length) {
    ours = join(profile, 'why401-granted');
    cpSync(join(dist, 'chrome'), ours, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(ours, 'manifest.json'), 'utf8')) as { permissions: string[]; optional_permissions?: string[] };
    manifest.permissions.push(...options.grant);
    manifest.optional_permissions = manifest.optional_permissions?.filter((p) => !options.grant!.includes(p));
    writeFileSync(join(ours, 'manifest.json'), JSON.stringify(manifest));
  }
  if (options.preferences) {
    mkdirSync(join(profile, 'Default'), { recursive: true });
    writeFileSync(join(profile, 'Default', 'Preferences'), JSON.stringify(options.preferences));
  }
  const extensions = [ours, ...(options.cancelAuth === false ? [] : [CANCEL_AUTH]), ...(options.extensions ?? [])];
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    userDataDir: profile,
    ignoreDefaultArgs: ['--disable-extensions'],
    handleDevToolsAsPage: true,
    // A call that hangs fails in a minute, not three (every call here answers in seconds).
    protocolTimeout: 60_000,
    dumpio: process.env['WHY401_DEBUG'] === '1',
    args: [
      ...BASE_ARGS,
      `--disable-extensions-except=${extensions.join(',')}`,
      `--load-extension=${extensions.join(',')}`,
      ...lab.chromiumArgs(),
      ...(options.devtools ? ['--auto-open-devtools-for-tabs'] : []),
      ...(options.extraArgs ?? []),
    ],
  });
  const workerErrors: string[] = [];
  let closed = false;
  const target = await browser.waitForTarget((t) => isOurWorker(t), { timeout: 15_000 });
  const extensionId = new URL(target.url()).host;
  // The first-run page the install opened (background: runtime.onInstalled).
  const welcomeTarget = await browser.waitForTarget((t) => t.type() === 'page' && t.url() === `chrome-extension://${extensionId}/options.html#welcome`, { timeout: 15_000 });

  // Everything is read through one of the extension's own pages (messages, chrome.action,
  // chrome.storage), as the UIs do. Attaching CDP to the service worker itself can crash
  // Chromium 156 while the worker starts, and a stopped worker leaves stale sessions behind.
  let extPage: Page | undefined;
  async function ext(): Promise<Page> {
    if (!extPage || extPage.isClosed()) {
      extPage = await helperPage(browser);
      await extPage.goto(`chrome-extension://${extensionId}/options.html`, { waitUntil: 'load' });
    }
    return extPage;
  }

  async function inExtension<T, A>(fn: (arg: A) => T | Promise<T>, arg: A): Promise<T> {
    try {
      return (await (await ext()).evaluate(fn as never, arg as never)) as T;
    } catch (e) {
      // The extension reloaded (or the page died): the next call opens a fresh page.
      const dead = extPage;
      extPage = undefined;
      await dead?.close().catch(() => undefined);
      throw e;
    }
  }

  async function request<T>(message: Record<string, unknown>): Promise<T> {
    const reply = await inExtension((m) => chrome.runtime.sendMessage(m), message) as { ok: boolean; value?: T; error?: string } | undefined;
    if (!reply?.ok) throw new Error(reply?.error ?? 'no reply');
    return reply.value as T;
  }

  async function collectErrors(): Promise<void> {
    const d = await request<{ errors: string[] }>({ type: 'get-diagnostics' });
    for (const e of d.errors) if (!workerErrors.includes(e)) workerErrors.push(e);
  }

  function tabIdOf(page: Page): Promise<number> {
    return tabIdByTitle(
      (m) => page.evaluate((t) => void (document.title = t), m),
      (m) => inExtension(async (t) => (await chrome.tabs.query({})).find((x) => x.title === t)?.id ?? -1, m),
      page.url(),
    );
  }

  async function snapshot(tabId: number): Promise<TabSnapshot> {
    const snap = await request<TabSnapshot>({ type: 'get-snapshot', tabId });
    await collectErrors();
    return snap;
  }

  // Readiness (DESIGN.md, "How it is tested in real browsers"): a message round trip proves the worker's listeners are registered.
  await request({ type: 'get-settings' });
  if (options.startWatching !== false) {
    // What a new user does: "Start watching" (a real click: the permission may be asked only in a gesture).
    const welcome = (await welcomeTarget.page())!;
    await welcome.bringToFront();
    await welcome.waitForSelector('#start-watching');
    await welcome.click('#start-watching');
    const until = Date.now() + 10_000;
    while (!(await request<{ listening: boolean }>({ type: 'get-watch' })).listening) {
      if (Date.now() > until) throw new Error('"Start watching" did not start the capture');
      await new Promise((r) => setTimeout(r, 50));
    }
    await welcome.close();
  }

  const session: Session = {
    browser,
    lab,
    extensionId,
    inExtension,
    request,
    workerErrors,
    tabIdOf,
    snapshot,
    async labPage(scheme = 'https') {
      const page = await browser.newPage();
      await page.goto(lab.url('app.test', '/', scheme), { waitUntil: 'load' });
      const tabId = await tabIdOf(page);
      return { page, tabId };
    },
    waitForRecords: (tabId, n, timeoutMs, quietMs) => waitForRecords(() => snapshot(tabId), n, { timeoutMs, quietMs }),
    async badgeText(tabId) {
      return inExtension((id) => chrome.action.getBadgeText({ tabId: id }), tabId);
    },
    async waitForBadge(tabId, text, titleMatch, timeoutMs = 3000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const seen = await inExtension(async (id) => ({ text: await chrome.action.getBadgeText({ tabId: id }), title: await chrome.action.getTitle({ tabId: id }) }), tabId);
        if ((seen.text === text && (!titleMatch || titleMatch.test(seen.title))) || Date.now() > until) return seen;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async badgeTitle(tabId) {
      return inExtension((id) => chrome.action.getTitle({ tabId: id }), tabId);
    },
    async stopWorkers() {
      const page = (await browser.pages())[0] ?? (await browser.newPage());
      const cdp: CDPSession = await page.createCDPSession();
      let stopped = false;
      cdp.on('ServiceWorker.workerVersionUpdated', (e) => {
        for (const v of e.versions) if (v.scriptURL.startsWith(`chrome-extension://${extensionId}/`) && v.runningStatus === 'stopped') stopped = true;
      });
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      const until = Date.now() + 5000;
      while (!stopped && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      await cdp.detach();
      if (!stopped) throw new Error('the service worker did not stop');
    },
    async workerRunning() {
      const page = (await browser.pages())[0] ?? (await browser.newPage());
      const cdp: CDPSession = await page.createCDPSession();
      let status: string | undefined;
      cdp.on('ServiceWorker.workerVersionUpdated', (e) => {
        for (const v of e.versions) if (v.scriptURL.startsWith(`chrome-extension://${extensionId}/`)) status = v.runningStatus;
      });
      // Enabling reports every version as it is now.
      await cdp.send('ServiceWorker.enable');
      const until = Date.now() + 2000;
      while (status === undefined && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      await cdp.detach();
      return status === 'running' || status === 'starting';
    },
    async close() {
      if (closed) return;
      closed = true;
      await browser.close().catch(() => undefined);
      if (ownLab) await lab.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
  return session;
}

/**
 * Chrome's site access for the extension, as a user sets it in the extension menu ("On specific
 * sites", these only), through chrome://extensions' own API.
 */
export async function onlySites(s: Session, patterns: readonly string[]): Promise<void> {
  const page = await helperPage(s.browser);
  await page.goto('chrome://extensions/');
  await page.evaluate(
    async (id, hosts) => {
      const dp = (globalThis as unknown as { chrome: { developerPrivate: { updateExtensionConfiguration(c: object): Promise<void>; addHostPermission(id: string, host: string): Promise<void> } } }).chrome.developerPrivate;
      await dp.updateExtensionConfiguration({ extensionId: id, hostAccess: 'ON_SPECIFIC_SITES' });
      for (const host of hosts) await dp.addHostPermission(id, host);
    },
    s.extensionId,
    [...patterns],
  );
  await page.close();
}

/**
 * Click Why 401's toolbar button on a tab, as a user does: the browser grants activeTab on that
 * tab (headless Chromium opens no popup window; the test opens popup.html itself). Through CDP's
 * Extensions.triggerAction, which acts on a tab target.
 */
export async function clickAction(s: Session, page: Page): Promise<void> {
  await page.bringToFront();
  const tabTarget = (page as unknown as { _tabId?: string })._tabId;
  if (!tabTarget) throw new Error('puppeteer no longer exposes the page’s tab target');
  const cdp = await s.browser.target().createCDPSession();
  try {
    await cdp.send('Extensions.triggerAction' as never, { id: s.extensionId, targetId: tabTarget } as never);
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/**
 * Allow the extension in incognito windows, as a user does on chrome://extensions (developer
 * mode on, "Allow in Incognito"). The extension reloads: this waits for its worker to answer.
 */
export async function allowIncognito(s: Session): Promise<void> {
  const page = await helperPage(s.browser);
  await page.goto('chrome://extensions/');
  await page.evaluate(async (id) => {
    const dp = (globalThis as unknown as { chrome: { developerPrivate: { updateProfileConfiguration(c: object): Promise<void>; updateExtensionConfiguration(c: object): Promise<void> } } }).chrome.developerPrivate;
    await dp.updateProfileConfiguration({ inDeveloperMode: true });
    await dp.updateExtensionConfiguration({ extensionId: id, incognitoAccess: true });
  }, s.extensionId);
  await page.close();
  const until = Date.now() + 15_000;
  for (;;) {
    try {
      if (await s.inExtension(() => chrome.extension.isAllowedIncognitoAccess(), null)) {
        await s.request({ type: 'get-settings' });
        return;
      }
    } catch {
      // the extension is reloading
    }
    if (Date.now() > until) throw new Error('the extension did not come back with incognito access');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Run a lab scenario in a page and wait until it finished (also across its navigations). */
export async function runScenario(page: Page, id: string, timeoutMs = 20_000): Promise<unknown> {
  await page.evaluate(() => {
    (window as unknown as { lab: { done: string | null } }).lab.done = null;
  });
  void page.evaluate((sid) => (window as unknown as { lab: { run(id: string): Promise<unknown> } }).lab.run(sid), id).catch(() => undefined);
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const done = await page
      .evaluate((sid) => {
        const lab = (window as unknown as { lab?: { done: string | null; results: Record<string, unknown> } }).lab;
        return lab && lab.done === sid ? { status: lab.results[sid] } : null;
      }, id)
      .catch(() => null); // mid-navigation
    if (done) return done.status;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`lab scenario ${id} did not finish`);
}
