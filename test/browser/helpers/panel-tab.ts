/**
 * The panel opened as an extension tab on a captured tab (`panel.html?tab=ID`): a fast fixture
 * for what the panel does with records (its exports, its HAR import, what it shows). It has no
 * chrome.devtools; the real-DevTools suite covers that.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import type { Session } from './chromium.ts';

export interface PanelTab {
  page: Page;
  /** Click Export ▾ → the item matching `label` (optionally ticking "include secrets"); the downloaded file's text and name. */
  exportVia(label: RegExp, secrets?: boolean): Promise<{ name: string; text: string }>;
  /** Import a HAR file through the panel's file input; resolves when the import banner shows. */
  importFile(path: string): Promise<void>;
  /** Select a row (by index; -1 = the last) and wait for its detail. */
  select(index?: number): Promise<void>;
  /** The cause ids of the selected failure's findings, in the order the detail shows them. */
  shownCauses(): Promise<string[]>;
  close(): Promise<void>;
}

export async function openPanelTab(s: Session, tabId: number, downloads: string, minRows = 1): Promise<PanelTab> {
  mkdirSync(downloads, { recursive: true });
  const page = await s.browser.newPage();
  const cdp = await page.createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
  await page.goto(`chrome-extension://${s.extensionId}/panel.html?tab=${tabId}`);
  await page.bringToFront(); // clicks and downloads in a background tab are not reliable
  await page.waitForFunction((n) => document.querySelectorAll('.row').length >= n, {}, minRows);
  const files = () => (existsSync(downloads) ? readdirSync(downloads).filter((f) => !f.endsWith('.crdownload')) : []);

  const tab: PanelTab = {
    page,
    async exportVia(label, secrets = false) {
      const before = new Set(files());
      await page.click('.toolbar button[aria-haspopup=menu]');
      if (secrets) await page.click('.menu input[type=checkbox]');
      const items = await page.$$('.menu [role=menuitem]');
      const labels = await Promise.all(items.map((b) => b.evaluate((e) => e.textContent ?? '')));
      const i = labels.findIndex((l) => label.test(l));
      assert.ok(i >= 0, `menu item ${label} in ${labels.join(' | ')}`);
      await items[i]!.click();
      const until = Date.now() + 10_000;
      while (Date.now() < until) {
        const added = files().filter((f) => !before.has(f));
        if (added.length > 0) return { name: added[0]!, text: readFileSync(join(downloads, added[0]!), 'utf8') };
        await new Promise((r) => setTimeout(r, 50));
      }
      const status = await page.$eval('.statusbar', (e) => e.textContent ?? '').catch(() => '?');
      throw new Error(`no download for ${label} (status bar: ${status})`);
    },
    async importFile(path) {
      const input = await page.$('input[type=file]');
      assert.ok(input);
      await input.uploadFile(path);
      await page.waitForSelector('.banner.info', { timeout: 10_000 });
    },
    async select(index = -1) {
      const rows = await page.$$('.row');
      const row = index < 0 ? rows[rows.length + index] : rows[index];
      assert.ok(row, 'a row to select');
      await row.click();
      await page.waitForSelector('.detail .finding');
    },
    shownCauses() {
      return page.$$eval('.detail .finding .cause-id', (els) => els.map((e) => e.textContent ?? ''));
    },
    close: () => page.close(),
  };
  return tab;
}
