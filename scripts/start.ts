/**
 * npm start: build, start the local 401 lab, and open Chromium with the extension loaded and the
 * lab's start page (headful, a fresh profile each time) when there is a display and a Chromium.
 * Otherwise the lab keeps running and this prints how to load the extension by hand and open the
 * lab. Ctrl+C stops everything.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from './build.mjs';
import { chromiumPath } from './browsers.mjs';
import { startLab, type Lab } from '../test/lab/server.ts';

const root = join(import.meta.dirname, '..');
const chromeDir = join(root, 'dist', 'chrome');
const firefoxDir = join(root, 'dist', 'firefox');

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
const flags = theLab.chromiumArgs();

function byHand(reason: string): void {
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

const chromium = chromiumPath();
const display = process.env['DISPLAY'] || process.env['WAYLAND_DISPLAY'];
const stop = async (code = 0) => {
  await theLab.close();
  process.exit(code);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

if (!display) {
  byHand('No display found (DISPLAY is not set), so no browser was opened.');
} else if (!chromium) {
  byHand('No Chromium found (install Debian\'s "chromium" package or set CHROME_PATH).');
} else {
  const profile = mkdtempSync(join(tmpdir(), 'why401-profile-'));
  const args = [
    `--user-data-dir=${profile}`,
    `--disable-extensions-except=${chromeDir}`,
    `--load-extension=${chromeDir}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--auto-open-devtools-for-tabs',
    ...flags,
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    start,
  ];
  console.log(`The 401 lab: ${start}\nOpening Chromium with Why 401 loaded (DevTools opens with each tab: choose the "Why 401" panel). Close the window or press Ctrl+C to stop.`);
  const child = spawn(chromium, args, { stdio: 'ignore' });
  child.on('exit', () => {
    rmSync(profile, { recursive: true, force: true });
    void stop();
  });
}
