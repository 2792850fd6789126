/**
 * The privacy audit, as tests, in real Chromium with the built extension. A lab session where
 * every secret is a known canary string (a Bearer token, a Basic password, a session cookie, a
 * token in the query string), with the panel, the popup and the options page open, then:
 * - captured data is in no storage but storage.session (not storage.local or sync, IndexedDB,
 *   Cache Storage or localStorage), and in storage.session a secret appears only where the UI
 *   needs it (the request as sent, to reveal and re-run it);
 * - default exports (HAR, Markdown report, cURL) hold no canary; with "include secrets" the HAR
 *   holds them and says so;
 * - the extension makes no network request of its own but the re-run the user asks for: every
 *   request of the session is read from Chromium's NetLog (which sees the service worker's traffic
 *   too) and the ones the extension initiated are exactly that re-run;
 * - other extensions and web pages cannot talk to the background; malformed messages from its
 *   own pages are refused and counted.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'puppeteer-core';
import { root } from '../../helpers/build.ts';
import { tagOf, useTagKey } from '../../../src/core/tokens/fingerprint.ts';
import { chooseAction } from '../helpers/actions.ts';
import { readClipboard } from '../helpers/clipboard.ts';
import { launch, runScenario, type Session } from '../helpers/chromium.ts';

const CANARY = {
  token: 'CANARYtokenZZ9f3k2j5h7g1d0s8a6p4o2i9u7y5t3r1e',
  password: 'CANARYpasswordQQ71x',
  cookie: 'CANARYcookieWW83v2b4n6m8',
  query: 'CANARYqueryEE55c7x9z1',
};
const ALL = Object.values(CANARY);
/** The Basic password travels base64-encoded: look for that form too, reported as the password. */
const BASIC = Buffer.from(`canary-user:${CANARY.password}`).toString('base64');
const found = (text: string) => ALL.filter((c) => text.includes(c) || (c === CANARY.password && text.includes(BASIC)));

const INTRUDER = join(root, 'test', 'browser', 'fixtures', 'intruder');

interface NetRequest {
  url: string;
  initiator?: string;
  method?: string;
}

/** Every URL request in a NetLog file (Chromium writes it as JSON; a cut-off tail is tolerated). */
function readNetLog(file: string): NetRequest[] {
  let text = readFileSync(file, 'utf8').trimEnd();
  if (!text.endsWith('}')) text = `${text.replace(/,\s*$/, '')}]}`;
  const log = JSON.parse(text) as { constants: { logEventTypes: Record<string, number> }; events: { type: number; params?: Record<string, unknown> }[] };
  const start = log.constants.logEventTypes['URL_REQUEST_START_JOB'];
  const out: NetRequest[] = [];
  for (const e of log.events) {
    if (e.type !== start || typeof e.params?.['url'] !== 'string') continue;
    const r: NetRequest = { url: e.params['url'] };
    if (typeof e.params['initiator'] === 'string') r.initiator = e.params['initiator'];
    if (typeof e.params['method'] === 'string') r.method = e.params['method'];
    out.push(r);
  }
  return out;
}

