/**
 * Browser figures for `npm run bench`, in Debian's Chromium against the 401 lab: page-load
 * overhead side by side (no extension, Why 401, Why 401 with its panel open, DevTools' Network
 * panel recording), time to badge, memory and storage after 50,000 requests, the panel and the
 * popup with many failures, service-worker start time. Alternating modes, fresh profiles,
 * warm-ups, medians and ranges.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { chromiumPath } from '../browsers.mjs';
import { BASE_ARGS, launch, onlySites, type Session } from '../../test/browser/helpers/chromium.ts';
import { openPanel, showPanel } from '../../test/browser/helpers/devtools.ts';
import type { Lab } from '../../test/lab/server.ts';
import { percentile, summarize, type Sample } from './stats.ts';
import { writeSyntheticHar } from './core.ts';

/** `none-again`: no extension, a second time in the same rounds — the A/A check that shows the machine's own noise. */
export type Mode = 'none' | 'none-again' | 'why401' | 'why401-no-flows' | 'why401-full' | 'why401-panel' | 'network-panel' | 'why401-panel-hidden' | 'why401-paused' | 'why401-unwatched';

/** Why 401 paused (its listeners and webRequest permission given back): `npm run bench -- floor`. */
async function pause(request: <T>(m: Record<string, unknown>) => Promise<T>): Promise<void> {
  const w = await request<{ listening: boolean }>({ type: 'set-watching', on: false });
  if (w.listening) throw new Error('Why 401 did not pause');
}
/**
 * The modes compared (why401-full: the setting "watch every request in full", the capture before
 * two tiers; why401-no-flows: the setting "follow sign-ins" off — no token-request listener — so
 * the listener's own cost on pages that run no flow is the difference to why401).
 */
export const MODES: Mode[] = ['none', 'why401', 'why401-no-flows', 'why401-full', 'why401-panel', 'network-panel'];
export const PAGES = { a: '/bench/burst.html', b: '/bench/app.html', c: '/bench/sequential.html', d: '/bench/site.html' } as const;
export type PageKey = keyof typeof PAGES;
/** A page at a server latency: "a" (none), "a+20ms", "d+100ms". */
export type Variant = string;
export const variant = (page: PageKey, latency: number): Variant => (latency > 0 ? `${page}+${latency}ms` : page);

export interface Running {
  page: Page;
  close(): Promise<void>;
}

/** A browser of the bench's own, with its page; closing it removes its profile. */
export function running(browser: Browser, page: Page, profile: string): Running {
  return {
    page,
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

async function plainChromium(lab: Lab, devtools: boolean): Promise<{ browser: Browser; profile: string }> {
  const profile = mkdtempSync(join(tmpdir(), 'why401-bench-'));
  const browser = await puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    userDataDir: profile,
    handleDevToolsAsPage: true,
    args: [...BASE_ARGS, ...lab.chromiumArgs(), ...(devtools ? ['--auto-open-devtools-for-tabs'] : [])],
  });
  return { browser, profile };
}

