/**
 * Hostile input in the real panel and popup (headless Chromium, the built extension): markup in
 * every field a server or a HAR file controls (realm, error_description, scope, status text,
 * cookie names and values, JWT claims, header names, URLs, `javascript:` locations), bidi-override
 * and zero-width characters, 1 MB headers, thousands of challenges. Nothing may execute (a canary
 * `window.__pwned` stays unset, no element the markup would create exists), nothing may log an
 * error, the text must show as text, and the layout must stay usable (no sideways overflow).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ElementHandle, Page } from 'puppeteer-core';
import { root } from '../../helpers/build.ts';
import { HOSTILE_MARKUP } from '../../lab/server.ts';
import { launch, type Session } from '../helpers/chromium.ts';

const results = join(root, 'test-results');
mkdirSync(results, { recursive: true });

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
/** A JWT whose header and claims are markup, a javascript: URL and a bidi override. */
const HOSTILE_JWT = `${b64url({ alg: 'none', typ: '<script>window.__pwned=1</script>' })}.${b64url({
  sub: HOSTILE_MARKUP,
  aud: 'javascript:window.__pwned=1',
  name: '\u202Eevil\u200B',
  scope: '<b>read</b>',
  exp: 1_600_000_000,
})}.c2ln`;

interface Probe {
  pwned: unknown;
  injected: number;
  overflow: number;
  text: string;
}

/** What a page shows and whether anything of the markup came alive. */
async function probe(page: Page): Promise<Probe> {
  return page.evaluate(() => ({
    pwned: (window as unknown as { __pwned?: unknown }).__pwned,
    injected: document.querySelectorAll('img[src="x"], script:not([src]), [onerror], [onload], a[href^="javascript:" i], b').length,
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    text: document.body.innerText,
  }));
}

function assertSafe(p: Probe, where: string): void {
  assert.equal(p.pwned, undefined, `${where}: nothing executed`);
  assert.equal(p.injected, 0, `${where}: no element created from network text`);
  assert.ok(p.overflow <= 1, `${where}: no sideways overflow (${p.overflow} px)`);
  const bidi = /[\u202a-\u202e\u2066-\u2069\u200b-\u200f]/.exec(p.text);
  assert.ok(!bidi, `${where}: bidi and zero-width characters are shown as escapes, never applied (${JSON.stringify(bidi ? p.text.slice(Math.max(0, bidi.index - 60), bidi.index + 20) : '')})`);
}

