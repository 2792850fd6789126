/**
 * The busy-tab property in Firefox ESR, for the scenarios where the browsers' cookie handling
 * differs: the cookie and session scenarios (and the ones that set the cookies they trip over)
 * run in ONE tab in seeded random orders, with Preserve log on and off, Why 401's Clear site
 * cookies and Undo, and the list cleared in between, and must get the cause they get in a fresh
 * tab (test/browser/helpers/busy-tab.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SCENARIOS } from '../../lab/scenarios.ts';
import { busyTabOrder, type BusyDriver } from '../helpers/busy-tab.ts';
import { launchFirefox, type FirefoxSession } from '../helpers/firefox.ts';

const ORDERS = Number(process.env['WHY401_BUSY_ORDERS'] ?? 5);
const FIRST_SEED = Number(process.env['WHY401_BUSY_SEED'] ?? 20261206);

/** The cookie scenarios Firefox runs with its default settings (the smoke suite's, and the rest of the family). */
const COOKIE_SCENARIOS = ['credentials-not-included', 'cookie-blocked-strict', 'cookie-out-of-scope-host', 'cookie-out-of-scope-path', 'session-cookie-missing', 'session-cookie-expired', 'cookie-blocked-secure', 'missing-credentials', 'token-expired'];
const eligible = SCENARIOS.filter((sc) => COOKIE_SCENARIOS.includes(sc.id) && !sc.setting && (!sc.browsers || sc.browsers.includes('firefox')));

describe('a busy Firefox tab: the cookie scenarios in one tab, in seeded random orders', () => {
  let s: FirefoxSession;
  let driver: BusyDriver;
  before(async () => {
    s = await launchFirefox();
    driver = {
      request: (m) => s.request(m),
      labUrl: (host, path, scheme) => s.lab.url(host, path, scheme),
      async newLabPage() {
        const page = await s.browser.newPage();
        await page.goto(s.lab.url('app.test', '/'));
        return { page, tabId: await s.tabIdOf(page) };
      },
      snapshot: (tabId) => s.snapshot(tabId),
      async clearBrowserCookies() {
        await s.ext.evaluate(async () => {
          const b = (globalThis as unknown as { browser: typeof chrome }).browser;
          for (const c of await b.cookies.getAll({})) await b.cookies.remove({ url: `http${c.secure ? 's' : ''}://${c.domain.replace(/^\./, '')}${c.path}`, name: c.name });
        });
      },
    };
  });
  after(async () => {
    await s?.close();
  });

  it('runs the cookie family', () => {
    assert.equal(eligible.length, COOKIE_SCENARIOS.length, `eligible: ${eligible.map((x) => x.id).join(', ')}`);
  });

  for (let k = 0; k < ORDERS; k++) {
    const seed = FIRST_SEED + k;
    it(`order ${k + 1} (seed ${seed}): the same verdicts as in a fresh tab`, async () => {
      const { wrong, steps } = await busyTabOrder(driver, eligible, seed);
      assert.deepEqual(wrong, [], `seed ${seed}; steps: ${steps.join(' → ')}`);
    });
  }
});