export async function startMode(lab: Lab, mode: Mode): Promise<Running> {
  if (mode === 'why401-paused' || mode === 'why401-unwatched') {
    const s = await launch({ lab, cancelAuth: false });
    if (mode === 'why401-paused') await pause(s.request);
    else {
      // The user's site access in Chrome's extension menu: "On specific sites", another site only
      // (the bench's pages are on app.test).
      await onlySites(s, ['https://other.test/*']);
      const w = await s.request<{ sites: { all: boolean } }>({ type: 'get-watch' });
      if (w.sites.all) throw new Error('the site access did not change');
    }
    const page = await s.browser.newPage();
    return { page, close: () => s.close() };
  }
  if (mode === 'why401' || mode === 'why401-no-flows' || mode === 'why401-full' || mode === 'why401-panel' || mode === 'why401-panel-hidden') {
    const s = await launch({ lab, cancelAuth: false, devtools: mode === 'why401-panel' || mode === 'why401-panel-hidden' });
    if (mode === 'why401-full' || mode === 'why401-no-flows') {
      const current = await s.request<Record<string, unknown>>({ type: 'get-settings' });
      await s.request({ type: 'set-settings', settings: { ...current, ...(mode === 'why401-full' ? { captureInFull: true } : { followSignIns: false }) } });
    }
    if (mode === 'why401-panel' || mode === 'why401-panel-hidden') {
      const p = await openPanel(s);
      // Hidden: opened once, then DevTools shows its Network panel (where a developer spends the day).
      if (mode === 'why401-panel-hidden') await showPanel(p.devtools, 'network', 15_000);
      return { page: p.page, close: () => s.close() };
    }
    const page = await s.browser.newPage();
    return { page, close: () => s.close() };
  }
  const { browser, profile } = await plainChromium(lab, mode === 'network-panel');
  const before = new Set(browser.targets());
  const page = await browser.newPage();
  if (mode === 'network-panel') {
    const t = await browser.waitForTarget((x) => x.url().startsWith('devtools://') && !before.has(x));
    await showPanel((await t.asPage())!, 'network', 15_000);
  }
  return running(browser, page, profile);
}

/** Load a benchmark page and return its own measurement (ms from navigation start to done). */
export async function loadOnce(page: Page, url: string): Promise<number> {
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction('window.__benchDone !== undefined', { timeout: 60_000, polling: 20 });
  return (await page.evaluate('window.__benchDone')) as number;
}

/**
 * Page loads side by side: for each round, each mode in turn (rotated), a fresh profile, and in
 * it every page at every latency (a warm-up load first). Returns samples by mode and variant.
 */
export async function pageLoadOverhead<M extends string = Mode>(
  lab: Lab,
  rounds: number,
  loadsPerRound: number,
  log: (s: string) => void,
  options: { modes?: readonly M[]; latencies?: readonly number[]; start?: (lab: Lab, mode: M) => Promise<Running>; label?: string } = {},
): Promise<Record<string, Record<Variant, Sample>>> {
  const modes = options.modes ?? (MODES as unknown as readonly M[]);
  const latencies = options.latencies ?? [0];
  const start = options.start ?? (startMode as unknown as (lab: Lab, mode: M) => Promise<Running>);
  const samples: Record<string, Record<Variant, number[]>> = Object.fromEntries(modes.map((m) => [m, {}]));
  for (let round = 0; round < rounds; round++) {
    // Rotate the order so no mode always runs first (or last) on a warm or tired machine.
    const order = modes.map((_, i) => modes[(i + round) % modes.length]!);
    for (const mode of order) {
      const run = await start(lab, mode);
      try {
        for (const latency of latencies) {
          for (const [key, path] of Object.entries(PAGES) as [PageKey, string][]) {
            const url = `${lab.url('app.test', path)}${latency > 0 ? `?d=${latency}` : ''}`;
            const v = variant(key, latency);
            await loadOnce(run.page, url); // warm-up
            for (let i = 0; i < loadsPerRound; i++) (samples[mode]![v] ??= []).push(await loadOnce(run.page, url));
          }
        }
      } finally {
        await run.close();
      }
      log(`  ${options.label ?? ''}round ${round + 1}/${rounds}: ${mode} done`);
    }
  }
  return Object.fromEntries(modes.map((m) => [m, Object.fromEntries(Object.entries(samples[m]!).map(([v, xs]) => [v, summarize(xs)]))]));
}