describe('privacy audit in Chromium', () => {
  let s: Session;
  let lab: Page;
  let tabId: number;
  const dir = mkdtempSync(join(tmpdir(), 'why401-privacy-'));
  const netlog = join(dir, 'netlog.json');
  const downloads = join(dir, 'downloads');
  let rerunUrl = '';

  before(async () => {
    s = await launch({ extraArgs: [`--log-net-log=${netlog}`, '--net-log-capture-mode=Default'], extensions: [INTRUDER] });
    // Keep the tab's list across the scenarios' navigations: the whole session is audited.
    await s.request({ type: 'set-settings', settings: { preserveLog: true } });
    ({ page: lab, tabId } = await s.labPage());
    // Canary secrets every way a site sends them, to 401s.
    await lab.evaluate(async (c) => {
      document.cookie = `sid=${c.cookie}; path=/; secure; samesite=lax`;
      await fetch(`/s/burst?i=canary-bearer`, { headers: { Authorization: `Bearer ${c.token}` }, credentials: 'include' });
      await fetch(`/s/burst?i=canary-basic`, { headers: { Authorization: `Basic ${btoa(`canary-user:${c.password}`)}` }, credentials: 'include' });
      await fetch(`/s/burst?access_token=${c.query}`, { credentials: 'include' });
    }, CANARY);
    // And a full lab session around them.
    for (const id of ['missing-credentials', 'token-expired', 'session-cookie-missing', 'cookie-blocked-lax', 'digest-stale-nonce']) await runScenario(lab, id);
    assert.ok((await s.waitForRecords(tabId, 8, 20_000)).records.length >= 8, 'the session is captured');
  });

  after(async () => {
    await s?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the session was captured, secrets included, for the UI to reveal and re-run', async () => {
    const snap = await s.snapshot(tabId);
    const text = JSON.stringify(snap.records.map((r) => r.entry.request.headers));
    assert.deepEqual(found(text).sort(), [CANARY.cookie, CANARY.password, CANARY.token].sort(), 'the request headers as sent (needed to reveal and re-run)');
  });

  it('the panel, the popup and the options page open and show the session', async () => {
    const panel = await s.browser.newPage();
    await panel.goto(`chrome-extension://${s.extensionId}/panel.html?tab=${tabId}`);
    await panel.bringToFront();
    await panel.waitForFunction(() => document.querySelectorAll('.row').length >= 8);
    // Every failure's detail, every section open: no secret shows until revealed.
    const count = await panel.$$eval('.row', (r) => r.length);
    for (let i = 0; i < count; i++) {
      await (await panel.$$('.row'))[i]!.click();
      await panel.waitForSelector('.verdict h2');
      await panel.evaluate(() => {
        for (const d of document.querySelectorAll('details')) d.open = true;
      });
      assert.deepEqual(found(await panel.evaluate(() => document.body.innerText)), [], `failure ${i + 1}: secrets masked until revealed`);
    }
    await panel.close();
    const popup = await s.browser.newPage();
    await popup.goto(`chrome-extension://${s.extensionId}/popup.html?tab=${tabId}`);
    await popup.waitForSelector('.failure');
    assert.equal(found(await popup.evaluate(() => document.body.innerText)).length, 0, 'the popup shows no secret');
    // What the popup is sent, for every failure of the tab (it shows the latest three): URLs redacted.
    const summary = await s.request<{ latest: { url: string }[] }>({ type: 'get-summary', tabId, latest: 50 });
    assert.ok(summary.latest.some((i) => i.url.includes('access_token=')), 'the query-token failure is in the summary');
    assert.deepEqual(found(JSON.stringify(summary)), [], 'the summary holds no secret');
    await popup.close();
  });

  it('captured data is in storage.session only; there, secrets only where the UI needs them', async () => {
    const where = await s.inExtension(async () => {
      const dbs = indexedDB.databases ? await indexedDB.databases() : [];
      return {
        local: await chrome.storage.local.get(null),
        sync: await chrome.storage.sync.get(null),
        session: await chrome.storage.session.get(null),
        indexedDB: dbs.map((d) => d.name),
        caches: await caches.keys(),
        localStorage: localStorage.length,
        sessionStorage: sessionStorage.length,
      };
    }, null);
    assert.deepEqual(Object.keys(where.local).sort(), ['settings', 'tagKey', 'watchStarted'], 'storage.local holds the settings, the install key for mask tags and the "watched once" flag only');
    assert.equal(where.local['watchStarted'], true);
    assert.match(String(where.local['tagKey']), /^[0-9a-f]{64}$/);
    assert.deepEqual(found(JSON.stringify(where.local)), []);
    assert.deepEqual(where.sync, {});
    assert.deepEqual(where.indexedDB, []);
    assert.deepEqual(where.caches, []);
    assert.equal(where.localStorage + where.sessionStorage, 0);

    const records = Object.entries(where.session).filter(([k]) => k.startsWith('r:'));
    assert.ok(records.length >= 8);
    for (const [key, raw] of Object.entries(where.session)) {
      if (!key.startsWith('r:')) {
        assert.deepEqual(found(JSON.stringify(raw)), [], `${key}: no secret in metas and timelines`);
        continue;
      }
      const r = JSON.parse(raw as string) as { entry: { request: { url: string; headers: unknown }; response: unknown; _why401?: { cookieJar?: { name: string; value: string }[] } }; findings: unknown };
      // What the UI needs: the request as sent (reveal, re-run, copy with secrets).
      const { request, response, _why401: extra } = r.entry;
      assert.deepEqual(found(JSON.stringify({ response, extra, findings: r.findings })), [], `${key}: no secret in the response, findings or cookie jar`);
      for (const c of extra?.cookieJar ?? []) assert.equal(c.value, '', `${key}: the value of the held cookie ${c.name} is not kept`);
      void request;
    }
  });

  it('default exports hold no secret; "include secrets" holds them and says so', async () => {
    const panel = await s.browser.newPage();
    const cdp = await panel.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    await s.browser.defaultBrowserContext().overridePermissions(`chrome-extension://${s.extensionId}`, ['clipboard-read', 'clipboard-write', 'clipboard-sanitized-write']);
    await panel.goto(`chrome-extension://${s.extensionId}/panel.html?tab=${tabId}`);
    await panel.bringToFront(); // clicks and downloads in a background tab are not reliable
    await panel.waitForFunction(() => document.querySelectorAll('.row').length >= 8);

    const menu = async (label: RegExp, secrets = false) => {
      const before = existsSync(downloads) ? readdirSync(downloads).length : 0;
      await panel.click('.toolbar button[aria-haspopup=menu]');
      if (secrets) await panel.click('.menu input[type=checkbox]');
      const items = await panel.$$('.menu [role=menuitem]');
      const labels = await Promise.all(items.map((b) => b.evaluate((e) => e.textContent ?? '')));
      const i = labels.findIndex((l) => label.test(l));
      assert.ok(i >= 0, `menu item ${label}`);
      await items[i]!.click();
      const until = Date.now() + 10_000;
      while (Date.now() < until) {
        const files = existsSync(downloads) ? readdirSync(downloads).filter((f) => !f.endsWith('.crdownload')) : [];
        if (files.length > before) return { files, text: files.map((f) => readFileSync(join(downloads, f), 'utf8')) };
        await new Promise((r) => setTimeout(r, 100));
      }
      const status = await panel.$eval('.statusbar', (e) => e.textContent ?? '').catch(() => '?');
      throw new Error(`no download for ${label} (status bar: ${status}; files: ${existsSync(downloads) ? readdirSync(downloads).join(', ') : 'none'})`);
    };
    const newest = (r: { text: string[] }, before: string[]) => r.text.find((t) => !before.includes(t))!;

    const har = await menu(/^HAR of all/);
    const harText = har.text[0]!;
    assert.ok(JSON.parse(harText).log.entries.length >= 8);
    assert.deepEqual(found(harText), [], 'the default HAR holds no secret');
    // The token's tag is keyed with this install's key (storage.local), in the panel's export and
    // in the background's alike: not the tag an unkeyed hash (anyone's guess) would give.
    const header = `Bearer ${CANARY.token}`;
    const unkeyed = tagOf(header);
    const { tagKey } = await s.inExtension(async () => chrome.storage.local.get('tagKey'), null);
    useTagKey(String(tagKey));
    const keyed = tagOf(header);
    assert.notEqual(keyed, unkeyed);
    const tagsIn = (text: string) => [...text.matchAll(/Bearer \[redacted: \d+ chars, #([0-9a-f]{8})\]/g)].map((m) => m[1]);
    assert.ok(tagsIn(harText).includes(keyed), `the panel's export tags the canary token #${keyed}: ${[...new Set(tagsIn(harText))].join(' ')}`);
    assert.ok(!tagsIn(harText).includes(unkeyed));
    const hook = JSON.stringify(await s.request({ type: 'export-har', tabId }));
    assert.ok(tagsIn(hook).includes(keyed), "the background's export tags it alike");

    const report = await menu(/^Report of all/);
    const reportText = newest(report, har.text);
    assert.match(reportText, /^# /m);
    assert.deepEqual(found(reportText), [], 'the default report holds no secret');

    const withSecrets = await menu(/^HAR of all/, true);
    const secretText = newest(withSecrets, report.text);
    assert.deepEqual(found(secretText).sort(), [CANARY.cookie, CANARY.password, CANARY.query, CANARY.token].sort(), 'with "include secrets" the HAR holds them');
    assert.match(JSON.parse(secretText).log.comment, /WITH SECRETS/);
    assert.ok(withSecrets.files.some((f) => /-WITH-SECRETS\.har$/.test(f)), `the file name says so too: ${withSecrets.files.join(', ')}`);

    // cURL of each canary failure (the first three captured): masked.
    const rows = await panel.$$('.row');
    const urls: string[] = [];
    for (const row of rows.slice(0, 3)) {
      await row.click();
      await panel.waitForSelector('.verdict h2');
      await chooseAction(panel, 'Copy as cURL');
      await panel.waitForFunction(() => /copied/.test(document.querySelector('.statusbar')?.textContent ?? ''));
      const command = await readClipboard(panel);
      assert.match(command, /^curl '/);
      assert.deepEqual(found(command), [], `cURL is masked: ${command.slice(0, 200)}`);
      urls.push(/^curl '([^']*)'/.exec(command)![1]!);
    }
    assert.equal(urls.filter((u) => /i=canary-bearer|i=canary-basic|access_token=/.test(u)).length, 3, `the three rows are the canary failures: ${urls.join(' ')}`);
    await panel.close();
  });

  it('other extensions and web pages cannot talk to the background; malformed messages are refused and counted', async () => {
    const before = await s.request<{ rejected: number }>({ type: 'get-diagnostics' });
    // A second extension (test/browser/fixtures/intruder) tries messages and a port.
    const intruderId = (await s.browser.targets()).map((t) => t.url()).find((u) => u.startsWith('chrome-extension://') && !u.includes(s.extensionId) && u.endsWith('/intruder.js'));
    assert.ok(intruderId, 'the intruder extension is loaded');
    const page = await s.browser.newPage();
    await page.goto(`chrome-extension://${new URL(intruderId).host}/intruder.html`);
    const tries = (await page.evaluate((id) => (window as unknown as { attack(id: string): Promise<string[]> }).attack(id), s.extensionId)) as string[];
    assert.ok(tries.length >= 2, `the intruder tried messages and a port: ${tries.join(' | ')}`);
    for (const t of tries) assert.match(t, /^refused/, t);
    await page.close();
    // A web page: no runtime to reach an extension that is not externally connectable.
    const web = await lab.evaluate(async (id) => {
      const rt = (globalThis as unknown as { chrome?: { runtime?: { sendMessage?: (id: string, m: unknown) => Promise<unknown> } } }).chrome?.runtime;
      if (!rt?.sendMessage) return 'refused: no runtime';
      try {
        return `answered: ${JSON.stringify(await rt.sendMessage(id, { type: 'export-har', tabId: 1 }))}`;
      } catch (e) {
        return `refused: ${(e as Error).message}`;
      }
    }, s.extensionId);
    assert.match(web, /^refused/);
    // Malformed messages from the extension's own pages: an error reply, and counted.
    for (const m of [{ type: 'export-har', tabId: 'x' }, { type: 'no-such-thing' }, 'text', null, { type: 'set-settings', settings: 'all of them' }]) {
      const reply = (await s.inExtension((msg) => chrome.runtime.sendMessage(msg), m)) as { ok: boolean; error?: string };
      assert.equal(reply.ok, false, JSON.stringify(m));
    }
    // Well-formed but out-of-range settings are clamped into range, never stored as sent.
    const clamped = await s.request<{ perTabCap: number }>({ type: 'set-settings', settings: JSON.parse('{"perTabCap":-1,"__proto__":{"polluted":1}}') });
    assert.equal(clamped.perTabCap, 10);
    assert.equal((clamped as Record<string, unknown>)['polluted'], undefined);
    const after = await s.request<{ rejected: number }>({ type: 'get-diagnostics' });
    assert.ok(after.rejected >= before.rejected + 5, `${before.rejected} → ${after.rejected}`);
  });

  it('a re-run is the only request the extension makes (NetLog of the whole session)', async () => {
    const panel = await s.browser.newPage();
    await panel.goto(`chrome-extension://${s.extensionId}/panel.html?tab=${tabId}`);
    await panel.bringToFront();
    await panel.waitForFunction(() => document.querySelectorAll('.row').length >= 8);
    const rows = await panel.$$('.row');
    await rows[0]!.click();
    await panel.waitForSelector('.verdict h2');
    rerunUrl = await panel.$eval('.request-line', (e) => e.textContent ?? '');
    await chooseAction(panel, /^Re-run( as sent)?$/);
    await panel.waitForFunction(() => /Re-run →/.test(document.querySelector('.statusbar')?.textContent ?? ''), { timeout: 10_000 });
    await panel.close();
    await s.close();

    const requests = readNetLog(netlog);
    assert.ok(requests.length > 20, `the NetLog saw the session (${requests.length} requests)`);
    assert.ok(requests.some((r) => r.initiator?.startsWith('https://app.test')), 'requests are attributed to their initiator');
    const ours = requests.filter((r) => r.initiator === `chrome-extension://${s.extensionId}` && /^(https?|wss?):/.test(r.url));
    assert.equal(ours.length, 1, `exactly the re-run: ${JSON.stringify(ours)}`);
    assert.ok(rerunUrl.includes(new URL(ours[0]!.url).pathname), `${ours[0]!.url} is the re-run of ${rerunUrl}`);
  });
});
