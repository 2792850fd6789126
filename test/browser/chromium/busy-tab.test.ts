/**
 * A developer's real day, as a property (issue: "right on a developer's real day"): every lab
 * scenario run in ONE tab, in seeded random orders, with navigations, Preserve log on and off,
 * Why 401's own Clear site cookies and Undo, and the list cleared in between, must get the same
 * primary cause as in a fresh tab (the scenario's declared cause, which scenarios.test.ts checks
 * in a fresh tab), the note it must carry, and no note the page's script contradicts. One order
 * runs with a clock-skew tolerance set. A failing order names its seed and steps:
 * WHY401_BUSY_SEED replays it, WHY401_BUSY_ORDERS runs more.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'puppeteer-core';
import { SCENARIOS } from '../../lab/scenarios.ts';
import { busyTabOrder, type BusyDriver } from '../helpers/busy-tab.ts';
import { launch, type Session } from '../helpers/chromium.ts';
import { extensionPage, hook } from '../helpers/hook.ts';

const ORDERS = Number(process.env['WHY401_BUSY_ORDERS'] ?? 5);
const FIRST_SEED = Number(process.env['WHY401_BUSY_SEED'] ?? 20261206);

/** The scenarios a Chromium tab runs without a browser setting or the 403 switch. */
const eligible = SCENARIOS.filter((sc) => !sc.setting && !sc.needs403 && (!sc.browsers || sc.browsers.includes('chromium')));

describe('a busy Chromium tab: every scenario in one tab, in seeded random orders', () => {
  let s: Session;
  let ext: Page;
  let driver: BusyDriver;
  before(async () => {
    s = await launch();
    ext = await extensionPage(s);
    driver = {
      request: (m) => hook(ext, m) as Promise<never>,
      labUrl: (host, path, scheme) => s.lab.url(host, path, scheme),
      newLabPage: () => s.labPage(),
      snapshot: (tabId) => s.snapshot(tabId),
      async clearBrowserCookies() {
        const cdp = await ext.createCDPSession();
        await cdp.send('Network.clearBrowserCookies');
        await cdp.detach();
      },
    };
  });
  after(async () => {
    await s?.close();
  });

  for (let k = 0; k < ORDERS; k++) {
    const seed = FIRST_SEED + k;
    const skew = k === 2 ? 30 : 0;
    it(`order ${k + 1} (seed ${seed}${skew ? `, clock-skew tolerance ${skew} s` : ''}): the same verdicts as in a fresh tab`, async () => {
      const { wrong, steps } = await busyTabOrder(driver, eligible, seed, skew);
      assert.deepEqual(wrong, [], `seed ${seed}; steps: ${steps.join(' → ')}`);
    });
  }
});