/** Firefox ESR side by side: no extension, and Why 401 (its DevTools cannot be automated). */
export async function startFirefoxMode(lab: Lab, mode: Mode): Promise<Running> {
  const { launchFirefox } = await import('../../test/browser/helpers/firefox.ts');
  if (mode === 'why401' || mode === 'why401-no-flows' || mode === 'why401-paused' || mode === 'why401-unwatched') {
    const s = await launchFirefox({ lab });
    if (mode === 'why401-paused') await pause(s.request);
    if (mode === 'why401-unwatched') {
      // Firefox's per-site permissions: every site withdrawn (adding one back asks the user, which
      // automation cannot answer), so no page is watched.
      await s.ext.evaluate(() => (globalThis as unknown as { browser: typeof chrome }).browser.permissions.remove({ origins: ['<all_urls>'] }));
      const w = await s.request<{ sites: { all: boolean } }>({ type: 'get-watch' });
      if (w.sites.all) throw new Error('the site access did not change');
    }
    if (mode === 'why401-no-flows') {
      const current = await s.request<Record<string, unknown>>({ type: 'get-settings' });
      await s.request({ type: 'set-settings', settings: { ...current, followSignIns: false } });
    }
    const page = await s.browser.newPage();
    return { page, close: () => s.close() };
  }
  const { firefoxPath } = await import('../browsers.mjs');
  const profile = mkdtempSync(join(tmpdir(), 'why401-bench-ff-'));
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: firefoxPath(), headless: true, userDataDir: profile, acceptInsecureCerts: true, extraPrefsFirefox: lab.firefoxPrefs() });
  const page = await browser.newPage();
  return running(browser, page, profile);
}

/** From the moment the lab sends a 401 until the badge shows it, one failure at a time. */
export async function timeToBadge(lab: Lab, n: number): Promise<{ p50: number; p95: number; max: number; samples: number }> {
  const s = await launch({ lab, cancelAuth: false });
  try {
    const { page, tabId } = await s.labPage();
    const latencies: number[] = [];
    lab.state.sentAt.clear();
    for (let i = 1; i <= n; i++) {
      const id = `badge-${i}`;
      // Watch from an extension page while the page makes the request.
      const watch = s.inExtension(
        async ([tab, want]) => {
          const until = Date.now() + 5000;
          for (;;) {
            if ((await chrome.action.getBadgeText({ tabId: tab as number })) === want) return Date.now();
            if (Date.now() > until) return -1;
          }
        },
        [tabId, i > 999 ? '999+' : String(i)],
      );
      // Each a failure of its own (its own endpoint and token): repeats of one failure count once (core/verdict/burst.ts).
      await page.evaluate(([u, token]) => void fetch(u!, { cache: 'no-store', headers: { Authorization: `Bearer ${token}` } }), [lab.url('api.test', `/s/burst/${i}?i=${id}`), `badge-token-${i}-0123456789abcdef`]);
      const shownAt = await watch;
      const sentAt = lab.state.sentAt.get(id);
      if (shownAt > 0 && sentAt !== undefined) latencies.push(shownAt - sentAt);
    }
    return { p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: Math.max(...latencies), samples: latencies.length };
  } finally {
    await s.close();
  }
}

