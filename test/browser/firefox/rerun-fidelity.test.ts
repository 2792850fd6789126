/**
 * "Re-run as sent" in real Firefox ESR: a cross-site iframe (api.test inside app.test) calls its
 * own API; Firefox withholds the SameSite=Strict session cookie and the server answers 401. The
 * panel (reachable as a page in the test build; Firefox's DevTools frame cannot be automated)
 * re-runs from the extension, so it must say beforehand which cookie may differ, and must not
 * call the failure "Fixed" whatever the lab answers. The lab's log is the witness.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Frame, Page } from 'puppeteer-core';
import { chooseAction } from '../helpers/actions.ts';
import { gotoExtensionPage, launchFirefox, waitForSelectorIn, waitInPage, type FirefoxSession } from '../helpers/firefox.ts';

describe('re-run fidelity in Firefox: a cross-site iframe’s failure', () => {
  let s: FirefoxSession;
  before(async () => {
    s = await launchFirefox();
  });
  after(async () => {
    await s?.close();
  });

  it('says beforehand which cookie will differ; the lab sees what went; the failure is not "Fixed"', async (t) => {
    const page = await s.browser.newPage();
    // Sign in to api.test at the top level: a SameSite=Strict session cookie; then app.test.
    await page.goto(s.lab.url('api.test', `/s/session/login?cookie=sid_strict&samesite=Strict&next=${encodeURIComponent(s.lab.url('app.test', '/'))}`));
    await waitInPage(page, () => location.hostname === 'app.test');
    const tabId = await s.tabIdOf(page);
    await page.evaluate((src) => {
      const f = document.createElement('iframe');
      f.src = src;
      document.body.append(f);
    }, s.lab.url('api.test', '/'));
    let frame: Frame | undefined;
    for (const until = Date.now() + 10_000; !frame && Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
      frame = page.frames().find((x) => x.url().startsWith(s.lab.url('api.test', '/')));
    }
    assert.ok(frame, 'the cross-site frame loaded');
    const meUrl = s.lab.url('api.test', '/s/session/me?cookie=sid_strict');
    // The frame signs in to something of its own (a cookie Firefox keeps in app.test's partition),
    // so its calls carry cookies, and "as sent" sends cookies too; the Strict one stays withheld.
    assert.equal(await frame.evaluate(() => fetch('/s/session/login?cookie=sid_chip&samesite=None&partitioned=1', { method: 'POST', credentials: 'include' }).then((r) => r.status)), 200);
    assert.equal(await frame.evaluate((u) => fetch(u, { credentials: 'include' }).then((r) => r.status), meUrl), 401, 'Firefox withheld the SameSite=Strict cookie from the cross-site frame');
    const snap = await s.waitForRecords(tabId, 1);
    assert.match(snap.records.at(-1)!.entry.request.headers.find((h) => h.name.toLowerCase() === 'cookie')?.value ?? '', /sid_chip=/, 'the frame\'s own cookie went');
    assert.equal(snap.records.at(-1)!.findings[0]?.cause, 'cookie-blocked');

    const panel: Page = await s.browser.newPage();
    await gotoExtensionPage(panel, s.lab.url('app.test', '/', 'http'), `${s.base}panel.html?tab=${tabId}`);
    await waitInPage(panel, () => document.querySelectorAll('.row').length >= 1);
    await (await panel.$$('.row')).at(-1)!.click();
    await waitForSelectorIn(panel, '.where.differs');
    const warning = await panel.$eval('.where.differs', (e) => e.textContent ?? '');
    assert.match(warning, /will not be the same request/);
    assert.match(warning, /"sid_strict" was withheld from the original \(it is SameSite=Strict and this request is cross-site\)/);

    const before = s.lab.state.exchanges.filter((x) => x.url.includes('/s/session/me?cookie=sid_strict')).length;
    await chooseAction(panel, /^Re-run( as sent)?$/);
    await waitInPage(panel, () => /→ \d{3}/.test(document.querySelector('.reruns')?.textContent ?? ''), 10_000);
    const rerun = s.lab.state.exchanges.filter((x) => x.url.includes('/s/session/me?cookie=sid_strict')).slice(before);
    assert.equal(rerun.length, 1, 'the lab saw the re-run');
    t.diagnostic(`Firefox's re-run from the extension got ${rerun[0]!.status} (200: the withheld cookie went along)`);
    const line = await panel.$eval('.reruns li', (e) => ({ text: e.textContent ?? '', ok: e.classList.contains('ok') }));
    // Whatever Firefox sent from the extension, the answer does not say the original is fixed.
    if (rerun[0]!.status === 200) assert.match(line.text, /not the same request as the original/);
    assert.equal(line.ok, false, 'not shown as a success');
    assert.doesNotMatch(await panel.$eval('.verdict h2', (e) => e.textContent ?? ''), /^Fixed/);
    const stored = (await s.snapshot(tabId)).records.at(-1)!.reruns?.at(-1);
    assert.equal(stored?.status, rerun[0]!.status);
    assert.ok(stored?.differs?.some((d) => d.includes('sid_strict')), 'the background keeps what differed');
    assert.deepEqual((await s.request<{ errors: string[] }>({ type: 'get-diagnostics' })).errors, []);
  });
});