/** Console errors and uncaught exceptions of a page. */
function watch(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

async function expandAll(page: Page): Promise<void> {
  await page.evaluate(() => {
    for (const d of document.querySelectorAll('details')) d.open = true;
  });
}

describe('hostile input in the real panel and popup', () => {
  let s: Session;
  let tabId: number;
  let lab: Page;
  before(async () => {
    s = await launch();
    ({ page: lab, tabId } = await s.labPage());
    await lab.evaluate(
      async (jwt, huge) => {
        // Cookies with markup names and values, then the hostile 401 (same origin: the cookies are sent).
        await fetch('/s/hostile/cookie', { credentials: 'include' });
        await fetch('/s/hostile/me?q=%3Cimg%20src%3Dx%20onerror%3Dwindow.__pwned%3D1%3E%E2%80%AE', { credentials: 'include', headers: { Authorization: `Bearer ${jwt}` } });
        // A 1 MB Authorization header.
        await fetch('/s/hostile/me?huge', { credentials: 'include', headers: { Authorization: `Bearer ${huge}` } });
      },
      HOSTILE_JWT,
      'A'.repeat(1 << 20),
    );
    await s.waitForRecords(tabId, 2, 20_000);
  });
  after(async () => {
    await s?.close();
  });

  it('the capture keeps the hostile exchanges, whole enough to explain', async () => {
    const snap = await s.snapshot(tabId);
    assert.equal(snap.records.length, 2);
    const first = snap.records[0]!;
    assert.match(first.entry.response.statusText, /<img src=x/);
    assert.ok(first.findings.length > 0);
    assert.deepEqual(s.workerErrors, []);
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`the panel shows every hostile string as text (${scheme})`, async () => {
      const panel = await s.browser.newPage();
      const errors = watch(panel);
      await panel.setViewport({ width: 1100, height: 800 });
      await panel.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
      await panel.goto(`chrome-extension://${s.extensionId}/panel.html?tab=${tabId}`, { waitUntil: 'load' });
      await panel.waitForSelector('.row');
      for (const index of [0, 1]) {
        const rows = await panel.$$('.row');
        await rows[index]!.click();
        await panel.waitForSelector('.verdict h2');
        // The panel's theme follows the system here (no DevTools around it).
        assert.equal(await panel.evaluate(() => document.documentElement.dataset['theme']), scheme);
        await expandAll(panel);
        // Reveal every secret too: revealed text is still text.
        for (const b of await panel.$$('.detail button[aria-pressed="false"]')) await b.click();
        const p = await probe(panel);
        assertSafe(p, `panel, failure ${index + 1}`);
        if (index === 0) {
          assert.ok(p.text.includes(HOSTILE_MARKUP), 'the realm is shown as the markup it is');
          assert.ok(p.text.includes('<script>window.__pwned=1</script>'), 'error_description shown as text');
          assert.ok(p.text.includes('\\u202e'), 'a bidi override is shown as a visible escape');
          assert.ok(p.text.includes('javascript:window.__pwned=1'), 'the javascript: URL is text, not a link');
          assert.ok(p.text.includes('<img src=x onerror=window.__pwned=1>'), 'the cookie name is shown as text');
          // The decoded token is pretty JSON: its line breaks are line breaks, its bidi override an escape.
          const json = await panel.$eval('pre.json', (e) => e.textContent ?? '');
          assert.ok(json.split('\n').length > 5 && !json.includes('\\u000a'), `the JWT's JSON keeps its lines: ${json.slice(0, 80)}`);
          assert.ok(json.includes('\\u202e'), 'the bidi override in a claim is escaped');
          await panel.screenshot({ path: join(results, `hostile-panel-${scheme}.png`) });
        }
      }
      assert.deepEqual(errors, []);
      await panel.close();
    });
  }

  it('the popup shows the hostile failures as text, within its width', async () => {
    const popup = await s.browser.newPage();
    const errors = watch(popup);
    await popup.setViewport({ width: 380, height: 600 });
    await popup.goto(`chrome-extension://${s.extensionId}/popup.html?tab=${tabId}`, { waitUntil: 'load' });
    await popup.waitForSelector('.failure');
    const p = await probe(popup);
    assertSafe(p, 'popup');
    await popup.screenshot({ path: join(results, 'hostile-popup.png') });
    assert.deepEqual(errors, []);
    await popup.close();
  });

  it('an imported hostile HAR (1 MB headers, 5,000 challenges, javascript: URLs, markup names) is shown safely', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'why401-hostile-'));
    try {
      const entry = (url: string, request: [string, string][], response: [string, string][], statusText = 'Unauthorized') => ({
        startedDateTime: '2026-11-27T10:00:00.000Z',
        time: 1,
        request: { method: 'GET', url, httpVersion: 'HTTP/1.1', headers: request.map(([name, value]) => ({ name, value })), cookies: [], queryString: [], headersSize: -1, bodySize: -1 },
        response: { status: 401, statusText, httpVersion: 'HTTP/1.1', headers: response.map(([name, value]) => ({ name, value })), cookies: [], content: { size: 0, mimeType: 'text/html' }, redirectURL: 'javascript:window.__pwned=1', headersSize: -1, bodySize: -1 },
        cache: {},
        timings: { send: 0, wait: 1, receive: 0 },
      });
      const har = {
        log: {
          version: '1.2',
          creator: { name: HOSTILE_MARKUP, version: '1' },
          entries: [
            entry(
              `https://evil.test/${encodeURIComponent(HOSTILE_MARKUP)}?q=\u202E`,
              [
                ['Authorization', `Bearer ${HOSTILE_JWT}`],
                [HOSTILE_MARKUP, 'x'.repeat(1 << 20)],
                ['Cookie', `${HOSTILE_MARKUP}=1; zw\u200B=2`],
              ],
              [
                ['WWW-Authenticate', `Bearer realm="${'<i>r</i>'.repeat(130_000)}"`],
                ['WWW-Authenticate', Array.from({ length: 5000 }, (_, i) => `Basic realm="<b>${i}</b>"`).join(', ')],
              ],
              HOSTILE_MARKUP,
            ),
            entry('javascript:window.__pwned=1', [], [['WWW-Authenticate', 'Bearer']]),
            { __proto__: { polluted: true }, constructor: { prototype: { polluted: true } } },
          ],
        },
      };
      const file = join(dir, 'hostile.har');
      writeFileSync(file, JSON.stringify(har).replace('"entries":[', '"__proto__":{"polluted":true},"entries":['));
      const panel = await s.browser.newPage();
      const errors = watch(panel);
      await panel.setViewport({ width: 1100, height: 800 });
      await panel.goto(`chrome-extension://${s.extensionId}/panel.html?tab=${tabId}`, { waitUntil: 'load' });
      await panel.waitForSelector('.row');
      const input = await panel.$('input[type=file]');
      await input!.uploadFile(file);
      await panel.waitForFunction(() => /hostile\.har/.test(document.body.innerText), { timeout: 30_000 });
      // The import replaces the live list; wait for its row rather than clicking one that is re-rendered away.
      const row = await panel.waitForFunction(() => [...document.querySelectorAll('.row')].find((r) => r.outerHTML.includes('evil.test')), { timeout: 10_000 });
      await (row.asElement() as ElementHandle<Element>).click();
      await panel.waitForSelector('.verdict h2');
      await expandAll(panel);
      const p = await probe(panel);
      assertSafe(p, 'panel, imported HAR');
      assert.match(p.text, /more challenges/, 'thousands of challenges are summarised, not all drawn');
      assert.equal(await panel.evaluate(() => ({} as Record<string, unknown>)['polluted']), undefined, 'no prototype pollution');
      await panel.screenshot({ path: join(results, 'hostile-import.png') });
      assert.deepEqual(errors, []);
      await panel.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
