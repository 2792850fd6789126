/**
 * Firefox's Total Cookie Protection (its default: third-party cookies partitioned per top-level
 * site) as evidence. The real flow, end to end: the failure says it may be the browser's setting
 * and offers to read it; the user's click in the panel asks for the optional `privacy`
 * permission (the pref that answers Firefox's prompt for tests: extensions.webextOptionalPermissionPrompts);
 * the background reads privacy.websites.cookieConfig and judges the failure again with it.
 * (The panel is opened as a tab on the captured tab: Firefox's DevTools cannot be automated.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runScenario } from '../helpers/chromium.ts';
import { gotoExtensionPage, launchFirefox, waitForSelectorIn, waitInPage, type FirefoxSession } from '../helpers/firefox.ts';

describe('Firefox: the browser\'s cookie setting as evidence', () => {
  let s: FirefoxSession;
  before(async () => {
    s = await launchFirefox({ prefs: { 'extensions.webextOptionalPermissionPrompts': false } });
  });
  after(async () => {
    await s?.close();
  });

  it('Total Cookie Protection: unread, the finding offers to read it; read from the panel, the verdict names it', async () => {
    const page = await s.browser.newPage();
    await page.goto(s.lab.url('app.test', '/'));
    const tabId = await s.tabIdOf(page);
    assert.equal(await runScenario(page, 'third-party-cookies'), 401, 'Firefox kept the cookie in api.test\'s own jar');
    const snap = await s.waitForRecords(tabId, 1);
    const first = snap.records[0]!;
    assert.equal(first.findings[0]?.cause, 'credentials-not-included');
    assert.equal(first.findings[0]?.wants, 'cookie-policy');

    // The panel, on that tab: the button asks for the permission in the click, then reads.
    const panel = await s.browser.newPage();
    await gotoExtensionPage(panel, s.lab.url('app.test', '/', 'http'), `${s.base}panel.html?tab=${tabId}`);
    await waitInPage(panel, () => document.querySelectorAll('.row').length >= 1, 10_000);
    await panel.click('.row');
    await waitForSelectorIn(panel, '.finding.primary .wants button');
    await panel.click('.finding.primary .wants button');
    await waitInPage(panel, () => /Cookie not sent/.test(document.querySelector('.row .cause')?.textContent ?? ''), 10_000);
    assert.match(await panel.$eval('.statusbar', (e) => e.textContent ?? ''), /third-party cookies partitioned \(cookieConfig\.behavior: reject_trackers_and_partition_foreign\)\. 1 failure re-diagnosed/);
    const r = (await s.snapshot(tabId)).records[0]!;
    assert.equal(r.findings[0]?.cause, 'cookie-blocked');
    assert.match(r.findings[0]!.title, /Total Cookie Protection/);
    assert.equal(r.entry._why401?.cookiePolicy?.thirdParty, 'partitioned');
    assert.match(r.rediagnosed?.reason ?? '', /third-party-cookie setting/);
    await panel.close();

    // Now allowed: the next failure is judged with the setting from the start. (The scenario
    // navigates, which starts a new list, as DevTools' Network panel does without Preserve log.)
    assert.equal(await runScenario(page, 'third-party-cookies'), 401);
    const fresh = async () => (await s.snapshot(tabId)).records.filter((x) => x.id !== first.id).at(-1);
    let latest = await fresh();
    for (let until = Date.now() + 5000; !latest?.entry._why401?.cookiePolicy && Date.now() < until; ) {
      await new Promise((x) => setTimeout(x, 100));
      latest = await fresh();
    }
    assert.ok(latest, 'the second failure');
    assert.equal(latest.findings[0]?.cause, 'cookie-blocked');
    assert.equal(latest.rediagnosed, undefined, 'judged with it the first time');
    await page.close();
  });
});
