/**
 * The floor under any capture design: tiny generated extensions, each doing one part of what
 * Why 401 does and nothing else, loaded into Chromium beside `none` and `why401` in the same
 * alternating rounds (`npm run bench -- floor`). Their page-load ratios split the price into the
 * browser's share (the permission, each listener's hop, `extraHeaders`) and ours (the work our
 * listeners do), and measure page-side detection (a PerformanceObserver in a content script) as
 * the option issue 15 asks about.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { chromiumPath } from '../browsers.mjs';
import { BASE_ARGS } from '../../test/browser/helpers/chromium.ts';
import type { Lab } from '../../test/lab/server.ts';
import { running, type Running } from './browser.ts';

const ALL = "{ urls: ['<all_urls>'] }";
const SCRIPTED = "{ urls: ['<all_urls>'], types: ['xmlhttprequest', 'ping'] }";
const OTHERS = "{ urls: ['<all_urls>'], types: ['main_frame', 'sub_frame', 'stylesheet', 'script', 'image', 'font', 'object', 'media', 'websocket', 'other'] }";
const noop = '() => {}';

/** What each probe's service worker does (and, for page-side detection, its content script). */
export const PROBES = {
  /** The webRequest permission and host access, no listener at all. */
  'probe-permission': { worker: '' },
  /** One listener: response headers of every request, no extraHeaders (the least that sees a status and its challenge). */
  'probe-one': { worker: `chrome.webRequest.onHeadersReceived.addListener(${noop}, ${ALL}, ['responseHeaders']);` },
  /** Why 401's three events on every request, no extraHeaders, listeners that do nothing. */
  'probe-three': {
    worker: [
      `chrome.webRequest.onSendHeaders.addListener(${noop}, ${ALL}, ['requestHeaders']);`,
      `chrome.webRequest.onHeadersReceived.addListener(${noop}, ${ALL}, ['responseHeaders']);`,
      `chrome.webRequest.onBeforeRedirect.addListener(${noop}, ${ALL});`,
    ].join('\n'),
  },
  /** Why 401's default listener shape (fetch/XHR with extraHeaders, the rest without), doing nothing. */
  'probe-tiers': {
    worker: [
      `chrome.webRequest.onSendHeaders.addListener(${noop}, ${SCRIPTED}, ['requestHeaders', 'extraHeaders']);`,
      `chrome.webRequest.onHeadersReceived.addListener(${noop}, ${SCRIPTED}, ['responseHeaders', 'extraHeaders']);`,
      `chrome.webRequest.onBeforeRedirect.addListener(${noop}, ${SCRIPTED}, ['extraHeaders']);`,
      `chrome.webRequest.onSendHeaders.addListener(${noop}, ${OTHERS}, ['requestHeaders']);`,
      `chrome.webRequest.onHeadersReceived.addListener(${noop}, ${OTHERS}, ['responseHeaders']);`,
      `chrome.webRequest.onBeforeRedirect.addListener(${noop}, ${OTHERS});`,
    ].join('\n'),
  },
  /** Page-side detection only: a content script's PerformanceObserver reports statuses 401/403/407 to the worker. */
  'probe-observer': {
    worker: 'let seen = 0; chrome.runtime.onMessage.addListener((m) => { seen += m.n; });',
    content: [
      'new PerformanceObserver((list) => {',
      '  let n = 0;',
      '  for (const e of list.getEntries()) if (e.responseStatus === 401 || e.responseStatus === 403 || e.responseStatus === 407) n++;',
      '  if (n > 0) chrome.runtime.sendMessage({ n }).catch(() => {});',
      "}).observe({ type: 'resource', buffered: true });",
    ].join('\n'),
  },
} as const;
export type Probe = keyof typeof PROBES;
export const PROBE_NAMES = Object.keys(PROBES) as Probe[];

/** The probes that mean the same in Firefox (no extraHeaders there: Firefox shows every header to every listener). */
export const FIREFOX_PROBES = ['probe-permission', 'probe-one', 'probe-three'] as const satisfies readonly Probe[];
const GECKO_ID = 'why401-bench-probe@example.invalid';

function writeProbe(dir: string, probe: Probe, firefox = false): void {
  const spec: { worker: string; content?: string } = PROBES[probe];
  mkdirSync(dir, { recursive: true });
  const manifest: Record<string, unknown> = {
    manifest_version: 3,
    name: `why401 bench ${probe}`,
    version: '1.0',
    permissions: spec.content ? [] : ['webRequest'],
    host_permissions: spec.content ? [] : ['<all_urls>'],
    // Firefox runs an event page (background scripts), Chrome a service worker.
    background: firefox ? { scripts: ['worker.js'] } : { service_worker: 'worker.js' },
  };
  if (firefox) manifest['browser_specific_settings'] = { gecko: { id: GECKO_ID } };
  if (spec.content) manifest['content_scripts'] = [{ matches: ['<all_urls>'], js: ['content.js'], run_at: 'document_start', all_frames: true }];
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(dir, 'worker.js'), `${spec.worker}\n`);
  if (spec.content) writeFileSync(join(dir, 'content.js'), `${spec.content}\n`);
}

/** A fresh Firefox ESR profile with one probe installed (as Why 401 is in the bench: temporarily). */
export async function startFirefoxProbe(lab: Lab, probe: Probe): Promise<Running> {
  const { firefoxPath } = await import('../browsers.mjs');
  const profile = mkdtempSync(join(tmpdir(), 'why401-bench-ff-probe-'));
  const ext = join(profile, 'ext');
  writeProbe(ext, probe, true);
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath(),
    headless: true,
    userDataDir: join(profile, 'user'),
    acceptInsecureCerts: true,
    // The host permissions of a temporarily installed MV3 extension, granted as Why 401's are.
    extraPrefsFirefox: { ...lab.firefoxPrefs(), 'extensions.originControls.grantByDefault': true },
  });
  await browser.installExtension(ext);
  await new Promise((r) => setTimeout(r, 1000)); // its event page starts (the warm-up load follows anyway)
  const page = await browser.newPage();
  return running(browser, page, profile);
}

export function isProbe(mode: string): mode is Probe {
  return mode in PROBES;
}

/** A fresh Chromium profile with one probe extension loaded (its worker running). */
export async function startProbe(lab: Lab, probe: Probe): Promise<Running> {
  const profile = mkdtempSync(join(tmpdir(), 'why401-bench-probe-'));
  const ext = join(profile, 'ext');
  writeProbe(ext, probe);
  const browser = await puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    userDataDir: join(profile, 'user'),
    ignoreDefaultArgs: ['--disable-extensions'],
    args: [...BASE_ARGS, `--disable-extensions-except=${ext}`, `--load-extension=${ext}`, ...lab.chromiumArgs()],
  });
  await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().endsWith('/worker.js'), { timeout: 15_000 });
  const page = await browser.newPage();
  return running(browser, page, profile);
}
