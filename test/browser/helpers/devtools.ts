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
  const target = await s.browser.waitForTarget((t) => t.url().startsWith('devtools://') && !before.has(t), { timeout: 15_000 });
  const devtools = (await target.asPage())!;
  // Wait until the extension's devtools page has created the panel, then show it.
  const until = Date.now() + 15_000;
  await showPanel(devtools, `chrome-extension://${s.extensionId}Why401`, 15_000);
  let frame: Frame | undefined;
  while (!(frame = devtools.frames().find((f) => f.url().startsWith(`chrome-extension://${s.extensionId}/panel.html`)))) {
    if (Date.now() > until) throw new Error('the panel frame did not load');
    await new Promise((r) => setTimeout(r, 50));
  }
  await frame.waitForSelector('.toolbar', { timeout: 10_000 });
  await page.goto(s.lab.url('app.test', '/'), { waitUntil: 'load' });
  const tabId = await s.tabIdOf(page);
  return { page, devtools, frame, tabId };
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
