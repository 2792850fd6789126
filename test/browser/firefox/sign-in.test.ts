/**
 * Sign-in flows in Firefox ESR with DevTools closed: the lab's real provider and client, the
 * capture follows the steps (Firefox's requestBody listener gives the token request's form), the
 * background names what broke, the popup says so and the panel (as a page) shows the flows.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { root } from '../../helpers/build.ts';
import { OIDC_VARIANTS } from '../../lab/server.ts';
import { gotoExtensionPage, launchFirefox, waitForSelectorIn, waitInPage, type FirefoxSession } from '../helpers/firefox.ts';

const results = join(root, 'test-results');
mkdirSync(results, { recursive: true });

interface FlowView {
  findings: { cause: string; title: string }[];
  runs: { label: string; count: number; broken: boolean }[];
}

describe('Firefox: sign-in flows followed by the capture', () => {
  let s: FirefoxSession;
  before(async () => {
    s = await launchFirefox();
  });
  after(async () => {
    await s?.close();
  });

  it('a token request with another redirect_uri: named by the background, said by the popup, shown by the panel', async () => {
    const page = await s.browser.newPage();
    await page.goto(s.lab.url('app.test', '/s/oidc/?variant=redirect-mismatch'));
    await waitInPage(page, () => typeof (window as unknown as { oidcDone?: string }).oidcDone === 'string', 30_000);
    assert.match(String(await page.evaluate(() => (window as unknown as { oidcDone?: string }).oidcDone)), /token refused: invalid_grant/);
    const tabId = await s.tabIdOf(page);
    let flows: FlowView[] = [];
    for (const until = Date.now() + 10_000; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
      flows = (await s.request<{ flows: FlowView[] }>({ type: 'get-flows', tabId })).flows;
      if (flows.some((f) => f.findings.length > 0)) break;
    }
    assert.deepEqual(flows.flatMap((f) => f.findings.map((x) => x.cause)), ['redirect-uri-mismatch']);
    assert.deepEqual(flows[0]!.runs.map((r) => r.label), ['sign-in', 'callback', 'token']);

    const popup = await s.browser.newPage();
    await gotoExtensionPage(popup, s.lab.url('app.test', '/', 'http'), `${s.base}popup.html?tab=${tabId}`);
    await waitForSelectorIn(popup, '.sign-in-broke');
    assert.match((await popup.$eval('.sign-in-broke', (e) => e.textContent)) ?? '', /Sign-in broke: The token request sent another redirect_uri/);
    await popup.screenshot({ path: join(results, 'firefox-popup-sign-in.png') });
    await popup.close();

    const panel = await s.browser.newPage();
    await gotoExtensionPage(panel, s.lab.url('app.test', '/', 'http'), `${s.base}panel.html?tab=${tabId}`);
    await waitForSelectorIn(panel, '.statusbar .sign-in-toggle');
    await panel.click('.statusbar .sign-in-toggle');
    await waitInPage(panel, () => /seen by the capture, 1 broken/.test(document.querySelector('.sign-in-count')?.textContent ?? ''), 10_000);
    assert.match((await panel.$eval('.sign-in-note', (e) => e.textContent)) ?? '', /the token answers read as they passed/, 'Firefox reads the answers: the view does not send the user to DevTools for them');
    await panel.screenshot({ path: join(results, 'firefox-sign-in-capture.png') });
    await panel.close();
    await page.close();
  });
});

/**
 * Every variant of the lab's sign-in client in Firefox with DevTools closed: the capture hears the
 * token requests' forms and (Firefox's response filter) their answers, so it follows the token's
 * life as DevTools' log does. What it names for each, beside how the real client ended.
 */
