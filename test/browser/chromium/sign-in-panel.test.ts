/**
 * The panel's sign-in view in real DevTools (Chromium): the lab's sign-in page runs against its
 * real provider (oidc-provider at idp.test) while the panel is open; the view reads DevTools'
 * network log (the token answers' bodies included) and shows what core found: the flow's steps,
 * the broken one marked, the cause and its fixes — and no token, code or state anywhere in it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'puppeteer-core';
import { root } from '../../helpers/build.ts';
import { launch, type Session } from '../helpers/chromium.ts';
import { openPanel, painting, panelErrors, type DevtoolsPanel } from '../helpers/devtools.ts';

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
  for (const until = Date.now() + 15_000; Date.now() < until; ) {
    await frame.waitForFunction(() => /in DevTools’ network log/.test(document.querySelector('.sign-in-count')?.textContent ?? ''), { timeout: 10_000, polling: 100 });
    text = await frame.$eval('.sign-in', (e) => e.textContent ?? '');
    if (expect.test(text)) return text;
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
    const text = await signInView(p.frame, /1 in DevTools’ network log, none broken/);
    const flows = await p.frame.$$eval('li.flow', (items) => items.map((x) => ({ broken: x.classList.contains('broken'), chain: [...x.querySelectorAll('.chain .step')].map((s) => s.textContent) })));
    assert.deepEqual(flows, [{ broken: false, chain: ['sign-in', 'callback', 'token', 'refresh'] }]);
    await p.frame.click('.sign-in-head button:last-of-type');
    await p.frame.waitForSelector('.split:not([hidden])', { timeout: 5_000 });
    assert.equal(await p.frame.$('.sign-in'), null);
    assert.deepEqual(errors, []);
  });
});
