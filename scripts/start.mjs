// npm start: build, then open Chromium with dist/chrome loaded (a fresh profile each time)
// when there is a display and a Chromium; otherwise say how to load the extension by hand.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from './build.mjs';
import { chromiumPath } from './browsers.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const chromeDir = join(root, 'dist', 'chrome');
const firefoxDir = join(root, 'dist', 'firefox');

await build();

const chromium = chromiumPath();
const display = process.env.DISPLAY || process.env.WAYLAND_DISPLAY;

function byHand(reason) {
  console.log(`
${reason}

Load Why 401 by hand:
  Chrome / Chromium / Edge: open chrome://extensions, turn on "Developer mode",
    click "Load unpacked" and pick ${chromeDir}
  Firefox: open about:debugging#/runtime/this-firefox, click "Load Temporary Add-on…"
    and pick ${join(firefoxDir, 'manifest.json')}
Then open DevTools on any page and choose the "Why 401" panel.
`);
}

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
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    'chrome://newtab',
  ];
  console.log(`Opening Chromium with Why 401 loaded (profile ${profile}). Close the window to stop.`);
  const child = spawn(chromium, args, { stdio: 'ignore' });
  const cleanup = () => rmSync(profile, { recursive: true, force: true });
  child.on('exit', () => {
    cleanup();
    process.exit(0);
  });
  process.on('SIGINT', () => child.kill('SIGTERM'));
}