async function workerHeapBytes(s: Session): Promise<number | undefined> {
  // A short CDP session on the running worker (never during its start-up).
  const cdp = await s.browser.target().createCDPSession();
  try {
    const { targetInfos } = await cdp.send('Target.getTargets');
    const info = targetInfos.find((t) => t.type === 'service_worker' && t.url === `chrome-extension://${s.extensionId}/background.js`);
    if (!info) return undefined;
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: info.targetId, flatten: true });
    const session = cdp.connection()!.session(sessionId)!;
    await session.send('HeapProfiler.collectGarbage').catch(() => undefined);
    const r = (await session.send('Runtime.getHeapUsage')) as { usedSize: number };
    await cdp.send('Target.detachFromTarget', { sessionId });
    return r.usedSize;
  } catch {
    return undefined;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** 50,000 requests, 5,000 failures, across 10 tabs; heap and storage after each half. */
export async function memoryAndStorage(lab: Lab, tabs: number, perTab: number, log: (s: string) => void): Promise<{ after: { requests: number; heapMB?: number; storageKB: number; records: number }[] }> {
  const s = await launch({ lab, cancelAuth: false });
  const after: { requests: number; heapMB?: number; storageKB: number; records: number }[] = [];
  try {
    let requests = 0;
    for (let t = 0; t < tabs; t++) {
      const { page } = await s.labPage();
      await page.evaluate((n) => (window as unknown as { lab: { burst(n: number, p: string, c: number): Promise<unknown> } }).lab.burst(n, '/s/mixed', 32), perTab);
      requests += perTab;
      // The tabs stay open: closing one deletes its data.
      if (t === tabs / 2 - 1 || t === tabs - 1) {
        await new Promise((r) => setTimeout(r, 1500));
        const heap = await workerHeapBytes(s);
        const storage = await s.inExtension(() => chrome.storage.session.getBytesInUse(null), null);
        const d = await s.request<{ records: number }>({ type: 'get-diagnostics' });
        after.push({ requests, ...(heap !== undefined ? { heapMB: heap / 2 ** 20 } : {}), storageKB: storage / 1024, records: d.records });
        log(`  after ${requests} requests: ${JSON.stringify(after[after.length - 1])}`);
      }
    }
  } finally {
    await s.close();
  }
  return { after };
}

/** On every navigation of the page: `window[key]` = performance.now() when `selector` first matches. */
async function markFirst(page: Page, selector: string, key: string): Promise<void> {
  await page.evaluateOnNewDocument(
    (sel, k) => {
      new MutationObserver((_, obs) => {
        if (document.querySelector(sel)) {
          (window as unknown as Record<string, number>)[k] = performance.now();
          obs.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    },
    selector,
    key,
  );
}

/** The panel with many failures, a HAR import, a full scroll; the popup with 1,000 failures. */
export async function uiTimings(lab: Lab, log: (s: string) => void): Promise<Record<string, number | string>> {
  const out: Record<string, number | string> = {};
  const s = await launch({ lab, cancelAuth: false });
  const dir = mkdtempSync(join(tmpdir(), 'why401-bench-ui-'));
  try {
    await s.request({ type: 'set-settings', settings: { perTabCap: 2000, totalCap: 5000 } });
    const { page, tabId } = await s.labPage();
    await page.evaluate(() => (window as unknown as { lab: { burst(n: number, p: string, c: number): Promise<unknown> } }).lab.burst(2000, '/s/burst', 32));
    await s.waitForRecords(tabId, 2000, 60_000);

    // The panel opened on a tab with 2,000 failures (the per-tab maximum).
    const panel = await s.browser.newPage();
    await panel.setViewport({ width: 1280, height: 800 });
    await markFirst(panel, '.row', '__firstRow');
    // Opened 5 times (the first is a warm-up): navigation start to the first row in the DOM.
    const firstRows: number[] = [];
    for (let i = 0; i < 6; i++) {
      await panel.goto(`chrome-extension://${s.extensionId}/panel.html?tab=${tabId}`);
      await panel.waitForFunction('window.__firstRow !== undefined', { timeout: 30_000 });
      if (i > 0) firstRows.push((await panel.evaluate('window.__firstRow')) as number);
    }
    // Long animation frames (> 50 ms) from navigation start to 2 s after the first row: loading,
    // and the older records arriving in batches after the first paint.
    await new Promise((r) => setTimeout(r, 2000));
    out['panel: long frames in its first 2 s (loading included)'] = (await panel.evaluate(() => {
      try {
        return performance.getEntriesByType('long-animation-frame').filter((e) => e.duration > 50).length;
      } catch {
        return -1;
      }
    })) as number;
    const fr = summarize(firstRows);
    out['panel first row, 2,000 live failures (ms, median of 5)'] = Math.round(fr.median);
    out['panel first row: range (ms)'] = `${Math.round(fr.min)}–${Math.round(fr.max)}`;
    // The burst is one failure and its repeats (core/verdict/burst.ts): the rest is measured on every row ("Show each").
    await panel.waitForSelector('.statusbar .group-toggle', { timeout: 10_000 });
    await panel.click('.statusbar .group-toggle');
    await panel.waitForFunction(() => (document.querySelector('.list-body')?.scrollHeight ?? 0) > 2000 * 20, { timeout: 10_000 });
    // Select → detail: the click's handler to the detail painted.
    const selects: number[] = [];
    for (let i = 0; i < 7; i++) {
      selects.push(
        (await panel.evaluate(async (k) => {
          const rows = document.querySelectorAll('.row');
          const row = rows[(k * 3) % rows.length] as HTMLElement;
          const t0 = performance.now();
          row.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
          await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
          return performance.now() - t0;
        }, i)) as number,
      );
    }
    out['select → detail (ms, median of 7)'] = summarize(selects.slice(1)).median;
    // A full scroll, 60 steps, counting long animation frames (> 50 ms).
    out['full scroll: long frames'] = (await panel.evaluate(async () => {
      let long = 0;
      const po = new PerformanceObserver((l) => {
        for (const e of l.getEntries()) if (e.duration > 50) long++;
      });
      try {
        po.observe({ type: 'long-animation-frame', buffered: false });
      } catch {
        po.observe({ type: 'longtask', buffered: false });
      }
      const el = document.querySelector('.list-body') as HTMLElement;
      for (let i = 0; i <= 60; i++) {
        el.scrollTop = (el.scrollHeight * i) / 60;
        await new Promise((r) => requestAnimationFrame(() => r(undefined)));
      }
      await new Promise((r) => setTimeout(r, 100));
      po.disconnect();
      return long;
    })) as number;

    // Imports: 10,000 failures; then a 50 MB HAR.
    const imports: [string, number, number][] = [
      ['import 10,000 failures (ms)', 10_000, 1],
      ['import 50 MB HAR (ms)', 0, 0],
    ];
    for (const [label, failures] of imports) {
      const file = join(dir, `${failures || 'big'}.har`);
      if (failures > 0) {
        // Every entry a failure.
        const entries = Array.from({ length: failures }, (_, i) => ({
          startedDateTime: new Date(Date.parse('2025-06-01T12:00:00Z') + i * 100).toISOString(),
          time: 1,
          request: { method: 'GET', url: `https://api.example.com/v1/items/${i}`, httpVersion: 'HTTP/1.1', headers: [{ name: 'Authorization', value: 'Bearer undefined' }], cookies: [], queryString: [], headersSize: -1, bodySize: 0 },
          response: { status: 401, statusText: 'Unauthorized', httpVersion: 'HTTP/1.1', headers: [{ name: 'WWW-Authenticate', value: 'Bearer realm="api", error="invalid_token"' }], cookies: [], content: { size: 0, mimeType: '' }, redirectURL: '', headersSize: -1, bodySize: 0 },
          cache: {},
          timings: { send: 0, wait: 1, receive: 0 },
        }));
        writeFileSync(file, JSON.stringify({ log: { version: '1.2', creator: { name: 'bench', version: '1' }, entries } }));
      } else {
        // About 50 MB of the synthetic mix (1% failures).
        writeSyntheticHar(file, 55_000);
      }
      const size = statSync(file).size;
      const input = await panel.$('input[type=file]');
      await panel.evaluate(() => {
        (window as unknown as { __importStart?: number }).__importStart = undefined;
        document.querySelector('input[type=file]')!.addEventListener('change', () => ((window as unknown as { __importStart: number }).__importStart = performance.now()), { once: true });
      });
      await input!.uploadFile(file);
      await panel.waitForFunction(() => /Showing .*\.har/.test(document.querySelector('.banner')?.textContent ?? '') && document.querySelector('.row'), { timeout: 60_000 });
      const ms = (await panel.evaluate('performance.now() - window.__importStart')) as number;
      out[label] = ms;
      out[`${label.replace(' (ms)', '')}: file MiB`] = Number((size / 2 ** 20).toFixed(1));
      log(`  ${label}: ${ms.toFixed(0)} ms (${(size / 2 ** 20).toFixed(1)} MiB)`);
      await panel.evaluate(() => (document.querySelector('.toolbar button') as HTMLElement).click()); // back to live
    }
    await panel.close();

    // The popup with 1,000 failures in its tab.
    const { page: p2, tabId: tab2 } = await s.labPage();
    await p2.evaluate(() => (window as unknown as { lab: { burst(n: number, p: string, c: number): Promise<unknown> } }).lab.burst(1000, '/s/burst', 32));
    await s.waitForRecords(tab2, 1000, 60_000);
    const popupTimes: number[] = [];
    const popupBrowser: number[] = [];
    for (let i = 0; i < 6; i++) {
      const pop = await s.browser.newPage();
      await markFirst(pop, '.failure', '__shown');
      await pop.goto(`chrome-extension://${s.extensionId}/popup.html?tab=${tab2}`);
      await pop.waitForFunction('window.__shown !== undefined', { timeout: 30_000 });
      popupTimes.push((await pop.evaluate('window.__shown')) as number);
      // The browser's part: navigation start to the document parsed (before any of our script runs).
      popupBrowser.push((await pop.evaluate("performance.getEntriesByType('navigation')[0].domInteractive")) as number);
      await pop.close();
    }
    out['popup, 1,000 failures (ms, median of 5 after a warm-up)'] = summarize(popupTimes.slice(1)).median;
    out['popup: of which the browser, before our script (ms)'] = Math.round(summarize(popupBrowser.slice(1)).median);
  } finally {
    await s.request({ type: 'set-settings', settings: {} }).catch(() => undefined);
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

/** Service-worker start: stopped, then woken by a message; CDP reports starting → running. */
export async function workerStart(lab: Lab, n: number): Promise<Sample> {
  const s = await launch({ lab, cancelAuth: false });
  const times: number[] = [];
  try {
    const page = (await s.browser.pages())[0]!;
    const cdp = await page.createCDPSession();
    let startedAt = 0;
    let running = 0;
    cdp.on('ServiceWorker.workerVersionUpdated', (e) => {
      for (const v of e.versions) {
        if (!v.scriptURL.startsWith(`chrome-extension://${s.extensionId}/`)) continue;
        if (v.runningStatus === 'starting' && startedAt === 0) startedAt = performance.now();
        if (v.runningStatus === 'running' && startedAt > 0 && running === 0) running = performance.now();
      }
    });
    await cdp.send('ServiceWorker.enable');
    for (let i = 0; i < n; i++) {
      await s.stopWorkers();
      startedAt = 0;
      running = 0;
      await s.request({ type: 'get-settings' });
      const until = Date.now() + 3000;
      while (running === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
      if (running > 0) times.push(running - startedAt);
    }
    await cdp.detach();
  } finally {
    await s.close();
  }
  return summarize(times);
}

export function bundleSizes(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of readdirSync(dir)) if (f.endsWith('.js')) out[f] = statSync(join(dir, f)).size;
  // The panel's chunks: what panel.js imports statically loads before the first paint, the rest after.
  const chunks = join(dir, 'chunks');
  const eager = new Set<string>();
  const walk = (file: string) => {
    for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/(?:^|[;}\s])import\s*(?:[^"'()]*?from\s*)?["']\.\/(?:chunks\/)?([^"'/]+\.js)["']/g)) {
      if (!eager.has(m[1]!)) {
        eager.add(m[1]!);
        walk(join('chunks', m[1]!));
      }
    }
  };
  try {
    walk('panel.js');
    let first = 0;
    let later = 0;
    for (const f of readdirSync(chunks)) if (f.endsWith('.js')) (eager.has(f) ? (first += statSync(join(chunks, f)).size) : (later += statSync(join(chunks, f)).size));
    out['chunks/ imported by panel.js (before first paint)'] = first;
    out['chunks/ loaded after first paint (detail, import, export)'] = later;
  } catch {
    // an unsplit build: nothing more to report
  }
  return out;
}
