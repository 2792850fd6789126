/**
 * The panel's sign-in view in real DevTools (Chromium): the lab's sign-in page runs against its
 * real provider (oidc-provider at idp.test) while the panel is open; the view reads DevTools'
 * network log (the token answers' bodies included) and shows what core found: the flow's steps,
 * the broken one marked, the cause and its fixes — and no token, code or state anywhere in it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from 'puppeteer-core';
import { groupFailures } from '../../../src/core/verdict/burst.ts';
import { dist, root } from '../../helpers/build.ts';
import { helperPage, launch, type Session } from '../helpers/chromium.ts';
import { extensionPage, hook } from '../helpers/hook.ts';
import { openPanel, painting, panelErrors, selectRow, showPanel, type DevtoolsPanel } from '../helpers/devtools.ts';

const results = join(root, 'test-results');
mkdirSync(results, { recursive: true });

/** Run a variant of the lab's sign-in client in the inspected tab; how the client says it ended. */
async function runVariant(s: Session, p: DevtoolsPanel, variant: string): Promise<string> {
  await p.page.goto(s.lab.url('app.test', `/s/oidc/?variant=${variant}`), { waitUntil: 'load' });
  const done = await p.page.waitForFunction(() => (window as unknown as { oidcDone?: string }).oidcDone, { timeout: 30_000, polling: 100 });
  return String(await done.jsonValue());
}

/**
 * Open the sign-in view and read DevTools' log until the view says `expect` (DevTools records a
 * response a moment after the page has it: "Read again", as a user would, for up to 15 s).
 */
async function signInView(frame: Frame, expect: RegExp): Promise<string> {
  await painting(frame);
  const open = await frame.$eval('.sign-in-toggle', (b) => b.getAttribute('aria-pressed') === 'true');
  if (!open) await frame.click('.sign-in-toggle');
  let text = '';
  for (const until = Date.now() + 20_000; Date.now() < until; ) {
    // Read: DevTools' log, or the capture's flows while DevTools' log holds none yet.
    // (A read still under way when the wait ends is read again: DevTools may answer slowly on a loaded machine.)
    const read = await frame.waitForFunction(() => /in DevTools’ network log|seen by the capture/.test(document.querySelector('.sign-in-count')?.textContent ?? ''), { timeout: 10_000, polling: 100 }).then(() => true, () => false);
    text = await frame.$eval('.sign-in', (e) => e.textContent ?? '');
    if (read && /in DevTools’ network log/.test(text) && expect.test(text)) return text;
    await new Promise((r) => setTimeout(r, 500));
    await frame.click('.sign-in-head button');
  }
  throw new Error(`the sign-in view never said ${expect}: ${text.slice(0, 600)}`);
}

