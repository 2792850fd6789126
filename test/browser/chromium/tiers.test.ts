/**
 * Two capture tiers in real Chromium (background/tiers.ts): documents and other page resources
 * are heard lightly (no extraHeaders, so no Cookie header), the first failure on an origin says
 * what it could not see, and from then on that origin is heard in full; a tab the panel inspects
 * is heard in full at once; fetch/XHR are always heard in full (a CORS-refused 401 would
 * otherwise be invisible).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Diagnostics } from '../../../src/shared/protocol.ts';
import { launch, type Session } from '../helpers/chromium.ts';
import { openPanel } from '../helpers/devtools.ts';

describe('capture tiers', () => {
  let s: Session;
  before(async () => {
    s = await launch();
  });
  after(async () => {
    await s?.close();
  });

  it('a document 401: first light (and says so), then its origin in full', async () => {
    const { page, tabId } = await s.labPage();
    // A session cookie for api.test, set by a top-level visit (its Set-Cookie unseen: light).
    await page.goto(s.lab.url('api.test', '/s/session/login?cookie=sid_tier&next=/s/session/me%3Fcookie%3Dnope'));
    let snap = await s.waitForRecords(tabId, 1);
    const first = snap.records.at(-1)!;
    assert.equal(first.entry.request.method, 'GET');
    assert.equal(first.entry._why401?.capture, 'light', 'the first failure on api.test was heard lightly');
    assert.equal(first.entry.request.headers.some((h) => h.name.toLowerCase() === 'cookie'), false, 'no Cookie header visible');
    const note = first.notes?.find((n) => n.kind === 'light-capture');
    assert.match(note?.title ?? '', /^First failure seen on https:\/\/api\.test:\d+: the Cookie header was not visible$/);
    assert.match(note?.explanation ?? '', /the cookies sent are inferred from the browser's jar/);
    // The full tier is registered again a moment after a new failing origin (a burst re-registers once).
    let diag = await s.request<Diagnostics>({ type: 'get-diagnostics' });
    for (const until = Date.now() + 3000; !diag.fullCapture?.origins.includes('https://api.test/*') && Date.now() < until; ) {
      await new Promise((r) => setTimeout(r, 50));
      diag = await s.request<Diagnostics>({ type: 'get-diagnostics' });
    }
    assert.ok(diag.fullCapture?.origins.includes('https://api.test/*'), JSON.stringify(diag.fullCapture));
    // The same again: heard in full now, the Cookie header as sent.
    await page.goto(s.lab.url('api.test', '/s/session/me?cookie=nope'));
    snap = await s.waitForRecords(tabId, 1);
    const second = snap.records.at(-1)!;
    assert.notEqual(second.id, first.id);
    assert.equal(second.entry._why401?.capture, undefined, 'heard in full');
    assert.match(second.entry.request.headers.find((h) => h.name.toLowerCase() === 'cookie')?.value ?? '', /sid_tier=/);
    assert.equal(second.notes?.some((n) => n.kind === 'light-capture') ?? false, false);
    await page.close();
  });

  it('fetch and XMLHttpRequest are always heard in full', async () => {
    const { page, tabId } = await s.labPage();
    await page.evaluate(async (u) => {
      await fetch(u, { cache: 'no-store' }).then((r) => r.text()).catch(() => undefined);
    }, s.lab.url('api2.test', '/s/bearer/me'));
    const r = (await s.waitForRecords(tabId, 1)).records.at(-1)!;
    assert.equal(r.entry._why401?.capture, undefined);
    await page.close();
  });

  it('a tab the panel inspects is heard in full while the panel is open', async () => {
    await s.close();
    s = await launch({ devtools: true });
    const p = await openPanel(s);
    const diag = await s.request<Diagnostics>({ type: 'get-diagnostics' });
    assert.ok(diag.fullCapture?.tabs.includes(p.tabId), JSON.stringify(diag.fullCapture));
    await p.page.goto(s.lab.url('sso.test', '/s/bearer/me'));
    const r = (await s.waitForRecords(p.tabId, 1)).records.at(-1)!;
    assert.equal(r.entry.request.url.startsWith(s.lab.url('sso.test', '/')), true);
    assert.equal(r.entry._why401?.capture, undefined, 'a first failure on sso.test, heard in full: the panel is open');
  });
});
