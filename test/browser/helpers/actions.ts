/** The detail's action bar, as a user works it: a button by its label, or an item of one of its menus. */
import assert from 'node:assert/strict';
import type { Frame, Page } from 'puppeteer-core';

const labelOf = (e: Element) => (e.textContent ?? '').trim();

/**
 * Click the action called `label`: a button on the bar when there is one, else the menu item of
 * that name (the Re-run split menu, Copy ▾, More ▾), opened the way a user opens it.
 */
export async function chooseAction(where: Page | Frame, label: string | RegExp): Promise<void> {
  const match = (t: string) => (typeof label === 'string' ? t === label : label.test(t));
  const buttons = await where.$$('.action-bar > button, .action-bar .split-button > button');
  for (const b of buttons) if (match(await b.evaluate(labelOf))) return void (await b.click());
  const menus = await where.$$('.action-bar button[aria-haspopup=menu]');
  for (const m of menus) {
    await m.click();
    const items = await where.$$('.action-bar [role=menu] [role=menuitem]');
    for (const it of items) if (match(await it.evaluate(labelOf))) return void (await it.click());
    await m.click(); // close it again
  }
  const all = await where.$$eval('.action-bar button', (bs) => bs.map((b) => (b.textContent ?? '').trim()));
  assert.fail(`no action ${String(label)} (bar: ${all.join(' | ')})`);
}