describe('the sign-in view in real DevTools (Chromium)', () => {
  let s: Session;
  let p: DevtoolsPanel;
  let errors: string[];
  before(async () => {
    s = await launch({ devtools: true });
    p = await openPanel(s);
    errors = panelErrors(p, s);
  });
  after(async () => {
    await s?.close();
  });

  it('two refreshes racing with one refresh token: the flow, the refused refresh marked, refresh-token-reused and its fixes', async () => {
    assert.match(await runVariant(s, p, 'refresh-race'), /refreshes: (ok, invalid_grant|invalid_grant, ok)/);
    const text = await signInView(p.frame, /refresh ×2/);
    assert.match(text, /1 in DevTools’ network log, 1 broken/);
    const chain = await p.frame.$$eval('.flow .chain .step', (steps) => steps.map((x) => x.textContent));
    assert.deepEqual(chain, ['sign-in', 'callback', 'token', 'refresh ×2 ✗'], 'the whole flow, the refused refresh marked');
    // Each step opens its exchange: DevTools' Network panel, filtered to it.
    const title = await p.frame.$eval('.flow .chain .step:last-child .step-open', (b) => b.getAttribute('title') ?? '');
    assert.match(title, /^Show this step in the Network panel: POST https:\/\/idp\.test:\d+\/token → (200|400)$/);
    await p.frame.click('.flow .chain .step:last-child .step-open');
    const current = () => p.devtools.evaluate(async () => {
      const legacy: string = './ui/legacy/legacy.js';
      const UI = (await import(legacy)) as { InspectorView: { InspectorView: { instance(): { currentPanelDeprecated(): { name: string } | null } } } };
      return UI.InspectorView.InspectorView.instance().currentPanelDeprecated()?.name;
    });
    for (let until = Date.now() + 5000; (await current()) !== 'network' && Date.now() < until; ) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await current(), 'network', 'the step opened the Network panel');
    await showPanel(p.devtools, `chrome-extension://${s.extensionId}Why401`, 5000);
    await p.frame.waitForSelector('.sign-in');
    assert.match(text, /refresh token reused/i);
    assert.match(text, /Refreshes raced with one refresh token/);
    assert.match(text, /single-flight/);
    const toolbar = await p.frame.$eval('.toolbar', (t) => ({ width: t.clientWidth, right: Math.max(...[...t.children].map((c) => c.getBoundingClientRect().right)) }));
    assert.ok(toolbar.right <= toolbar.width + 1, `every toolbar control inside the docked panel (${toolbar.right} > ${toolbar.width})`);
    await p.devtools.screenshot({ path: join(results, 'chromium-sign-in-view.png') });
    // The same in DevTools' dark theme (the panel follows it): looked at, not asserted.
    await p.frame.evaluate(() => (document.documentElement.dataset['theme'] = 'dark'));
    await p.devtools.screenshot({ path: join(results, 'chromium-sign-in-view-dark.png') });
    await p.frame.evaluate(() => (document.documentElement.dataset['theme'] = 'light'));
  });

  it('holds no secret: no token, code or state of the flow is in the view', async () => {
    const log = await p.page.evaluate(() => ({ url: location.href, storage: JSON.stringify(sessionStorage) }));
    const html = await p.frame.$eval('.sign-in', (e) => e.outerHTML);
    const state = /[?&]state=([^&]+)/.exec(log.url)?.[1];
    const code = /[?&]code=([^&]+)/.exec(log.url)?.[1];
    for (const secret of [state, code]) if (secret) assert.ok(!html.includes(decodeURIComponent(secret)), 'a code or state in the view');
    assert.ok(!/"(?:access|refresh)_token"/.test(html));
  });

  it('a healthy sign-in and refresh: listed, none broken; back to the failures', async () => {
    assert.match(await runVariant(s, p, 'refresh-healthy'), /refreshed; the API answered 200/);
    // DevTools keeps the log of the page (the sign-in's redirects through the provider end in it): the new flow only.
    // Until DevTools has recorded the refresh too (it records a response a moment after the page has it).
    const text = await signInView(p.frame, /1 in DevTools’ network log, none broken[\s\S]*refresh/);
    const flows = await p.frame.$$eval('li.flow', (items) => items.map((x) => ({ broken: x.classList.contains('broken'), chain: [...x.querySelectorAll('.chain .step')].map((s) => s.textContent) })));
    assert.deepEqual(flows, [{ broken: false, chain: ['sign-in', 'callback', 'token', 'refresh'] }]);
    await p.frame.click('.sign-in-head button:last-of-type');
    await p.frame.waitForSelector('.split:not([hidden])', { timeout: 15_000 });
    assert.equal(await p.frame.$('.sign-in'), null);
    assert.deepEqual(errors, []);
  });

  it('a token a refresh had replaced, still sent: the failure’s detail draws the token’s life (signed in → worked → refreshed → 401) and "what changed" names the refresh; its flow opens from there', async () => {
    assert.match(await runVariant(s, p, 'stale-token'), /refreshed; the API answered 401 to the old token/);
    await p.frame.waitForFunction(() => [...document.querySelectorAll('.row')].some((r) => /oidc-api\/me/.test(r.textContent ?? '')), { timeout: 10_000, polling: 100 });
    const rows = await p.frame.$$eval('.row', (rs) => rs.map((r) => r.textContent ?? ''));
    await selectRow(p.frame, rows.findLastIndex((r) => /oidc-api\/me/.test(r)));
    // The lane needs the tab's flows: the detail reads them (DevTools' log) and draws it.
    await p.frame.waitForSelector('.lane ol.story li', { timeout: 15_000 });
    const lane = await p.frame.$$eval('.lane ol.story li', (items) => items.map((x) => ({ short: x.textContent, cls: x.className.replace(/\s*shown/, '') })));
    assert.deepEqual(lane.map((x) => x.short), ['signed in', '200 worked', 'replaced it', '401 this request']);
    assert.deepEqual(lane.map((x) => x.cls), ['lane-signed-in this-token', 'lane-worked', 'lane-refreshed replaced-it', 'lane-failure this-token']);
    assert.match(await p.frame.$eval('.lane-finding', (e) => e.textContent ?? ''), /^Stale token after refresh The request still carried the token a refresh had replaced$/i);
    assert.match(await p.frame.$eval('.lane .story-detail', (e) => e.textContent ?? ''), /^the failure This request carried the access token the sign-in at \S+ issued; the refresh at \S+ had replaced it .* before this request\.$/);
    // Each event's sentence on a click (keyboard too: they are buttons).
    await p.frame.click('.lane ol.story li:nth-child(3) button');
    assert.match(await p.frame.$eval('.lane .story-detail', (e) => e.textContent ?? ''), /before the failure The refresh \(POST https:\/\/idp\.test:\d+\/token → 200\) issued a new access token, replacing the one this request carried, good for 2 seconds, and a new refresh token \(rotation\)\./);
    // The story above shows the sign-in as one event (its flow's steps in its sentence), before the success.
    const story = await p.frame.$$eval('ol.story li', (items) => items.filter((x) => !x.closest('.lane')).map((x) => x.textContent));
    assert.deepEqual(story, ['sign-in', '200', '401 Token expired']);
    await p.frame.$$eval('ol.story li.story-sign-in button', (b) => (b[0] as HTMLElement).click());
    assert.match(await p.frame.$eval('.story-detail', (e) => e.textContent ?? ''), /before the failure Sign-in flow 1 with idp\.test \(client lab-spa-short\): sign-in → callback → token\./);
    const since = await p.frame.$eval('.since-refresh', (e) => e.textContent ?? '');
    assert.match(since, /^Since then, the refresh at \S+ \(POST https:\/\/idp\.test:\d+\/token → 200\) issued a new access token; this request still carried the one it replaced\.$/);
    const html = await p.frame.$eval('.detail', (e) => e.outerHTML);
    assert.ok(!/"(?:access|refresh)_token"/.test(html));
    await p.frame.$eval('.lane', (e) => e.scrollIntoView({ block: 'center' }));
    await p.devtools.screenshot({ path: join(results, 'chromium-token-lane.png') });
    await p.frame.evaluate(() => (document.documentElement.dataset['theme'] = 'dark'));
    await p.devtools.screenshot({ path: join(results, 'chromium-token-lane-dark.png') });
    await p.frame.evaluate(() => (document.documentElement.dataset['theme'] = 'light'));
    // Its sign-in flow, from the lane: the sign-in view opens with that flow in focus.
    await p.frame.click('.lane h4 .link');
    await p.frame.waitForFunction(() => document.activeElement?.matches('li.flow') && /stale|replaced/i.test(document.activeElement.textContent ?? ''), { timeout: 15_000, polling: 100 });
    await p.frame.click('.sign-in-head button:last-of-type');
    await p.frame.waitForSelector('.split:not([hidden])', { timeout: 15_000 });
    assert.deepEqual(errors, []);
  });
  it('another session’s code injected into a sign-in without PKCE: the token step marked nonce mismatch, the explanation says PKCE would have stopped it; no code or state in the view', async () => {
    // DevTools' log starts over at each page load: the provider's sign-in page, then the app's
    // callback. Without Preserve log the sign-in begins at its callback, and the view says so.
    assert.match(await runVariant(s, p, 'nonce-mismatch'), /token refused: .*nonce/i);
    const partial = await signInView(p.frame, /begins at the provider’s answer/);
    assert.match(partial, /turn on Preserve log in the Network panel and sign in again/);
    assert.doesNotMatch(partial, /nonce mismatch/i, 'nothing to compare the ID token with');
    await p.devtools.screenshot({ path: join(results, 'chromium-sign-in-start-missing.png') });
    // Preserve log on (DevTools' own setting, as its checkbox sets it): the whole sign-in is in the log.
    const preserved = await p.devtools.evaluate(async () => {
      const path: string = './core/common/common.js';
      const Common = (await import(path)) as { Settings: { Settings: { instance(): { moduleSetting(name: string): { set(v: boolean): void; get(): boolean } } } } };
      for (const name of ['network-log.preserve-log', 'network_log.preserve-log']) {
        try {
          const setting = Common.Settings.Settings.instance().moduleSetting(name);
          setting.set(true);
          if (setting.get()) return name;
        } catch {
          // not this name in this DevTools
        }
      }
      return undefined;
    });
    assert.ok(preserved, 'DevTools’ Preserve log setting');
    assert.match(await runVariant(s, p, 'nonce-mismatch'), /token refused: .*nonce/i);
    const text = await signInView(p.frame, /nonce mismatch/i);
    const chain = await p.frame.$$eval('.flow.broken .chain .step', (steps) => steps.map((x) => x.textContent));
    assert.deepEqual(chain, ['sign-in', 'callback', 'token ✗'], 'the whole sign-in, its token step the broken one');
    assert.match(text, /The ID token's nonce is not the one the authorize request sent/);
    assert.match(text, /with PKCE the provider would have refused that code/);
    const url = await p.page.evaluate(() => location.href);
    for (const name of ['state', 'code']) {
      const value = new URL(url).searchParams.get(name);
      if (value) assert.ok(!text.includes(value), `the callback's ${name} in the view`);
    }
    await p.devtools.screenshot({ path: join(results, 'chromium-sign-in-nonce.png') });
    // No 401 to export: the view's own Export HAR saves the flows' steps, masked, and why401 explain
    // reads the same verdict from the file.
    const downloads = mkdtempSync(join(tmpdir(), 'why401-flows-'));
    try {
      const cdp = await p.devtools.createCDPSession();
      await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
      // Enabled even while the view reads the log again after a page load (the export reads it itself).
      assert.equal(await p.frame.$eval('.sign-in-export', (b) => (b as HTMLButtonElement).disabled), false);
      await p.frame.click('.sign-in-export');
      // The panel says when the file is made (after it has read DevTools' log again, which can take
      // a while on a loaded machine); then the browser saves it.
      const said = await p.frame
        .waitForFunction(() => /Exported|No sign-in step|rror/.test(document.querySelector('.status-text')?.textContent ?? ''), { timeout: 30_000, polling: 100 })
        .then(
          () => p.frame.$eval('.status-text', (e) => e.textContent ?? ''),
          () => p.frame.$eval('.status-text', (e) => `(nothing after 30 s) ${e.textContent ?? ''}`),
        );
      assert.match(said, /^Exported \d+ sign-in steps?, secrets masked\.$/);
      await p.devtools.screenshot({ path: join(results, 'chromium-sign-in-exported.png') });
      let file: string | undefined;
      for (const until = Date.now() + 15_000; !file && Date.now() < until; await new Promise((r) => setTimeout(r, 100))) file = readdirSync(downloads).find((f) => f.endsWith('.har'));
      assert.ok(file, `the export was saved (${readdirSync(downloads).join(', ')}; the panel said: ${said})`);
      const saved = readFileSync(join(downloads, file), 'utf8');
      for (const name of ['state', 'code']) {
        const value = new URL(url).searchParams.get(name);
        if (value) assert.ok(!saved.includes(value), `the callback's ${name} in the exported file`);
      }
      const cli = spawnSync(process.execPath, [join(dist, 'cli', 'why401.mjs'), 'explain', '--json', join(downloads, file)], { encoding: 'utf8' });
      assert.equal(cli.status, 0, cli.stderr);
      const report = JSON.parse(cli.stdout) as { flows?: { findings: { cause: string }[] }[] };
      assert.ok(report.flows?.some((f) => f.findings.some((x) => x.cause === 'nonce-mismatch')), `the CLI reads the flow's verdict from the export: ${JSON.stringify(report.flows?.map((f) => f.findings.map((x) => x.cause)))}`);
    } finally {
      rmSync(downloads, { recursive: true, force: true });
    }
    await p.devtools.evaluate(async (name: string) => {
      const path: string = './core/common/common.js';
      const Common = (await import(path)) as { Settings: { Settings: { instance(): { moduleSetting(name: string): { set(v: boolean): void } } } } };
      Common.Settings.Settings.instance().moduleSetting(name).set(false);
    }, preserved);
    await p.frame.click('.sign-in-head button:last-of-type');
    await p.frame.waitForSelector('.split:not([hidden])', { timeout: 15_000 });
    assert.deepEqual(errors, []);
  });
});

