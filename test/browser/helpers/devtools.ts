/**
 * The real Why 401 panel inside real DevTools (DESIGN.md, "How it is tested in real
 * browsers"): Chromium runs with --auto-open-devtools-for-tabs, the DevTools front end is a page, and
 * the panel is one of its frames. Selecting the panel uses the front end's own module (an
 * internal API, kept in this one helper).
 */
import type { Frame, Page, Target } from 'puppeteer-core';
import type { Session } from './chromium.ts';

export interface DevtoolsPanel {
  page: Page;
  devtools: Page;
  frame: Frame;
  tabId: number;
}

/**
 * Show a DevTools panel by its id (`network`, or `chrome-extension://<id><title>` for an
 * extension's), waiting until it exists. The only use of the front end's internal module.
 */
export async function showPanel(devtools: Page, id: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const shown = await devtools
      .evaluate(async (panelId) => {
        const modulePath: string = './ui/legacy/legacy.js';
        const UI = (await import(modulePath)) as { InspectorView: { InspectorView: { instance(): { hasPanel(id: string): boolean; showPanel(id: string): Promise<void> } } } };
        const view = UI.InspectorView.InspectorView.instance();
        if (!view.hasPanel(panelId)) return false;
        await view.showPanel(panelId);
        return true;
      }, id)
      .catch(() => false);
    if (shown) return;
    if (Date.now() > until) throw new Error(`DevTools panel ${id} did not appear`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function openPanel(s: Session): Promise<DevtoolsPanel> {
  const before = new Set<Target>(s.browser.targets().filter((t) => t.url().startsWith('devtools://')));
  const page = await s.browser.newPage();
  // DevTools' window (devtools_app.html), not one of its workers (a formatter's .js target has no Page to drive).
  const target = await s.browser.waitForTarget((t) => t.url().startsWith('devtools://') && /\.html(?:[?#]|$)/.test(t.url()) && !before.has(t), { timeout: 15_000 });
  const devtools = (await target.asPage())!;
  // Wait until the extension's devtools page has created the panel, then show it.
  // The extension's devtools page creates the panel once DevTools has loaded it: seconds on a loaded machine.
  const until = Date.now() + 30_000;
  await showPanel(devtools, `chrome-extension://${s.extensionId}Why401`, 30_000);
  let frame: Frame | undefined;
  while (!(frame = devtools.frames().find((f) => f.url().startsWith(`chrome-extension://${s.extensionId}/panel.html`)))) {
    if (Date.now() > until) throw new Error('the panel frame did not load');
    await new Promise((r) => setTimeout(r, 50));
  }
  await frame.waitForSelector('.toolbar', { timeout: 10_000 });
  await page.goto(s.lab.url('app.test', '/'), { waitUntil: 'load' });
  await page.bringToFront();
  await painting(frame);
  const tabId = await s.tabIdOf(page);
  return { page, devtools, frame, tabId };
}

/**
 * Wait for the panel's next animation frame. DevTools docked to a tab that is not its window's
 * active tab does not render: no frame comes, a click (which waits for one) would hang until the
 * protocol timeout. This says so at once instead.
 */
export async function painting(frame: Frame, timeoutMs = 10_000): Promise<void> {
  const painted = await frame.evaluate((ms) => new Promise<boolean>((done) => { requestAnimationFrame(() => done(true)); setTimeout(() => done(false), ms); }), timeoutMs);
  if (!painted) {
    const state = await frame.evaluate(() => document.visibilityState).catch(() => 'unknown');
    throw new Error(`the panel has not painted for ${timeoutMs} ms (visibilityState ${state}): another tab is in front of the inspected one, so its docked DevTools is hidden`);
  }
}

/**
 * Click a row of the panel's list (index from the end when negative) and wait until it is the
 * selected row and its verdict is shown. A click can land while DevTools is still resizing (just
 * undocked or docked), on the spot the row has left: then the row is not selected, and the click
 * is tried again (3 times in all) before failing with what the detail shows.
 */
export async function selectRow(frame: Frame, index: number): Promise<void> {
  let detail = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const rows = await frame.$$('.row');
    const row = rows[index < 0 ? rows.length + index : index];
    if (!row) throw new Error(`no row ${index} of ${rows.length}`);
    const id = await row.evaluate((e) => e.id);
    await painting(frame);
    // A row drawn again meanwhile (a failure arrived, the list re-rendered) is looked up again.
    const clicked = await row.click().then(
      () => true,
      () => false,
    );
    if (!clicked) {
      detail = '(the row was drawn again before the click)';
      continue;
    }
    const ok = await frame
      .waitForFunction((rowId) => document.getElementById(rowId)?.classList.contains('selected') && document.querySelector('.verdict h2'), { polling: 50, timeout: 5_000 }, id)
      .then(() => true)
      .catch(() => false);
    if (ok) return;
    detail = await frame.$eval('.detail', (e) => e.textContent ?? '').catch(() => '(no detail)');
  }
  throw new Error(`row ${index} was clicked 3 times and is not shown as selected; the detail shows: ${detail.slice(0, 300)}`);
}

/** Text of the panel's visible rows' cause column. */
export function rowCauses(frame: Frame): Promise<string[]> {
  return frame.$$eval('.row .cause', (cells) => cells.map((c) => c.textContent ?? ''));
}

/** Errors the extension's pages log in this DevTools window, collected for a final "no errors" check. */
export function panelErrors(p: DevtoolsPanel, s: Session): string[] {
  const errors: string[] = [];
  p.devtools.on('console', (m) => {
    if (m.type() === 'error' && m.location()?.url?.startsWith(`chrome-extension://${s.extensionId}/`)) errors.push(m.text());
  });
  return errors;
}
