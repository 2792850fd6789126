/**
 * Firefox ESR smoke test over WebDriver BiDi with dist/firefox (test build): capture, the
 * cookie jar and the badge for the Bearer and cookie scenarios. (Firefox's DevTools panel cannot
 * be reached by automation: it is checked by hand.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Har } from '../../../src/core/exchange/har-types.ts';
import { runScenario } from '../helpers/chromium.ts';
import { launchFirefox, type FirefoxSession } from '../helpers/firefox.ts';

const SCENARIOS: [string, string, (r: { entry: Har['log']['entries'][number]; notes?: { title: string }[] }) => void][] = [
  ['missing-credentials', 'missing-credentials', (r) => assert.equal(r.entry.response.headers.find((h) => /^www-authenticate$/i.test(h.name))?.value, 'Bearer realm="lab-api"')],
  ['token-expired', 'token-expired', (r) => assert.match(r.entry.request.headers.find((h) => /^authorization$/i.test(h.name))?.value ?? '', /^Bearer eyJ/)],
  ['placeholder-token', 'placeholder-token', () => undefined],
  ['session-cookie-missing', 'session-cookie-missing', () => undefined],
  ['credentials-not-included', 'credentials-not-included', (r) => assert.ok(r.entry._why401?.cookieJar?.some((c) => c.name === 'sid_app'))],
  ['cookie-blocked-strict', 'cookie-blocked', (r) => assert.ok(r.entry._why401?.cookieJar?.some((c) => c.name === 'sid_strict' && c.sameSite === 'strict'))],
  ['scheme-missing', 'scheme-missing', (r) => assert.match(r.entry.request.headers.find((h) => /^authorization$/i.test(h.name))?.value ?? '', /^eyJ/)],
  ['cookie-out-of-scope-host', 'cookie-out-of-scope', (r) => assert.ok(r.entry._why401?.cookieJar?.some((c) => c.name === 'sid_host'))],
  ['cookie-out-of-scope-path', 'cookie-out-of-scope', (r) => assert.ok(r.entry._why401?.cookieJar?.some((c) => c.name === 'sid_path' && c.path === '/app'))],
  ['cors-hidden-401', 'missing-credentials', (r) => assert.match(r.notes?.[0]?.title ?? '', /^Your code never saw this 401/)],
  ['id-token-as-access-token', 'wrong-token-type', (r) => assert.match(r.entry.request.headers.find((h) => /^authorization$/i.test(h.name))?.value ?? '', /^Bearer eyJ/)],
];

describe('Firefox ESR smoke test', () => {
  let s: FirefoxSession;
  before(async () => {
    s = await launchFirefox();
  });
  after(async () => {
    await s?.close();
  });

  it('Firefox has no extraHeaders, and the host permission is granted', async () => {
    const d = await s.request<{ extraHeaders: boolean }>({ type: 'get-diagnostics' });
    assert.equal(d.extraHeaders, false);
    assert.equal(await s.ext.evaluate(() => (globalThis as unknown as { browser: typeof chrome }).browser.permissions.contains({ origins: ['<all_urls>'] })), true);
  });

  for (const [id, cause, evidence] of SCENARIOS) {
    it(`${id} → ${cause}`, async () => {
      await s.ext.evaluate(async () => {
        const b = (globalThis as unknown as { browser: typeof chrome }).browser;
        for (const c of await b.cookies.getAll({})) await b.cookies.remove({ url: `http${c.secure ? 's' : ''}://${c.domain.replace(/^\./, '')}${c.path}`, name: c.name });
      });
      const page = await s.browser.newPage();
      await page.goto(s.lab.url('app.test', '/'));
      const tabId = await s.tabIdOf(page);
      await runScenario(page, id);
      const snap = await s.waitForRecords(tabId, 1);
      assert.equal(snap.records.length, 1);
      const r = snap.records[0]!;
      assert.equal(r.findings[0]?.cause, cause, r.findings.map((f) => f.cause).join(', '));
      evidence(r);
      const until = Date.now() + 2000;
      while ((await s.badgeText(tabId)) !== '1' && Date.now() < until) await new Promise((x) => setTimeout(x, 50));
      assert.equal(await s.badgeText(tabId), '1');
      const har = await s.request<Har>({ type: 'export-har', tabId });
      assert.ok(har.log.entries.some((e) => e._why401?.findings));
      await page.close();
    });
  }

  it('a body DevTools recorded: the background keeps it and the verdict follows it (Firefox has no automatable DevTools: the panel\'s message is sent as it sends it)', async () => {
    const page = await s.browser.newPage();
    await page.goto(s.lab.url('app.test', '/'));
    const tabId = await s.tabIdOf(page);
    await runScenario(page, 'body-only');
    const snap = await s.waitForRecords(tabId, 1);
    const r = snap.records[0]!;
    assert.equal(r.findings[0]?.cause, 'wrong-credentials', 'the headers alone');
    assert.equal(r.entry.response.content.text, undefined, 'the background never reads bodies');
    const updated = await s.request<{ findings: { cause: string }[]; entry: Har['log']['entries'][number] }>({ type: 'attach-recorded', recordId: r.id, body: { text: '{"detail":"Signature has expired"}', mimeType: 'application/json' } });
    assert.equal(updated.findings[0]?.cause, 'token-expired');
    assert.equal((await s.snapshot(tabId)).records[0]?.findings[0]?.cause, 'token-expired', 'kept in the store');
    await page.close();
  });

  it('the background reports no errors', async () => {
    const d = await s.request<{ errors: string[] }>({ type: 'get-diagnostics' });
    assert.deepEqual(d.errors, []);
  });
});
