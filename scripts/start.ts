/**
 * npm start: build, start the local 401 lab, and open a browser with Why 401 loaded on the lab's
 * start page, in a fresh profile that is removed when it closes (or on Ctrl+C).
 *
 *   npm start                 Chromium, DevTools open on the Why 401 panel
 *   npm start -- --firefox    Firefox ESR (also: npm run start:firefox); press F12 for DevTools
 *
 * The lab's sites (app.test, api.test, …) resolve to 127.0.0.1 and its certificate is accepted in
 * that profile only. Without a display or a browser, the lab keeps running and this prints how to
 * load the extension by hand.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { build } from './build.mjs';
import { chromiumPath, firefoxPath } from './browsers.mjs';
import { startLab, type Lab } from '../test/lab/server.ts';
import { showPanel } from '../test/browser/helpers/devtools.ts';

const root = join(import.meta.dirname, '..');
const chromeDir = join(root, 'dist', 'chrome');
const firefoxDir = join(root, 'dist', 'firefox');
const wantFirefox = process.argv.includes('--firefox');

await build();

async function lab(): Promise<Lab> {
  // Stable ports are friendlier to bookmark; any free ones when they are taken.
  try {
    return await startLab({ httpsPort: 4401, httpPort: 4400, proxyPort: 4407 });
  } catch {
    return startLab();
  }
}

const theLab = await lab();
const start = theLab.url('app.test', '/');

function byHand(reason: string): void {
  const flags = theLab.chromiumUserArgs();
  console.log(`
${reason}

The 401 lab is running: ${start}
(its sites are names such as app.test and api.test on 127.0.0.1, so the browser needs the flags below)

Open it in Chromium with Why 401 loaded:
  chromium --user-data-dir=$(mktemp -d) --load-extension=${chromeDir} \\
    ${flags.map((f) => `'${f}'`).join(' \\\n    ')} \\
    ${start}

Or load Why 401 by hand into your own browser:
  Chrome / Chromium / Edge: open chrome://extensions, turn on "Developer mode",
    click "Load unpacked" and pick ${chromeDir}
  Firefox: open about:debugging#/runtime/this-firefox, click "Load Temporary Add-on…"
    and pick ${join(firefoxDir, 'manifest.json')}
Then open DevTools on a page and choose the "Why 401" panel.

Press Ctrl+C to stop the lab.
`);
}

let browser: Browser | undefined;
let profile: string | undefined;
let stopping: Promise<void> | undefined;
/** Close the browser (killed if it will not close), remove its profile, stop the lab; once, whoever asks first. */
async function stop(code = 0): Promise<never> {
  stopping ??= (async () => {
    console.log('Stopping…');
    const proc = browser?.process();
    await Promise.race([browser?.close().catch(() => undefined), new Promise((r) => setTimeout(r, 5000))]);
    if (proc && proc.exitCode === null) proc.kill('SIGKILL');
    if (profile) rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    await Promise.race([theLab.close(), new Promise((r) => setTimeout(r, 2000))]);
    console.log(profile ? `Removed the profile ${profile}.` : 'Stopped.');
  })();
  await stopping;
  process.exit(code);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

const display = process.env['DISPLAY'] || process.env['WAYLAND_DISPLAY'];
const executablePath = wantFirefox ? firefoxPath() : chromiumPath();

if (!display) {
  byHand('No display found (DISPLAY is not set), so no browser was opened.');
} else if (!executablePath) {
  byHand(wantFirefox ? 'No Firefox found (install Debian\'s "firefox-esr" package or set FIREFOX_PATH).' : 'No Chromium found (install Debian\'s "chromium" package or set CHROME_PATH).');
} else {
  try {
    await (wantFirefox ? openFirefox(executablePath) : openChromium(executablePath));
  } catch (e) {
    console.error(`Could not open the browser: ${e instanceof Error ? e.message : String(e)}`);
    await stop(1);
  }
}

/** A browser window a person uses, in its own profile. */
function windowed(executablePath: string, userDataDir: string) {
  return {
    executablePath,
    headless: false,
    userDataDir,
    // Ctrl+C is ours: close the browser, then remove its profile (puppeteer's own handler would exit first).
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    defaultViewport: null,
  } as const;
}

async function openFirefox(executablePath: string): Promise<void> {
  profile = mkdtempSync(join(tmpdir(), 'why401-firefox-profile-'));
  const geckoId = (JSON.parse(readFileSync(join(firefoxDir, 'manifest.json'), 'utf8')) as { browser_specific_settings: { gecko: { id: string } } }).browser_specific_settings.gecko.id;
  browser = await puppeteer.launch({
    ...windowed(executablePath, profile),
    browser: 'firefox',
    // The lab's certificate (and only this profile's session) is accepted without "Accept the Risk".
    acceptInsecureCerts: true,
    extraPrefsFirefox: {
      ...theLab.firefoxPrefs(),
      // A temporarily installed MV3 extension gets its host permissions without a prompt.
      'extensions.originControls.grantByDefault': true,
      'extensions.webextensions.uuids': JSON.stringify({ [geckoId]: '3f1c2a52-7d0b-4c1e-9a57-0b4f1d2e6c01' }),
      'devtools.toolbox.host': 'right',
    },
  });
  await browser.installExtension(firefoxDir);
  const [page] = await browser.pages();
  await (page ?? (await browser.newPage())).goto(start);
  console.log(`The 401 lab: ${start}\nFirefox ESR is open with Why 401 (its toolbar button is in the toolbar). Press "Start watching" in the tab Why 401 opened (a new install hears nothing until then), then press F12 and choose the "Why 401" panel; in Firefox, open the Network panel once too so the panel gets response bodies.\nClose the window or press Ctrl+C to stop (the profile is removed).`);
  browser.on('disconnected', () => void stop());
}

async function openChromium(executablePath: string): Promise<void> {
  profile = mkdtempSync(join(tmpdir(), 'why401-profile-'));
  browser = await puppeteer.launch({
    ...windowed(executablePath, profile),
    handleDevToolsAsPage: true,
    // No "controlled by automated test software" bar, and extensions allowed.
    ignoreDefaultArgs: ['--enable-automation', '--disable-extensions'],
    args: [
      `--disable-extensions-except=${chromeDir}`,
      `--load-extension=${chromeDir}`,
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--auto-open-devtools-for-tabs',
      // The lab's host mapping is a flag Chromium calls unsupported: no warning bar for it here.
      '--test-type',
      ...theLab.chromiumUserArgs(),
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    ],
  });
  const worker = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().endsWith('/background.js'), { timeout: 15_000 });
  const extensionId = new URL(worker.url()).host;
  // A tab of our own on the lab (its DevTools opens with it), then the start-up blank tab goes.
  const before = new Set(browser.targets().filter((t) => t.url().startsWith('devtools://')));
  const blank = (await browser.pages()).filter((p) => p.url() === 'about:blank');
  const page = await browser.newPage();
  for (const b of blank) await b.close().catch(() => undefined);
  await page.goto(start);
  // Show the Why 401 panel in the tab's DevTools.
  const devtools = await browser
    .waitForTarget((t) => t.url().startsWith('devtools://') && !before.has(t), { timeout: 15_000 })
    .then((t) => t.asPage())
    .catch(() => undefined);
  if (devtools) await showPanel(devtools, `chrome-extension://${extensionId}Why401`, 15_000).catch(() => undefined);
  console.log(`The 401 lab: ${start}\nChromium is open with Why 401, DevTools on its panel. A new install hears nothing until you start it: press "Start watching" (in the panel's banner, or on the settings page it opened), then click a scenario in the lab.\nClose the window or press Ctrl+C to stop (the profile is removed).`);
  browser.on('disconnected', () => void stop());
}
