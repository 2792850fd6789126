/**
 * The panel as a developer lives in it, in real DevTools (Chromium): docked right at its default
 * width (~555 px) and docked bottom (~1280 px). Each test is one defect a user reported, reproduced
 * the way they hit it (issue: "A panel developers keep open all day").
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'puppeteer-core';
import { chooseAction } from '../helpers/actions.ts';
import { launch, runScenario, type Session } from '../helpers/chromium.ts';
import { openPanel, panelErrors, selectRow, type DevtoolsPanel } from '../helpers/devtools.ts';
import { root } from '../../helpers/build.ts';

const results = join(root, 'test-results');
mkdirSync(results, { recursive: true });

const text = (frame: Frame, sel: string) => frame.$eval(sel, (e) => e.textContent ?? '');
const rowCount = (frame: Frame) => frame.$$eval('.row', (r) => r.length);

/** Dock DevTools to the right (its default, ~555 px for the panel) or to the bottom (~1280 px). */
async function dock(p: DevtoolsPanel, side: 'right' | 'bottom'): Promise<void> {
  const got = await p.devtools.evaluate(async (where) => {
    const modulePath: string = './ui/legacy/legacy.js';
    const UI = (await import(modulePath)) as { DockController: { DockController: { instance(): { setDockSide(s: string): void; dockSide(): string } } } };
    UI.DockController.DockController.instance().setDockSide(where);
    return UI.DockController.DockController.instance().dockSide();
  }, side);
  assert.equal(got, side);
  await p.frame.waitForFunction((where) => (where === 'bottom' ? innerWidth > 900 : innerWidth < 700), { polling: 100, timeout: 10_000 }, side).catch(async (e: unknown) => {
    throw new Error(`docked ${side}, the panel is ${await p.frame.evaluate(() => innerWidth)} px wide; devtools ${await p.devtools.evaluate(() => innerWidth)}: ${String(e)}`);
  });
}

const settle = () => new Promise((r) => setTimeout(r, 150));

