/**
 * Reads the system clipboard from a page: the Clipboard API refuses a document without focus,
 * and bringToFront does not hand focus over at once on a loaded machine, so this brings the
 * page forward until its document has focus, then reads.
 */
import type { Page } from 'puppeteer-core';

export async function readClipboard(page: Page, timeoutMs = 10_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    await page.bringToFront();
    await page.evaluate(() => window.focus());
    const focused = await page.waitForFunction(() => document.hasFocus(), { timeout: 1000 }).then(() => true, () => false);
    if (focused) {
      try {
        return await page.evaluate(() => navigator.clipboard.readText());
      } catch (e) {
        if (!/not focused/i.test(String(e)) || Date.now() > until) throw e;
      }
    } else if (Date.now() > until) {
      throw new Error(`the page never had focus in ${timeoutMs} ms: the clipboard cannot be read`);
    }
  }
}