describe('sign-in flows with DevTools closed (Chromium): the capture follows them', () => {
  let s: Session;
  before(async () => {
    s = await launch();
  });
  after(async () => {
    await s?.close();
  });

  it('a token request with another redirect_uri (its form heard by the requestBody listener) and a login loop: the background names both, the popup says so, the panel shows the flows', async () => {
    const { page, tabId } = await s.labPage();
    const ended = async () => String(await (await page.waitForFunction(() => (window as unknown as { oidcDone?: string }).oidcDone, { timeout: 30_000, polling: 100 })).jsonValue());
    await page.goto(s.lab.url('app.test', '/s/oidc/?variant=redirect-mismatch'), { waitUntil: 'load' });
    assert.match(await ended(), /token refused: invalid_grant/);
    await page.goto(s.lab.url('app.test', '/s/oidc/?variant=login-loop'), { waitUntil: 'load' });
    assert.match(await ended(), /loop: 4 rounds/);
    const helper = await extensionPage(s);
    let flows: { findings: { cause: string; title: string }[]; runs: { label: string }[] }[] = [];
    for (const until = Date.now() + 10_000; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
      flows = ((await hook(helper, { type: 'get-flows', tabId })) as { flows: typeof flows }).flows;
      if (flows.filter((f) => f.findings.length > 0).length >= 2) break;
    }
    assert.deepEqual(flows.flatMap((f) => f.findings.map((x) => x.cause)).sort(), ['login-loop', 'redirect-uri-mismatch']);
    assert.ok(flows.some((f) => f.runs.map((r) => r.label).join(' ') === 'sign-in callback token'), JSON.stringify(flows.map((f) => f.runs)));
    const popup = await helperPage(s.browser);
    await popup.setViewport({ width: 380, height: 560 });
    await popup.goto(`chrome-extension://${s.extensionId}/popup.html?tab=${tabId}`, { waitUntil: 'load' });
    await popup.waitForSelector('.sign-in-broke', { timeout: 10_000 });
    assert.match(await popup.$eval('.sign-in-broke', (e) => e.textContent ?? ''), /Sign-in broke \(2 flows\):/);
    await popup.screenshot({ path: join(results, 'chromium-popup-sign-in.png') });
    const panel = await helperPage(s.browser);
    await panel.setViewport({ width: 560, height: 800 });
    await panel.goto(`chrome-extension://${s.extensionId}/panel.html?tab=${tabId}`, { waitUntil: 'load' });
    await panel.waitForSelector('.statusbar .sign-in-toggle.broken', { timeout: 10_000 }).catch(() => undefined);
    await panel.click('.statusbar .sign-in-toggle');
    await panel.waitForFunction(() => /seen by the capture, 2 broken/.test(document.querySelector('.sign-in-count')?.textContent ?? ''), { timeout: 10_000 });
    assert.match(await panel.$eval('.sign-in', (e) => e.textContent ?? ''), /without the answers’ bodies/);
    await panel.screenshot({ path: join(results, 'chromium-sign-in-capture.png') });
    for (const p of [popup, panel, helper]) await p.close();
  });

  it('"Follow sign-ins with DevTools closed" off: the token request’s form is not heard (no token step, no redirect_uri finding); on again: it is', async () => {
    const helper = await extensionPage(s);
    const settings = (await hook(helper, { type: 'get-settings' })) as Record<string, unknown>;
    const flowsAfter = async (variant: string) => {
      const { page, tabId } = await s.labPage();
      await page.goto(s.lab.url('app.test', `/s/oidc/?variant=${variant}`), { waitUntil: 'load' });
      await page.waitForFunction(() => (window as unknown as { oidcDone?: string }).oidcDone, { timeout: 30_000, polling: 100 });
      // The callback is heard by its URL either way: wait for it, then a moment for a token step that may follow.
      let flows: { findings: { cause: string }[]; runs: { label: string }[] }[] = [];
      for (const until = Date.now() + 5_000; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
        flows = ((await hook(helper, { type: 'get-flows', tabId })) as { flows: typeof flows }).flows;
        if (flows.some((f) => f.findings.length > 0)) break;
      }
      await page.close();
      return flows;
    };
    try {
      await hook(helper, { type: 'set-settings', settings: { ...settings, followSignIns: false } });
      const off = await flowsAfter('redirect-mismatch');
      assert.deepEqual(off.map((f) => f.runs.map((r) => r.label).join(' ')), ['sign-in callback'], 'the authorize request and callback (URLs), no token step');
      assert.deepEqual(off.flatMap((f) => f.findings), []);
      await hook(helper, { type: 'set-settings', settings: { ...settings, followSignIns: true } });
      const on = await flowsAfter('redirect-mismatch');
      assert.deepEqual(on.flatMap((f) => f.findings.map((x) => x.cause)), ['redirect-uri-mismatch']);
    } finally {
      await hook(helper, { type: 'set-settings', settings });
      await helper.close();
    }
  });

  it('a refresh storm (an axios interceptor, 200 parallel calls with an expired token): one grouped failure, counted once by the badge, the popup and the panel', async () => {
    const { page, tabId } = await s.labPage();
    await page.goto(s.lab.url('app.test', '/s/oidc/?variant=refresh-storm'), { waitUntil: 'load' });
    const ended = String(await (await page.waitForFunction(() => (window as unknown as { oidcDone?: string }).oidcDone, { timeout: 60_000, polling: 100 })).jsonValue());
    assert.match(ended, /storm: 200 calls, 200 refreshes \(19\d refused\)/);
    // Every answer of the storm, to the last: a refresh that beat the others may still cost one more 401 (a reused refresh token revokes the grant).
    const snap = await s.waitForRecords(tabId, 200, 20_000, 1500);
    assert.ok(snap.count >= 200, `every refused call is kept (${snap.count})`);
    const heads = groupFailures(snap.records).map((g) => `${g.members.length}× ${g.head.findings[0]?.cause ?? 'pending'} ${g.head.entry.request.url} at ${g.head.at}–${g.last}`);
    assert.equal(snap.count - (snap.repeats ?? 0), 1, `one failure and its repeats: ${heads.join('; ')}`);
    assert.equal(await s.badgeText(tabId), '1', 'the badge counts the storm once');
    const helper = await extensionPage(s);
    let causes: string[] = [];
    for (const until = Date.now() + 10_000; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
      const flows = ((await hook(helper, { type: 'get-flows', tabId })) as { flows: { findings: { cause: string }[] }[] }).flows;
      causes = flows.flatMap((f) => f.findings.map((x) => x.cause));
      if (causes.includes('refresh-loop')) break;
    }
    assert.ok(causes.includes('refresh-loop'), `the capture names the storm of refreshes (${causes.join(', ')})`);
    const popup = await helperPage(s.browser);
    await popup.setViewport({ width: 380, height: 560 });
    await popup.goto(`chrome-extension://${s.extensionId}/popup.html?tab=${tabId}`, { waitUntil: 'load' });
    await popup.waitForSelector('.failure .repeats', { timeout: 10_000 });
    assert.match(await popup.$eval('.summary', (e) => e.textContent ?? ''), /1 sign-in failure in this tab/);
    assert.equal(await popup.$eval('.failure .repeats', (e) => e.textContent), ` · ×${snap.count}`);
    assert.equal((await popup.$$('.failure')).length, 1);
    await popup.screenshot({ path: join(results, 'chromium-popup-storm.png') });
    const panel = await helperPage(s.browser);
    await panel.setViewport({ width: 560, height: 800 });
    await panel.goto(`chrome-extension://${s.extensionId}/panel.html?tab=${tabId}`, { waitUntil: 'load' });
    // The panel paints the newest records first and asks for the older ones after.
    await panel.waitForFunction((n) => document.querySelector('.row .repeats')?.textContent === `×${n}`, { timeout: 10_000 }, snap.count);
    assert.equal((await panel.$$('.row')).length, 1, 'one row for the storm');
    await panel.click('.row');
    await panel.waitForSelector('.group-note', { timeout: 10_000 });
    assert.match(await panel.$eval('.group-note', (e) => e.textContent ?? ''), new RegExp(`×${snap.count} ${snap.count} requests to https://api\\.test:\\d+ were answered 401 (within|over) .*, all for the same reason`));
    await panel.screenshot({ path: join(results, 'chromium-panel-storm.png') });
    await panel.click('.group-note button');
    await panel.waitForFunction(() => document.querySelectorAll('.row').length > 1 && !document.querySelector('.row .repeats'), { timeout: 5_000 });
    assert.match(await panel.$eval('.statusbar .group-toggle', (e) => e.textContent ?? ''), /Group repeats/);
    for (const p of [popup, panel, helper]) await p.close();
  });
});