describe('Firefox: every sign-in variant, as the capture follows it', () => {
  let s: FirefoxSession;
  before(async () => {
    s = await launchFirefox();
  });
  after(async () => {
    await s?.close();
  });

  /** Run a variant of the lab's sign-in client in a new tab, to its end: the tab, its id, and how the client said it ended. */
  async function runVariant(variant: string): Promise<{ page: Awaited<ReturnType<typeof s.browser.newPage>>; tabId: number; ended: string }> {
    const page = await s.browser.newPage();
    await page.goto(s.lab.url('app.test', `/s/oidc/?variant=${variant}`));
    await waitInPage(page, () => typeof (window as unknown as { oidcDone?: string }).oidcDone === 'string', 60_000);
    const ended = String(await page.evaluate(() => (window as unknown as { oidcDone?: string }).oidcDone));
    return { page, tabId: await s.tabIdOf(page), ended };
  }

  /** Each variant: how the client ends, and the flow causes the background names (in order). */
  const cases: [variant: string, ended: RegExp, causes: string[]][] = [
    ['healthy', /signed in; the API answered 200/, []],
    ['redirect-mismatch', /token refused: invalid_grant/, ['redirect-uri-mismatch']],
    ['pkce-mismatch', /token refused: invalid_grant/, ['pkce-mismatch']],
    ['pkce-plain', /sign-in refused: invalid_request/, ['pkce-mismatch']],
    ['callback-reload', /token refused: invalid_grant/, ['state-mismatch', 'code-reused']],
    ['state-unknown', /sign-in refused: .*state/i, ['state-mismatch']],
    ['nonce-mismatch', /token refused: .*nonce/i, ['nonce-mismatch']],
    ['login-loop', /loop: 4 rounds/, ['login-loop']],
    ['id-token-to-api', /signed in; the API answered 401/, []],
    ['token-cors', /token request failed/i, ['token-endpoint-cors']],
    ['issuer-mismatch', /token refused: .*iss/i, ['issuer-mismatch']],
    ['confidential-client', /token refused: invalid_client/, ['public-client-auth']],
    ['secret-in-page', /signed in; the API answered 200/, ['public-client-auth']],
    ['refresh-healthy', /refreshed; the API answered 200/, []],
    ['refresh-race', /refreshes: (ok, invalid_grant|invalid_grant, ok)/, ['refresh-token-reused']],
    ['refresh-loop', /gave up after 4 refreshes; the API answered 401/, ['refresh-loop']],
    ['refresh-schedule', /schedule: \d{2} refreshes, \d+ calls, 0 refused/, []],
    ['refresh-storm', /storm: 200 calls, 200 refreshes \(19\d refused\)/, ['refresh-token-reused', 'refresh-loop']],
    ['no-refresh-token', /no refresh token; the API answered 401/, ['refresh-token-missing']],
    ['stale-token', /refreshed; the API answered 401 to the old token/, ['stale-token-after-refresh']],
    ['refresh-expired', /refresh refused: invalid_grant/, ['refresh-token-expired']],
    ['silent-renew', /silent renew: login_required/, ['silent-renew-blocked']],
  ];

  it('every variant the lab offers is run here', () => {
    assert.deepEqual(cases.map(([v]) => v).sort(), OIDC_VARIANTS.map(([v]) => v).sort());
  });

  for (const [variant, ended, expected] of cases) {
    it(`${variant}: ${expected.length > 0 ? expected.join(', ') : 'no flow finding'}`, async () => {
      const { page, tabId, ended: how } = await runVariant(variant);
      assert.match(how, ended, 'how the real client ended');
      let flows: FlowView[] = [];
      // The last step's answer may still be on its way to the background: until the findings stop changing.
      let last = '';
      for (const until = Date.now() + 5_000; Date.now() < until; await new Promise((r) => setTimeout(r, 250))) {
        flows = (await s.request<{ flows: FlowView[] }>({ type: 'get-flows', tabId })).flows;
        const now = JSON.stringify(flows);
        if (now === last && flows.flatMap((f) => f.findings).length >= expected.length) break;
        last = now;
      }
      assert.deepEqual(flows.flatMap((f) => f.findings.map((x) => x.cause)), expected, JSON.stringify(flows.map((f) => f.runs)));
      await page.close();
    });
  }

  it('a healthy app refreshing on schedule for three minutes in a tab with history (a broken sign-in, failures): no new finding, no failure', async () => {
    const page = await s.browser.newPage();
    const ended = async (timeout: number) => {
      await waitInPage(page, () => typeof (window as unknown as { oidcDone?: string }).oidcDone === 'string', timeout);
      return String(await page.evaluate(() => (window as unknown as { oidcDone?: string }).oidcDone));
    };
    // The tab's history: a sign-in that broke, and failures of the lab's API.
    await page.goto(s.lab.url('app.test', '/s/oidc/?variant=redirect-mismatch'));
    assert.match(await ended(30_000), /token refused: invalid_grant/);
    const tabId = await s.tabIdOf(page);
    await page.evaluate(async (u) => {
      for (let i = 0; i < 3; i++) await fetch(u, { headers: { Authorization: 'Bearer undefined' } });
    }, s.lab.url('api.test', '/s/bearer/me'));
    await s.waitForRecords(tabId, 3);
    // Three minutes of 2 s access tokens, each refreshed before it expires, the API called with the current one.
    await page.goto(s.lab.url('app.test', '/s/oidc/?variant=refresh-schedule&seconds=180'));
    const result = await ended(240_000);
    const m = /schedule: (\d+) refreshes, (\d+) calls, 0 refused/.exec(result);
    assert.ok(m && Number(m[1]) >= 100, `the app refreshed on schedule: ${result}`);
    const flows = (await s.request<{ flows: FlowView[] }>({ type: 'get-flows', tabId })).flows;
    assert.deepEqual(flows.flatMap((f) => f.findings.map((x) => x.cause)), ['redirect-uri-mismatch'], 'only the earlier broken sign-in');
    const healthy = flows.find((f) => f.findings.length === 0 && f.runs.some((r) => r.label === 'refresh'));
    assert.ok(healthy && healthy.runs.find((r) => r.label === 'refresh')!.count >= 100, JSON.stringify(flows.map((f) => f.runs)));
    assert.equal((await s.snapshot(tabId)).count, 0, 'no failure during the schedule');
    await page.close();
  });

  it('a token a refresh had replaced, still sent: the panel draws the token’s life and names the refresh in "what changed"', async () => {
    const { page, tabId } = await runVariant('stale-token');
    await s.waitForRecords(tabId, 1, 10_000);
    const panel = await s.browser.newPage();
    await gotoExtensionPage(panel, s.lab.url('app.test', '/', 'http'), `${s.base}panel.html?tab=${tabId}`);
    await waitForSelectorIn(panel, '.row');
    await panel.click('.row');
    await waitForSelectorIn(panel, '.lane ol.story li');
    const lane = await panel.$$eval('.lane ol.story li', (items) => items.map((x) => x.textContent));
    assert.deepEqual(lane, ['signed in', '200 worked', 'replaced it', '401 this request']);
    assert.match((await panel.$eval('.lane-finding', (e) => e.textContent)) ?? '', /still carried the token a refresh had replaced/);
    assert.match((await panel.$eval('.since-refresh', (e) => e.textContent)) ?? '', /^Since then, the refresh at \S+ \(POST https?:\/\/idp\.test:\d+\/token → 200\) issued a new access token; this request still carried the one it replaced\.$/);
    const story = await panel.$$eval('ol.story li', (items) => items.filter((x) => !x.closest('.lane')).map((x) => x.textContent));
    assert.deepEqual(story, ['sign-in', '200', '401 Token expired'], 'the sign-in as one event of the story');
    await panel.$eval('.lane', (e) => e.scrollIntoView({ block: 'center' }));
    await panel.screenshot({ path: join(results, 'firefox-token-lane.png') });
    await panel.close();
    await page.close();
  });

  it('a refresh storm is one failure: the badge counts it once, the popup and the panel show it once with its count', async () => {
    const { page, tabId } = await runVariant('refresh-storm');
    // Every answer of the storm, to the last: a refresh that beat the others may still cost one more 401 (a reused refresh token revokes the grant).
    const snap = await s.waitForRecords(tabId, 200, 20_000, 1500);
    assert.equal(snap.count - (snap.repeats ?? 0), 1, `one failure and its repeats (${snap.count}, ${snap.repeats ?? 0} repeats)`);
    assert.equal(await s.badgeText(tabId), '1');
    const popup = await s.browser.newPage();
    await gotoExtensionPage(popup, s.lab.url('app.test', '/', 'http'), `${s.base}popup.html?tab=${tabId}`);
    await waitForSelectorIn(popup, '.failure .repeats');
    assert.equal((await popup.$$('.failure')).length, 1);
    assert.equal(await popup.$eval('.failure .repeats', (e) => e.textContent), ` · ×${snap.count}`);
    await popup.screenshot({ path: join(results, 'firefox-popup-storm.png') });
    await popup.close();
    const panel = await s.browser.newPage();
    await gotoExtensionPage(panel, s.lab.url('app.test', '/', 'http'), `${s.base}panel.html?tab=${tabId}`);
    // The panel paints the newest records first and asks for the older ones after.
    for (const until = Date.now() + 15_000; (await panel.evaluate(() => document.querySelector('.row .repeats')?.textContent ?? '').catch(() => '')) !== `×${snap.count}`; ) {
      assert.ok(Date.now() < until, 'the panel’s row shows the whole count');
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal((await panel.$$('.row')).length, 1);
    await panel.click('.row');
    await waitForSelectorIn(panel, '.group-note');
    // The token's life under the story: the storm drawn as one event, after the failure.
    await waitForSelectorIn(panel, '.lane li.lane-storm');
    assert.match((await panel.$eval('.lane li.lane-storm', (e) => e.textContent)) ?? '', /^storm ×\d+$/);
    assert.equal((await panel.$$('.lane ol.story li')).length <= 14, true);
    await panel.screenshot({ path: join(results, 'firefox-panel-storm.png') });
    await panel.$eval('.lane', (e) => e.scrollIntoView({ block: 'center' }));
    await panel.screenshot({ path: join(results, 'firefox-token-lane-storm.png') });
    await panel.click('.statusbar .group-toggle');
    await waitInPage(panel, () => document.querySelectorAll('.row').length > 1, 5_000);
    await panel.close();
    await page.close();
  });
});
