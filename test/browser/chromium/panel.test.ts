/**
 * The real Why 401 panel in real DevTools (headless Chromium): what a user sees and does.
 * Screenshots in light and dark go to test-results/ (looked at; one is in the README).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'puppeteer-core';
import { root } from '../../helpers/build.ts';
import { chooseAction } from '../helpers/actions.ts';
import { readClipboard } from '../helpers/clipboard.ts';
import { helperPage, launch, runScenario, type Session } from '../helpers/chromium.ts';
import { openPanel, panelErrors, rowCauses, selectRow, showPanel, type DevtoolsPanel } from '../helpers/devtools.ts';

const results = join(root, 'test-results');
mkdirSync(results, { recursive: true });

async function select(frame: Frame, index = -1): Promise<void> {
  await selectRow(frame, index);
  await settled(frame);
}

/**
 * Wait until the detail stops changing (its text the same for 500 ms, at most 5 s): a live
 * failure is judged again when DevTools' copy of its body arrives, a moment after its row, and
 * the lines that adds move the buttons a test is about to click.
 */
async function settled(frame: Frame): Promise<void> {
  let last = '';
  let same = 0;
  for (let i = 0; i < 50 && same < 5; i++) {
    const now = await frame.$eval('.detail', (e) => e.textContent ?? '').catch(() => '');
    same = now === last ? same + 1 : 0;
    last = now;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const text = (frame: Frame, sel: string) => frame.$eval(sel, (e) => e.textContent ?? '');

async function devtoolsSetting(p: DevtoolsPanel, name: string, value: string): Promise<void> {
  await p.devtools.evaluate(
    async (n, v) => {
      const modulePath: string = './core/common/common.js';
      const Common = (await import(modulePath)) as { Settings: { Settings: { instance(): { moduleSetting(n: string): { set(v: string): void } } } } };
      Common.Settings.Settings.instance().moduleSetting(n).set(v);
    },
    name,
    value,
  );
}

describe('the Why 401 panel in DevTools', () => {
  let s: Session;
  let p: DevtoolsPanel;
  let errors: string[] = [];
  before(async () => {
    s = await launch({ devtools: true });
    p = await openPanel(s);
    errors = panelErrors(p, s);
    // Undocked, in a window of its own: room for the list and the detail side by side.
    await p.devtools
      .evaluate(async () => {
        const modulePath: string = './ui/legacy/legacy.js';
        const UI = (await import(modulePath)) as { DockController: { DockController: { instance(): { setDockSide(s: string): void } } } };
        UI.DockController.DockController.instance().setDockSide('undocked');
      })
      .catch(() => undefined);
    await p.devtools.setViewport({ width: 1280, height: 800 }).catch(() => undefined);
  });
  after(async () => {
    await s?.close();
  });

  it('shows the verdict, the decoded token, and the evidence', async () => {
    await runScenario(p.page, 'token-expired');
    await p.frame.waitForSelector('.row');
    assert.deepEqual(await rowCauses(p.frame), ['Token expired']);
    await select(p.frame);
    assert.match(await text(p.frame, '.verdict h2'), /^The access token expired \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ, 1 hour before this request$/);
    const body = await text(p.frame, '.detail');
    assert.match(body, /a JWT/);
    assert.match(body, /exp \(expires\)/);
    assert.match(body, /error_description/);
    // The token is masked until revealed.
    const auth = await p.frame.$$eval('table.kv tr', (rows) => rows.map((r) => r.textContent ?? '').find((t) => t.startsWith('Authorization')) ?? '');
    assert.match(auth, /Bearer \[redacted: \d+ chars, #[0-9a-f]{8}\]/);
    assert.match(await text(p.frame, '.where'), /^Re-runs go in the inspected page \(same cookies, same origin; the page’s own scripts can see it and could change its answer\)\. With a new Authorization they go from the extension: a pasted token is never handed to the page\.$/);
    // An expired token: the bar leads with a new Authorization.
    assert.deepEqual(await p.frame.$$eval('.action-bar button.primary', (bs) => bs.map((b) => b.textContent)), ['Re-run with new Authorization…']);
  });

  it('the cookie table says which cookie was held back and why', async () => {
    await runScenario(p.page, 'cookie-blocked-lax');
    await p.frame.waitForSelector('.row');
    await select(p.frame);
    assert.match(await text(p.frame, '.verdict h2'), /The cookie "sid_lax" was not sent: it is SameSite=Lax/);
    const cookies = await text(p.frame, '.detail');
    assert.match(cookies, /Held by the browser but not sent/);
    assert.match(cookies, /sid_lax.*Not sent: it is SameSite=Lax and this cross-site request is not a top-level navigation/s);
  });

  it('clears the site’s cookies, then Undo restores them identically', async () => {
    const jar = () => s.inExtension(async () => (await chrome.cookies.getAll({ domain: 'api.test' })).map((c) => ({ ...c })), null);
    const before = await jar();
    assert.ok(before.some((c) => c.name === 'sid_lax'));
    await chooseAction(p.frame, 'Clear site cookies…');
    await p.frame.waitForSelector('.cookie-list li', { timeout: 10_000 }).catch(async (e: Error) => {
      throw new Error(`${e.message}; the confirmation says: ${await text(p.frame, '.confirm').catch(() => '(no confirmation)')}; the status bar: ${await text(p.frame, '.statusbar').catch(() => '')}`);
    });
    assert.match(await text(p.frame, '.cookie-list'), /sid_lax/);
    await p.frame.click('.confirm button.primary');
    await p.frame.waitForSelector('.undo');
    assert.match(await text(p.frame, '.undo'), /Cleared \d+ cookies? of api\.test/);
    assert.equal((await jar()).length, 0, 'the cookies are gone from the browser');
    await p.frame.click('.undo button.primary');
    // Done, or stopped with a question (the site set a cookie again) or an error: each said here.
    await p.frame.waitForFunction(() => !document.querySelector('.undo') || /again since/.test(document.querySelector('.undo')?.textContent ?? '') || document.querySelector('.statusbar .error, .statusbar.error'), { timeout: 10_000 });
    assert.equal(await p.frame.$('.undo'), null, `Undo finished: ${await p.frame.$eval('.undo', (e) => e.textContent).catch(() => '')} ${await text(p.frame, '.statusbar').catch(() => '')}`);
    const after = await jar();
    const key = (c: chrome.cookies.Cookie) => `${c.name}|${c.domain}|${c.path}`;
    assert.deepEqual(after.sort((a, b) => key(a).localeCompare(key(b))), before.sort((a, b) => key(a).localeCompare(key(b))), 'every attribute restored');
  });

  it('"Clear site storage & cache" asks for browsingData the first time, then clears that origin', async () => {
    assert.deepEqual((await s.inExtension(() => chrome.permissions.getAll(), null)).permissions?.includes('browsingData'), false, 'not granted at install');
    const apiPage = await helperPage(s.browser);
    await apiPage.goto(s.lab.url('api.test', '/'), { waitUntil: 'load' });
    await apiPage.evaluate(() => localStorage.setItem('why401-probe', 'x'));
    await chooseAction(p.frame, 'Clear site storage & cache…');
    await p.frame.waitForSelector('.confirm[aria-label="Clear site storage and cache"] button.primary');
    await p.frame.click('.confirm[aria-label="Clear site storage and cache"] button.primary');
    await p.frame.waitForFunction(() => /Cleared the storage and cache of https:\/\/api\.test/.test(document.querySelector('.statusbar')?.textContent ?? ''), { timeout: 10_000 });
    assert.equal((await s.inExtension(() => chrome.permissions.getAll(), null)).permissions?.includes('browsingData'), true, 'granted on first use');
    await apiPage.reload({ waitUntil: 'load' });
    assert.equal(await apiPage.evaluate(() => localStorage.getItem('why401-probe')), null, 'the origin’s storage is gone');
    await apiPage.close();
  });

  it('re-runs with a fresh token pasted in (from the extension, never through the page), and the row turns green', async () => {
    await runScenario(p.page, 'missing-credentials');
    await p.frame.waitForSelector('.row');
    await select(p.frame);
    const token = (await p.page.evaluate(() => (window as unknown as { lab: { token(): Promise<string> } }).lab.token())) as string;
    await chooseAction(p.frame, 'Re-run with new Authorization…');
    await p.frame.waitForSelector('#new-auth');
    // Emptied as a user does (with an input event): a re-render meanwhile (the body DevTools
    // recorded arriving) would otherwise put the old "Bearer " back.
    await p.frame.$eval('#new-auth', (e) => {
      (e as HTMLTextAreaElement).value = '';
      e.dispatchEvent(new Event('input', { bubbles: true }));
    });
    assert.match(await text(p.frame, 'form.edit label'), /New Authorization header for https:\/\/api\.test:\d+/, 'the form names where the token goes');
    await p.frame.type('#new-auth', `Bearer ${token}`);
    await p.frame.click('form.edit button[type=submit]');
    // Even for a GET, a pasted token is sent only after the user sees where it goes.
    await p.frame.waitForSelector('.confirm[aria-label="Confirm re-run"]');
    assert.match(await text(p.frame, '.confirm'), /The Authorization you pasted goes to https:\/\/api\.test:\d+ and nowhere else/);
    assert.equal((await s.snapshot(p.tabId)).records.at(-1)?.reruns, undefined, 'nothing sent before the confirmation');
    await p.frame.click('.confirm button.primary');
    await p.frame.waitForSelector('.row.fixed', { timeout: 10_000 });
    assert.match(await text(p.frame, '.verdict h2'), /^Fixed by a re-run with a new Authorization\./);
    assert.match(await text(p.frame, '.reruns'), /from the extension.*→ 200/, 'a pasted token is never handed to the page');
    const snap = await s.snapshot(p.tabId);
    assert.equal(snap.records[snap.records.length - 1]?.reruns?.[0]?.status, 200, 'the background keeps the re-run');
  });

  it('copies a valid cURL command that reproduces the failure, with the secret masked', async () => {
    await runScenario(p.page, 'token-expired');
    await p.frame.waitForSelector('.row');
    await select(p.frame);
    await s.browser.defaultBrowserContext().overridePermissions(`chrome-extension://${s.extensionId}`, ['clipboard-read', 'clipboard-write', 'clipboard-sanitized-write']);
    await chooseAction(p.frame, 'Copy as cURL');
    await p.frame.waitForFunction(() => /copied/.test(document.querySelector('.statusbar')?.textContent ?? ''));
    // The panel's frame may not read the clipboard (permissions policy): read it from an extension tab.
    const reader = await helperPage(s.browser);
    await reader.goto(`chrome-extension://${s.extensionId}/options.html`);
    const command = await readClipboard(reader);
    await reader.close();
    assert.match(command, /^curl 'https:\/\/api\.test:\d+\/s\/bearer\/me'/);
    assert.match(command, /-H 'Authorization: Bearer \[redacted: \d+ chars, #[0-9a-f]{8}\]'/);
    // Run it against the lab (its names resolve to 127.0.0.1; its certificate is self-signed).
    const resolve = ['api.test'].map((h) => `--resolve ${h}:${s.lab.httpsPort}:127.0.0.1`).join(' ');
    // Asynchronously: the lab answers from this very process.
    const { stdout: status } = await promisify(execFile)('bash', ['-c', `${command.replace(/^curl /, `curl -sk --max-time 10 ${resolve} -o /dev/null -w '%{http_code}' `).replace(/ \\\n\s+-i$/, '')}`], { encoding: 'utf8' });
    assert.equal(status, '401');
  });

  it('a re-run in the page is recorded beside its failure: no new row, the badge does not move', async () => {
    const earlier = (await p.frame.$$('.row')).length;
    await runScenario(p.page, 'invalid-token');
    // Its row, not the previous test's: the list already has rows.
    await p.frame.waitForFunction((n) => {
      const rows = document.querySelectorAll('.row');
      return rows.length > n && /Invalid token/.test(rows[rows.length - 1]?.querySelector('.cause')?.textContent ?? '');
    }, { timeout: 10_000 }, earlier);
    const rowsBefore = (await p.frame.$$('.row')).length;
    await select(p.frame);
    assert.match(await text(p.frame, '.verdict h2'), /invalid/i);
    const before = await s.snapshot(p.tabId);
    await chooseAction(p.frame, /^Re-run( as sent)?$/);
    await p.frame.waitForFunction(() => /Re-run → 401/.test(document.querySelector('.statusbar')?.textContent ?? ''), { timeout: 10_000 }).catch(async (e: Error) => {
      throw new Error(`${e.message}; the status bar says: ${await text(p.frame, '.statusbar').catch(() => '(none)')}`);
    });
    await p.frame.waitForFunction(() => /in the page.*→ 401/.test(document.querySelector('.reruns')?.textContent ?? ''));
    await new Promise((r) => setTimeout(r, 500)); // a new row would have arrived by now
    assert.equal((await p.frame.$$('.row')).length, rowsBefore);
    const after = await s.snapshot(p.tabId);
    assert.equal(after.count, before.count, 'the badge count is unchanged');
    assert.equal(after.records[after.records.length - 1]?.reruns?.[0]?.context, 'page');
    assert.equal(await s.badgeText(p.tabId), String(before.count));
  });

  it('a failure that says why only in its body: DevTools records the body, the panel adds it, the verdict follows it', async () => {
    const before = (await p.frame.$$('.row')).length;
    await runScenario(p.page, 'body-only');
    // The new last row: first the headers' verdict, then the body's.
    await p.frame.waitForFunction((n) => {
      const rows = document.querySelectorAll('.row');
      return rows.length > n && /Token expired/.test(rows[rows.length - 1]?.querySelector('.cause')?.textContent ?? '');
    }, { timeout: 10_000 }, before);
    const rows = await p.frame.$$('.row');
    await rows[rows.length - 1]!.click();
    await p.frame.waitForSelector('.verdict h2');
    assert.match(await text(p.frame, '.verdict h2'), /^The server says why in its response: "Signature has expired"/);
    assert.match(await text(p.frame, '.verdict'), /Re-diagnosed at .*with the response body DevTools recorded/);
    assert.match(await text(p.frame, '.finding.primary'), /Response body \(PyJWT\)/);
    const snap = await s.snapshot(p.tabId);
    assert.equal(snap.records[snap.records.length - 1]?.findings[0]?.cause, 'token-expired', 'the background keeps the body and the new verdict');
  });

  it('who sent it: DevTools’ call stack, each frame opening its line in Sources; and Show in the Network panel', async () => {
    await runScenario(p.page, 'placeholder-token');
    await p.frame.waitForFunction(() => /Placeholder token/.test([...document.querySelectorAll('.row .cause')].pop()?.textContent ?? ''));
    await select(p.frame);
    await p.frame.waitForSelector('ol.stack li', { timeout: 10_000 });
    const frames = await p.frame.$$eval('ol.stack li', (l) => l.map((x) => (x.textContent ?? '').trim()));
    assert.equal(frames[0], 'call lab.js:13:21', 'the lab script line that sent Bearer undefined');
    assert.match(frames[1] ?? '', /^placeholder-token lab\.js:\d+:\d+$/);
    assert.match(await text(p.frame, '.detail'), /The bearer token: a placeholder, not a credential: undefined\./, 'a placeholder is the diagnosis, shown as it is (not masked as an opaque token)');
    // The lab's answer carries a body: once DevTools' copy of it re-diagnoses the failure, the
    // view above the stack grows. Scroll after that, for a screenshot that shows the stack.
    await p.frame.waitForFunction(() => /Re-diagnosed/.test(document.querySelector('.verdict')?.textContent ?? ''), { timeout: 5_000 }).catch(() => undefined);
    await p.frame.$eval('ol.stack', (e) => (e.closest('section, details') ?? e).scrollIntoView({ block: 'start' }));
    await p.devtools.screenshot({ path: join(results, 'panel-initiator.png') });
    await p.frame.click('ol.stack li button.link');
    const opened = async () =>
      p.devtools.evaluate(async () => {
        const legacy: string = './ui/legacy/legacy.js';
        const workspace: string = './models/workspace/workspace.js';
        const UI = (await import(legacy)) as { InspectorView: { InspectorView: { instance(): { currentPanelDeprecated(): { name: string } | null } } }; Context: { Context: { instance(): { flavor(c: unknown): { url(): string } | null } } } };
        const W = (await import(workspace)) as { UISourceCode: { UISourceCode: unknown } };
        return { panel: UI.InspectorView.InspectorView.instance().currentPanelDeprecated()?.name, file: UI.Context.Context.instance().flavor(W.UISourceCode.UISourceCode)?.url() };
      });
    for (let until = Date.now() + 5000; (await opened()).panel !== 'sources' && Date.now() < until; ) await new Promise((r) => setTimeout(r, 100));
    const shown = await opened();
    assert.equal(shown.panel, 'sources');
    assert.match(shown.file ?? '', /\/lab\.js$/);
    await showPanel(p.devtools, `chrome-extension://${s.extensionId}Why401`, 5000);
    await p.frame.waitForSelector('.detail button');
    const network = await p.frame.$$('.detail button');
    for (const b of network) if ((await b.evaluate((e) => e.textContent)) === 'Show in the Network panel') await b.click();
    for (let until = Date.now() + 5000; (await opened()).panel !== 'network' && Date.now() < until; ) await new Promise((r) => setTimeout(r, 100));
    assert.equal((await opened()).panel, 'network');
    await showPanel(p.devtools, `chrome-extension://${s.extensionId}Why401`, 5000);
  });

  it('follows the DevTools theme, light and dark (screenshots in test-results/)', async () => {
    await p.page.reload({ waitUntil: 'load' });
    for (const id of ['missing-credentials', 'placeholder-token', 'token-expired', 'insufficient-scope', 'auth-dropped-on-redirect', 'session-cookie-missing']) await runScenario(p.page, id);
    await p.frame.waitForFunction(() => document.querySelectorAll('.row').length === 6);
    await select(p.frame, 2);
    await p.devtools.screenshot({ path: join(results, 'panel-light.png') });
    await devtoolsSetting(p, 'ui-theme', 'dark');
    await p.frame.waitForFunction(() => document.documentElement.dataset['theme'] === 'dark');
    await p.devtools.screenshot({ path: join(results, 'panel-dark.png') });
    await devtoolsSetting(p, 'ui-theme', 'default');
    await p.frame.waitForFunction(() => document.documentElement.dataset['theme'] === 'light');
  });

  it('keyboard: arrows move, Escape clears the selection', async () => {
    await runScenario(p.page, 'session-cookie-missing');
    await runScenario(p.page, 'placeholder-token');
    await p.frame.waitForFunction(() => document.querySelectorAll('.row').length >= 2);
    await p.frame.focus('.list-body');
    await p.frame.evaluate(() => (document.querySelector('.list-body') as HTMLElement).focus());
    await p.devtools.keyboard.press('Home');
    await p.frame.waitForSelector('.row.selected');
    const first = await text(p.frame, '.row.selected .cause');
    await p.devtools.keyboard.press('ArrowDown');
    await p.frame.waitForFunction((f) => document.querySelector('.row.selected .cause')?.textContent !== f, {}, first);
    await p.devtools.keyboard.press('Escape');
    await p.frame.waitForFunction(() => !document.querySelector('.row.selected'));
  });

  it('renders nothing while DevTools shows another panel; everything that arrived meanwhile is there when shown', async () => {
    await p.page.reload({ waitUntil: 'load' });
    await runScenario(p.page, 'missing-credentials');
    await p.frame.waitForFunction(() => document.querySelectorAll('.row').length === 1);
    await showPanel(p.devtools, 'network', 5000);
    await new Promise((r) => setTimeout(r, 300)); // DevTools' onHidden reaches the panel
    // Every change to the hidden panel's document is counted from here.
    await p.frame.evaluate(() => {
      const w = window as unknown as { __mutations: number };
      w.__mutations = 0;
      new MutationObserver((m) => (w.__mutations += m.length)).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    for (const id of ['token-expired', 'placeholder-token', 'insufficient-scope']) await runScenario(p.page, id);
    // The background has them (the badge), the hidden panel has not drawn them.
    await s.waitForRecords(p.tabId, 4);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await p.frame.evaluate(() => document.querySelectorAll('.row').length), 1, 'no new rows drawn while hidden');
    assert.equal(await p.frame.evaluate(() => (window as unknown as { __mutations: number }).__mutations), 0, 'nothing in the panel changed while hidden');
    await showPanel(p.devtools, `chrome-extension://${s.extensionId}Why401`, 5000);
    await p.frame.waitForFunction(() => document.querySelectorAll('.row').length === 4, { timeout: 5000 });
    assert.deepEqual((await rowCauses(p.frame)).length, 4);
  });

  it('the panel logged no errors', () => {
    assert.deepEqual(errors, []);
  });
});
