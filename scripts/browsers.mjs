// Where the real browsers are. Debian's /usr/bin/chromium is a wrapper that adds its own flags
// (among them an empty --load-extension=), so the real binary is used.
import { existsSync } from 'node:fs';

export function chromiumPath() {
  const candidates = [process.env.CHROME_PATH, '/usr/lib/chromium/chromium', '/usr/lib/chromium-browser/chromium-browser'];
  return candidates.find((p) => p && existsSync(p));
}

export function firefoxPath() {
  const candidates = [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/lib/firefox-esr/firefox-esr', '/usr/bin/firefox'];
  return candidates.find((p) => p && existsSync(p));
}
