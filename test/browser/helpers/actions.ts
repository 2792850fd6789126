/** The detail's action bar, as a user works it: a button by its label, or an item of one of its menus. */
import assert from 'node:assert/strict';
import type { ElementHandle, Frame, Page } from 'puppeteer-core';

const labelOf = (e: Element) => (e.textContent ?? '').trim();

/**
 * Click the action called `label`: a button on the bar when there is one, else the menu item of
 * that name (the Re-run split menu, Copy ▾, More ▾), its menu opened with the mouse as a user
 * opens it. The bar can be rebuilt under the test when a record is judged again (DevTools' copy
 * of the body arrives a moment after the row): an item is activated only while it is still in
 * the page, and the whole choice is tried again when it was not.
 */
export async function chooseAction(where: Page | Frame, label: string | RegExp): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const r = await tryChoose(where, label);
    if (r === 'done') return;
    if (r === 'absent') break;
  }
  const all = await where.$$eval('.action-bar button', (bs) => bs.map((b) => (b.textContent ?? '').trim()));
  assert.fail(`no action ${String(label)} (bar: ${all.join(' | ')})`);
}

const activate = (h: ElementHandle<Element>) => h.evaluate((e) => (e.isConnected ? ((e as HTMLElement).click(), true) : false));

async function tryChoose(where: Page | Frame, label: string | RegExp): Promise<'done' | 'stale' | 'absent'> {
  const match = (t: string) => (typeof label === 'string' ? t === label : label.test(t));
  const buttons = await where.$$('.action-bar > button, .action-bar .split-button > button');
  for (const b of buttons) if (match(await b.evaluate(labelOf))) return (await activate(b)) ? 'done' : 'stale';
  const menus = await where.$$('.action-bar button[aria-haspopup=menu]');
  for (const m of menus) {
    // This button's own menu (a sibling in its .menu-wrap), not one still closing elsewhere.
    const wrap = (await m.evaluateHandle((e) => e.parentElement!)) as ElementHandle<Element>;
    await m.click();
    const opened = await where.waitForFunction((w) => w.querySelector('[role=menu] [role=menuitem]') !== null, { timeout: 3_000 }, wrap).then(() => true, () => false);
    if (!opened) return 'stale';
    const items = await wrap.$$('[role=menu] [role=menuitem]');
    for (const it of items) if (match(await it.evaluate(labelOf))) return (await activate(it)) ? 'done' : 'stale';
    await m.click(); // close it again
    await where.waitForFunction((w) => w.querySelector('[role=menu]') === null, { timeout: 3_000 }, wrap).catch(() => undefined);
  }
  return 'absent';
}