describe('the panel, as a developer lives in it', () => {
  let s: Session;
  let p: DevtoolsPanel;
  let errors: string[] = [];
  before(async () => {
    s = await launch({ devtools: true });
    p = await openPanel(s);
    errors = panelErrors(p, s);
    for (const id of ['missing-credentials', 'placeholder-token', 'token-expired', 'preflight-unauthenticated', 'insufficient-scope', 'digest-stale-nonce']) await runScenario(p.page, id);
    await p.frame.waitForFunction(() => document.querySelectorAll('.row').length === 6);
  });
  after(async () => {
    await s?.close();
  });

  it('docked right (~555 px): one toolbar row, OPTIONS fits, the selected row stands out unfocused', async () => {
    assert.ok((await p.frame.evaluate(() => innerWidth)) < 600, 'docked right at its default width');
    const boxes = await p.frame.$$eval('.toolbar > *:not(.visually-hidden):not(.spacer)', (els) =>
      els.filter((e) => (e as HTMLElement).offsetParent !== null).map((e) => { const r = e.getBoundingClientRect(); return { mid: r.top + r.height / 2, right: r.right }; }),
    );
    const mids = boxes.map((b) => b.mid);
    assert.ok(Math.max(...mids) - Math.min(...mids) <= 3, `one row: centres ${mids.join(',')}`);
    assert.ok(Math.max(...boxes.map((b) => b.right)) <= (await p.frame.evaluate(() => innerWidth)), 'nothing overflows');
    assert.ok((await p.frame.$eval('.toolbar', (t) => t.getBoundingClientRect().height)) <= 32);
    const method = await p.frame.$$eval('.row .method', (els) => els.map((e) => ({ text: e.textContent, fits: e.scrollWidth <= e.clientWidth })).find((m) => m.text === 'OPTIONS'));
    assert.deepEqual(method, { text: 'OPTIONS', fits: true });
    await selectRow(p.frame, 3);
    await p.frame.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const [sel, plain] = await p.frame.$$eval('.row', (rows) =>
      [rows.find((r) => r.classList.contains('selected'))!, rows.find((r) => !r.classList.contains('selected') && r.classList.contains('odd'))!].map((e) => getComputedStyle(e).backgroundColor + getComputedStyle(e).boxShadow),
    );
    assert.notEqual(sel, plain);
    assert.match(sel ?? '', /inset/, 'a selection bar beside the colour, visible without focus');
  });

  it('docked right (~555 px): paths and causes readable, the filter usable, the Export menu inside the panel and closed by Esc (screenshot in test-results/)', async () => {
    const width = await p.frame.evaluate(() => innerWidth);
    assert.ok(width < 600, 'docked right at its default width');
    // The path comes first and is shown whole for these short lab paths; the cause chip is not cut.
    const cells = await p.frame.$$eval('.row', (rows) =>
      rows.map((r) => {
        const path = r.querySelector('.path-part') as HTMLElement;
        const label = r.querySelector('.cause .chip-label') as HTMLElement | null;
        const cause = r.querySelector('.cause') as HTMLElement;
        return { path: path.textContent, pathWhole: path.scrollWidth <= path.clientWidth, chipWhole: !label || (label.scrollWidth <= label.clientWidth && label.getBoundingClientRect().right <= cause.getBoundingClientRect().right + 0.5) };
      }),
    );
    for (const c of cells) {
      assert.match(c.path ?? '', /^\/s\//, `the path leads: ${c.path}`);
      assert.ok(c.pathWhole, `the path ${c.path} is shown whole`);
      assert.ok(c.chipWhole, `the cause beside ${c.path} is not cut`);
    }
    assert.ok((await p.frame.$eval('.toolbar input[type="search"]', (e) => e.getBoundingClientRect().width)) >= 120, 'the filter box is wide enough to type in');
    // Export: every item inside the panel, and Esc closes it (DevTools' console drawer stays shut).
    await p.frame.click('.menu-wrap.export > button');
    await p.frame.waitForSelector('.menu-wrap.export .menu');
    const items = await p.frame.$$eval('.menu-wrap.export .menu [role="menuitem"], .menu-wrap.export .menu label', (els) => els.map((e) => { const r = e.getBoundingClientRect(); return { text: e.textContent ?? '', left: r.left, right: r.right, whole: (e as HTMLElement).scrollWidth <= (e as HTMLElement).clientWidth + 1 }; }));
    for (const i of items) assert.ok(i.left >= 0 && i.right <= width && i.whole, `inside the panel and whole: ${i.text} (${Math.round(i.left)}–${Math.round(i.right)} of ${width})`);
    const exportLabel = await p.frame.$eval('.menu-wrap.export > button', (b) => ({ text: b.textContent, whole: b.scrollWidth <= b.clientWidth }));
    assert.deepEqual(exportLabel, { text: 'Export ▾', whole: true });
    await p.devtools.screenshot({ path: join(results, 'panel-docked-right.png') });
    await p.devtools.keyboard.press('Escape');
    await p.frame.waitForFunction(() => !document.querySelector('.menu-wrap.export .menu'));
    assert.equal(await p.frame.evaluate(() => document.activeElement?.closest('.menu-wrap')?.classList.contains('export') ?? false), true, 'focus back on Export');
    const drawer = await p.devtools.evaluate(async () => {
      const modulePath: string = './ui/legacy/legacy.js';
      const UI = (await import(modulePath)) as { InspectorView: { InspectorView: { instance(): { drawerVisible(): boolean } } } };
      return UI.InspectorView.InspectorView.instance().drawerVisible();
    });
    assert.equal(drawer, false, 'Esc stayed in the menu');
  });

  it('docked bottom: the Time column shows the whole UTC time (HH:MM:SS.mmmZ), as every sentence does', async () => {
    await dock(p, 'bottom');
    const times = await p.frame.$$eval('.row .time', (cells) => cells.map((c) => ({ text: c.textContent ?? '', whole: (c as HTMLElement).scrollWidth <= (c as HTMLElement).clientWidth })));
    await dock(p, 'right');
    assert.ok(times.length > 0);
    for (const t of times) {
      assert.match(t.text, /^\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.ok(t.whole, `${t.text} is cut`);
    }
  });

  it('1. another failure opens at its verdict, not mid-evidence', async () => {
    await selectRow(p.frame, 2);
    await p.frame.$eval('.split-detail', (d) => (d.scrollTop = d.scrollHeight));
    assert.ok((await p.frame.$eval('.split-detail', (d) => d.scrollTop)) > 100, 'scrolled down into the evidence');
    await selectRow(p.frame, 5);
    assert.equal(await p.frame.$eval('.split-detail', (d) => d.scrollTop), 0);
  });

  it('2. Esc in the detail goes back to the list; ↓ moves again; Esc clears; End selects the last', async () => {
    await selectRow(p.frame, 0);
    await p.frame.focus('.list-body');
    await p.devtools.keyboard.press('Enter');
    await p.frame.waitForFunction(() => document.activeElement?.classList.contains('detail'));
    await p.devtools.keyboard.press('Escape');
    await p.frame.waitForFunction(() => document.activeElement?.classList.contains('list-body'));
    await p.devtools.keyboard.press('ArrowDown');
    await p.frame.waitForFunction(() => document.querySelectorAll('.row')[1]?.classList.contains('selected'));
    await p.devtools.keyboard.press('Escape');
    await p.frame.waitForFunction(() => !document.querySelector('.row.selected'));
    await p.devtools.keyboard.press('End');
    await p.frame.waitForFunction(() => document.querySelectorAll('.row')[5]?.classList.contains('selected'));
    // The panel kept the Escapes it handled: DevTools did not also toggle its console drawer.
    const drawer = await p.devtools.evaluate(async () => {
      const modulePath: string = './ui/legacy/legacy.js';
      const UI = (await import(modulePath)) as { InspectorView: { InspectorView: { instance(): { drawerVisible(): boolean } } } };
      return UI.InspectorView.InspectorView.instance().drawerVisible();
    });
    assert.equal(drawer, false);
  });

  it('3. no raw JSON in the detail (Bearer error, Digest)', async () => {
    for (const i of [2, 4, 5]) {
      await selectRow(p.frame, i);
      // JSON the user asked to see (a decoded token, a response body) is in its own code blocks; nothing else is JSON.
      const body = await p.frame.$eval('.detail', (d) => { const c = d.cloneNode(true) as HTMLElement; c.querySelectorAll('pre').forEach((x) => x.remove()); return c.textContent ?? ''; });
      assert.doesNotMatch(body, /\{"|Bearer error:|Digest: \{/, `row ${i}: ${body.slice(Math.max(0, body.search(/\{"|Bearer error:|Digest: \{/) - 200), body.search(/\{"|Bearer error:|Digest: \{/) + 100)}`);
    }
    // The decoded token is JSON on purpose, in its own block.
    await selectRow(p.frame, 2);
    assert.match(await text(p.frame, '.detail pre.json'), /"exp"/);
  });

  it('6. an action’s status belongs to its failure', async () => {
    await selectRow(p.frame, -1);
    await chooseAction(p.frame, /cURL/);
    await p.frame.waitForFunction(() => /copied/.test(document.querySelector('.statusbar .status-text')?.textContent ?? ''));
    await selectRow(p.frame, 0);
    assert.equal(await text(p.frame, '.statusbar .status-text'), '');
    await selectRow(p.frame, -1);
    assert.match(await text(p.frame, '.statusbar .status-text'), /copied/);
  });

  it('9. a real splitter and resizable columns, by pointer and by keyboard', async () => {
    const listHeight = () => p.frame.$eval('.split-list', (e) => Math.round(e.getBoundingClientRect().height));
    const h0 = await listHeight();
    const bar = (await (await p.frame.$('.splitter'))!.boundingBox())!;
    await p.devtools.mouse.move(bar.x + bar.width / 2, bar.y + bar.height / 2);
    await p.devtools.mouse.down();
    await p.devtools.mouse.move(bar.x + bar.width / 2, bar.y + bar.height / 2 + 60, { steps: 5 });
    await p.devtools.mouse.up();
    const h1 = await listHeight();
    assert.ok(Math.abs(h1 - h0 - 60) <= 4, `dragged 60 px: ${h0} → ${h1}`);
    await p.frame.focus('.splitter');
    await p.devtools.keyboard.press('ArrowUp');
    assert.equal(await listHeight(), h1 - 16, 'arrow keys move it by 16 px');
    const causeWidth = () => p.frame.$eval('.row .cause', (e) => Math.round(e.getBoundingClientRect().width));
    const w0 = await causeWidth();
    const grip = (await (await p.frame.$('.list-head .col-status .col-resize'))!.boundingBox())!;
    await p.devtools.mouse.move(grip.x + grip.width / 2, grip.y + grip.height / 2);
    await p.devtools.mouse.down();
    await p.devtools.mouse.move(grip.x + grip.width / 2 + 30, grip.y + grip.height / 2, { steps: 5 });
    await p.devtools.mouse.up();
    const statusWidth = await p.frame.$eval('.row .status', (e) => Math.round(e.getBoundingClientRect().width));
    assert.ok(Math.abs(statusWidth - 76) <= 3, `the status column grew by 30 px: ${statusWidth}`);
    assert.equal(await causeWidth(), w0, 'the others keep their width');
    await p.frame.click('.list-head .col-status .col-resize', { count: 2 });
    assert.ok(Math.abs((await p.frame.$eval('.row .status', (e) => Math.round(e.getBoundingClientRect().width))) - 46) <= 3, 'double-click resets');
  });

  it('10. the filter speaks the Network panel’s syntax', async () => {
    const filter = async (q: string) => {
      await p.frame.$eval('input[type=search]', (e) => {
        (e as HTMLInputElement).value = '';
        e.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await p.frame.type('input[type=search]', q);
      await settle();
      return p.frame.$$eval('.row .method', (m) => m.length);
    };
    const all = await rowCount(p.frame);
    assert.equal(await filter('method:OPTIONS'), 1);
    assert.equal(await filter('-method:OPTIONS'), all - 1);
    assert.equal(await filter('status:403'), 1);
    assert.equal(await filter('domain:app.test'), await p.frame.$$eval('.row .path', (ps) => ps.length));
    assert.equal(await filter('/digest/'), 1);
    assert.equal(await filter('/(/'), all, 'a broken regex filters nothing out');
    assert.equal(await p.frame.$eval('input[type=search]', (e) => e.getAttribute('aria-invalid')), 'true');
    await p.frame.focus('input[type=search]');
    await p.devtools.keyboard.press('Escape');
    await settle();
    assert.equal(await rowCount(p.frame), all, 'Esc in the filter clears it');
  });

  it('the action bar is grouped and keyboard reachable: Re-run split, Copy ▾, More ▾ with a confirmation', async () => {
    await selectRow(p.frame, 2);
    const bar = await p.frame.$$eval('.action-bar > *', (els) => els.map((e) => (e.textContent ?? '').trim()));
    assert.deepEqual(bar.filter((t) => t !== ''), ['Re-run with new Authorization…▾', 'Copy ▾', 'More ▾']);
    await p.frame.focus('.action-bar button[aria-haspopup=menu]:not(.split-button *)');
    const more = (await p.frame.$$('.action-bar > .menu-wrap > button[aria-haspopup=menu]')).at(-1)!;
    await more.focus();
    await p.devtools.keyboard.press('ArrowDown');
    await p.frame.waitForFunction(() => document.activeElement?.getAttribute('role') === 'menuitem');
    const items = await p.frame.$$eval('.action-bar [role=menu] [role=menuitem]', (els) => els.map((e) => (e.textContent ?? '').trim()));
    assert.ok(items.includes('Clear site cookies…') && items.includes('Clear site storage & cache…'), items.join(' | '));
    await p.devtools.keyboard.press('Escape');
    await p.frame.waitForFunction(() => !document.querySelector('.action-bar [role=menu]') && document.activeElement?.textContent?.trim() === 'More ▾');
    await p.devtools.keyboard.press('ArrowDown');
    await p.devtools.keyboard.press('Enter');
    await p.frame.waitForSelector('.confirm');
    assert.match(await text(p.frame, '.confirm'), /Clear/);
    await p.frame.click('.confirm button:not(.primary)');
  });

  it('8. after "Clear site cookies", the next 401 says Why 401 cleared them, and when', async () => {
    // A session on app.test that works, then cleared from a failure on the same site.
    await p.page.evaluate(async () => {
      await fetch('/s/session/login?cookie=sid_ux', { method: 'POST' });
      return (await fetch('/s/session/me?cookie=sid_ux')).status;
    });
    await runScenario(p.page, 'session-cookie-missing');
    const n = await rowCount(p.frame);
    await selectRow(p.frame, -1);
    await chooseAction(p.frame, 'Clear site cookies…');
    await p.frame.waitForSelector('.confirm button.primary');
    await p.frame.click('.confirm button.primary');
    await p.frame.waitForSelector('.undo');
    assert.equal(await p.page.evaluate(async () => (await fetch('/s/session/me?cookie=sid_ux')).status), 401);
    await p.frame.waitForFunction((k) => document.querySelectorAll('.row').length > k, {}, n);
    await selectRow(p.frame, -1);
    assert.match(await text(p.frame, '.verdict h2'), /^The session cookie "sid_ux" was cleared by Why 401 \("Clear site cookies"\) (just|less than|\d+ seconds?) /);
  });

  it('5. a held cookie whose value is not kept says so', async () => {
    await runScenario(p.page, 'cookie-blocked-lax');
    await p.frame.waitForFunction(() => /Cookie not sent/.test(document.querySelector('.row:last-child .cause')?.textContent ?? '') || [...document.querySelectorAll('.row .cause')].some((c) => /Cookie not sent/.test(c.textContent ?? '')));
    await selectRow(p.frame, -1);
    const body = await text(p.frame, '.detail');
    assert.doesNotMatch(body, /redacted: 0 chars/);
    assert.match(body, /sid_lax.*Value not kept/s);
  });

  it('4. explanations never break mid-word, docked right (~555 px) or bottom (~1280 px)', async () => {
    for (const id of ['token-expired', 'insufficient-scope', 'digest-stale-nonce']) await runScenario(p.page, id);
    await p.frame.waitForFunction(() => document.querySelectorAll('.row').length >= 3);
    for (const side of ['right', 'bottom'] as const) {
      await dock(p, side);
      for (const i of [-3, -2, -1]) {
        await selectRow(p.frame, i);
        const { broken, wrapped } = await p.frame.evaluate(() => {
          const out: string[] = [];
          let lines = 0;
          for (const el of document.querySelectorAll('.detail p, .detail li, .detail td, .detail dd, .detail .muted')) {
            const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
              // Values from the network (header values, tokens, URLs) may wrap anywhere; words may not.
              if (n.parentElement?.closest('.mono, code, pre, .secret, .masked')) continue;
              const t = n.textContent ?? '';
              const whole = document.createRange();
              whole.selectNodeContents(n);
              if (new Set([...whole.getClientRects()].map((x) => Math.round(x.top))).size > 1) lines++;
              for (const m of t.matchAll(/[A-Za-z]{4,}/g)) {
                const r = document.createRange();
                r.setStart(n, m.index!);
                r.setEnd(n, m.index! + m[0].length);
                if (new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size > 1) out.push(m[0]);
              }
            }
          }
          return { broken: out, wrapped: lines };
        });
        assert.ok(wrapped > 0, 'some explanations do wrap (else this proves nothing)');
        assert.deepEqual(broken, [], `docked ${side}, row ${i}: words broken across lines`);
      }
    }
    await dock(p, 'right');
  });

  it('what changed since it last worked, and the tab’s auth story (screenshots in test-results/)', async () => {
    const sectionText = async (title: string) =>
      p.frame.$$eval('details.section', (ds, t) => ds.find((d) => d.querySelector('summary')?.textContent === t)?.querySelector('.section-body')?.textContent ?? '', title);
    const open = async (title: string) =>
      p.frame.$$eval('details.section', (ds, t) => { const d = ds.find((x) => x.querySelector('summary')?.textContent === t); if (d) { (d as HTMLDetailsElement).open = true; d.scrollIntoView(); } return !!d; }, title);
    // Token revoked: the same token worked a moment ago; nothing that was sent changed.
    await runScenario(p.page, 'token-revoked');
    await p.frame.waitForFunction(() => /Token revoked/.test([...document.querySelectorAll('.row .cause')].pop()?.textContent ?? ''));
    await selectRow(p.frame, -1);
    assert.match(await sectionText('What changed since it last worked'), /This request last worked: GET https:\/\/api\.test:\d+\/s\/bearer\/me → 200, .*before this failure\.Nothing Why 401 compares changed/);
    // Token replaced: the token and its exp differ.
    await runScenario(p.page, 'token-replaced');
    await p.frame.waitForFunction(() => /Token expired/.test([...document.querySelectorAll('.row .cause')].pop()?.textContent ?? ''));
    await selectRow(p.frame, -1);
    const replaced = await sectionText('What changed since it last worked');
    assert.match(replaced, /Authorizationthe token was replacedbearer #[0-9a-f]{8}bearer #[0-9a-f]{8}/);
    assert.match(replaced, /Token claim exp\d{4}-\d\d-\d\dT[\d:]+Z\d{4}-\d\d-\d\dT[\d:]+Z/);
    await open('What changed since it last worked');
    await p.devtools.screenshot({ path: join(results, 'panel-diff.png') });
    // Signed out by a logout: the session cookie went; the story shows it, the failure last.
    await runScenario(p.page, 'session-cookie-missing');
    await p.frame.waitForFunction(() => /Session cookie gone/.test([...document.querySelectorAll('.row .cause')].pop()?.textContent ?? ''));
    await selectRow(p.frame, -1);
    assert.match(await sectionText('What changed since it last worked'), /Cookie sid_out#[0-9a-f]{8}not sent/);
    const story = await p.frame.$$eval('ol.story li', (l) => l.map((x) => x.className.split(' ')[0] + ':' + (x.textContent ?? '')));
    assert.deepEqual(story.slice(-4), ['story-cookie-set:sid_out set', 'story-worked:200', 'story-cookie-deleted:sid_out deleted', 'story-failure:401 Session cookie gone'], story.join(' | '));
    assert.ok(await p.frame.$eval('ol.story', (o) => o.scrollLeft + o.clientWidth >= o.scrollWidth - 2), 'the failure end of the strip is in view');
    // The edge that events are scrolled behind fades; the other does not.
    const edges = () => p.frame.$eval('ol.story', (o) => ({ before: o.scrollLeft > 1, after: o.scrollLeft + o.clientWidth < o.scrollWidth - 1, cls: o.className }));
    const end = await edges();
    assert.equal(end.cls.includes('more-before'), end.before, end.cls);
    assert.ok(!end.cls.includes('more-after'), end.cls);
    await p.frame.$eval('ol.story', (o) => o.scrollTo({ left: 0 }));
    await p.frame.waitForFunction(() => !document.querySelector('ol.story')!.className.includes('more-before'));
    const start = await edges();
    assert.equal(start.cls.includes('more-after'), start.after, start.cls);
    await p.frame.$eval('ol.story', (o) => o.scrollTo({ left: o.scrollWidth }));
    // Activated as a keyboard user would (the strip may still be scrolling: a pointer click at
    // the button's old spot can land on its neighbour, as one loaded run showed).
    const deleted = (await p.frame.$$('ol.story li button')).at(-2)!;
    await deleted.evaluate((b) => (b as HTMLElement).click());
    await p.frame.waitForFunction(() => /deleted the cookie/.test(document.querySelector('.story-detail')?.textContent ?? ''), { timeout: 5_000 }).catch(() => undefined);
    assert.match(await text(p.frame, '.story-detail'), /before the failure The response to POST https:\/\/app\.test:\d+\/s\/session\/logout\?cookie=sid_out \(200\) deleted the cookie "sid_out"\./);
    await open('The tab’s auth story');
    await p.devtools.screenshot({ path: join(results, 'panel-story.png') });
  });

  it('the panel logged no errors', () => {
    assert.deepEqual(errors, []);
  });
});
