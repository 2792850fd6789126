/**
 * Component tests of the panel (Preact in happy-dom, a fake backend): every finding type
 * renders, secrets stay masked until revealed, filters, keyboard, 10,000 rows, HAR import.
 * They prove the UI's logic; the real-DevTools suite (test/browser) proves it in the browser.
 */
import '../helpers/dom.ts';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { render } from 'preact';
import { CAUSES, CAUSE_IDS } from '../../src/core/verdict/causes.ts';
import { diagnoseEntry } from '../../src/core/verdict/diagnose.ts';
import type { Finding } from '../../src/core/verdict/finding.ts';
import { App, loadDetail } from '../../src/panel/App.tsx';
import type { PanelBackend } from '../../src/panel/backend.ts';
import type { Push } from '../../src/shared/protocol.ts';
import type { StoredRecord, TabSnapshot } from '../../src/shared/records.ts';
import { defaultSettings, type Settings } from '../../src/shared/settings.ts';
import { entry, har, jwt, sec } from '../helpers/har.ts';
import { settle, text, until, window } from '../helpers/dom.ts';

const CANARY = 'CANARY-secret-token-0123456789';

// Seconds apart: failures a moment apart would be one group of repeats (core/verdict/burst.ts).
function record(i: number, findings: Finding[], e = entry({ url: `https://api.test/v1/item/${i}`, at: new Date(Date.parse('2025-06-01T12:00:00Z') + i * 5000).toISOString() })): StoredRecord {
  return { id: `1:${i + 1}`, tabId: 1, seq: i + 1, at: Date.parse(e.startedDateTime), page: 0, entry: e, findings };
}

function fakeBackend(records: StoredRecord[], settings: Settings = defaultSettings()) {
  const calls: { type: string; payload: unknown }[] = [];
  let pushTo: ((p: Push) => void) | undefined;
  const snapshot = (): TabSnapshot => ({ tabId: 1, count: records.length, dropped: 0, lost: 0, partial: 0, records });
  const backend: PanelBackend = {
    tabId: 1,
    theme: () => 'light',
    onThemeChange: () => undefined,
    subscribe(_tab, onPush, onConnected) {
      pushTo = onPush;
      setTimeout(() => {
        onConnected(true);
        onPush({ type: 'snapshot', snapshot: snapshot() });
      }, 0);
      return { close: () => undefined };
    },
    async request(type, payload) {
      calls.push({ type, payload });
      if (type === 'get-settings') return settings as never;
      if (type === 'clear-tab') return { cleared: records.length } as never;
      throw new Error(`unexpected request ${type}`);
    },
    pageUrl: async () => 'https://app.test/',
    onNavigated: () => undefined,
    fetchFromExtension: async () => ({ status: 200, statusText: 'OK', headers: [] }),
    clearSiteData: async () => undefined,
    allowCookiePolicy: async () => true,
    copy: async () => undefined,
    download: () => undefined,
  };
  return { backend, calls, push: (p: Push) => pushTo?.(p) };
}

const root = () => window.document.getElementById('app') ?? Object.assign(window.document.body.appendChild(window.document.createElement('div')), { id: 'app' });

async function mount(backend: PanelBackend): Promise<HTMLElement> {
  const el = root() as unknown as HTMLElement;
  await loadDetail(); // the panel loads it after the first rows paint; these tests click at once
  render(<App backend={backend} />, el);
  await settle(20); // pushes are applied once per frame
  return el;
}

function rows(el: HTMLElement): HTMLElement[] {
  return [...el.querySelectorAll<HTMLElement>('.row')];
}

async function select(row: HTMLElement): Promise<void> {
  row.dispatchEvent(new window.MouseEvent('mousedown', { bubbles: true }) as unknown as Event);
  await settle();
}

/** Open a menu button by its name and pick an item, as a user does. */
async function chooseMenuItem(el: HTMLElement, menu: string, item: string): Promise<void> {
  const button = [...el.querySelectorAll<HTMLButtonElement>('button[aria-haspopup="menu"]')].find((b) => b.getAttribute('aria-label') === menu || text(b) === menu);
  assert.ok(button, `a menu button "${menu}"`);
  button.click();
  await settle();
  const entry = [...el.querySelectorAll<HTMLButtonElement>('[role="menu"] [role="menuitem"]')].find((b) => text(b) === item);
  assert.ok(entry, `a menu item "${item}" in ${[...el.querySelectorAll('[role="menuitem"]')].map(text).join(' | ')}`);
  entry.click();
  await settle();
}

function synthetic(cause: (typeof CAUSE_IDS)[number]): Finding {
  const info = CAUSES[cause];
  return { cause, confidence: 'high', title: `Title of ${cause}`, explanation: `Explanation of ${cause}`, plain: 'p', evidence: [{ kind: 'status', label: 'Status', value: '401' }], fixes: info.fixes, actions: info.actions };
}

describe('panel components', () => {
  afterEach(() => render(null, root() as unknown as HTMLElement));

  it('renders every finding type, with its label, explanation and fixes', async () => {
    const records = CAUSE_IDS.map((c, i) => record(i, [synthetic(c)]));
    const el = await mount(fakeBackend(records).backend);
    assert.match(text(el.querySelector('.count')), new RegExp(`${CAUSE_IDS.length} failures`));
    const list = el.querySelector<HTMLElement>('.list-body')!;
    for (const [i, cause] of CAUSE_IDS.entries()) {
      list.dispatchEvent(new window.KeyboardEvent('keydown', { key: i === 0 ? 'Home' : 'ArrowDown', bubbles: true }) as unknown as Event);
      await settle();
      const detail = text(el.querySelector('.detail'));
      assert.ok(detail.includes(`Title of ${cause}`), cause);
      assert.ok(detail.includes(`Explanation of ${cause}`), cause);
      assert.ok(detail.includes(CAUSES[cause].label), cause);
      assert.ok(detail.includes(CAUSES[cause].fixes.developers[0]!.replace(/`/g, '')), `${cause}: developer fix`);
    }
  });

  it('renders nothing while DevTools shows another panel, and catches up in one render when shown', async () => {
    const fake = fakeBackend([record(0, [synthetic('token-expired')])]);
    let visibility: ((shown: boolean) => void) | undefined;
    let stopped = false;
    fake.backend.onVisibility = (cb) => {
      visibility = cb;
      return () => void (stopped = true);
    };
    const el = await mount(fake.backend);
    assert.equal(rows(el).length, 1);
    assert.ok(visibility, 'the panel listens for DevTools showing and hiding it');
    const list = el.querySelector('.list-body');
    visibility(false);
    await settle();
    for (let i = 1; i <= 5; i++) fake.push({ type: 'record', tabId: 1, record: record(i, [synthetic('missing-credentials')]), count: i + 1, dropped: 0 });
    await settle(40);
    assert.equal(rows(el).length, 1, 'no rows rendered while hidden');
    assert.match(text(el.querySelector('.count')), /^1 failure\b/);
    visibility(true);
    await settle(20);
    assert.equal(rows(el).length, 6, 'every failure that arrived while hidden is shown');
    assert.match(text(el.querySelector('.count')), /^6 failures/);
    assert.equal(el.querySelector('.list-body'), list, 'the same list, not a new one (scroll and focus survive)');
    render(null, root() as unknown as HTMLElement);
    await settle();
    assert.ok(stopped, 'the listener is removed when the panel goes');
  });

  it('the action bar leads with what each cause says fixes it; a preflight offers nothing cookie-related', async () => {
    const records = CAUSE_IDS.map((c, i) => record(i, [synthetic(c)]));
    const el = await mount(fakeBackend(records).backend);
    const list = el.querySelector<HTMLElement>('.list-body')!;
    const LABEL: Record<string, string> = { 'edit-and-rerun': 'Re-run with new Authorization…', rerun: 'Re-run', 'rerun-without-cookies': 'Re-run without cookies', 'clear-site-cookies': 'Clear site cookies…' };
    for (const [i, cause] of CAUSE_IDS.entries()) {
      list.dispatchEvent(new window.KeyboardEvent('keydown', { key: i === 0 ? 'Home' : 'ArrowDown', bubbles: true }) as unknown as Event);
      await settle();
      const lead = CAUSES[cause].actions.find((a) => a in LABEL);
      const primary = [...el.querySelectorAll<HTMLButtonElement>('.action-bar button.primary')].map(text);
      if (lead) assert.deepEqual(primary, [LABEL[lead]], cause);
      else assert.deepEqual(primary, [], `${cause}: no fix leads`);
    }
    // A real preflight: no re-run, no cookie action; the server-side fix is said instead.
    render(null, root() as unknown as HTMLElement);
    const pre = entry({ method: 'OPTIONS', req: { 'Access-Control-Request-Method': 'GET', Origin: 'https://app.test' }, res: { 'WWW-Authenticate': 'Bearer' } });
    const el2 = await mount(fakeBackend([record(0, diagnoseEntry(pre), pre)]).backend);
    await select(rows(el2)[0]!);
    assert.equal(el2.querySelector('.split-button'), null);
    const more = [...el2.querySelectorAll<HTMLButtonElement>('.action-bar button')].find((b) => text(b) === 'More ▾');
    assert.ok(more);
    more.click();
    await settle();
    assert.deepEqual([...el2.querySelectorAll('[role="menuitem"]')].map(text), ['Clear site storage & cache…']);
    assert.match(text(el2.querySelector('.where')), /fix is on the server/);
  });

  it('menus work from the keyboard: open with ↓, move, Esc gives focus back', async () => {
    const el = await mount(fakeBackend([record(0, [synthetic('token-expired')])]).backend);
    await select(rows(el)[0]!);
    const copyButton = [...el.querySelectorAll<HTMLButtonElement>('.action-bar button')].find((b) => text(b) === 'Copy ▾')!;
    copyButton.focus();
    copyButton.dispatchEvent(new window.KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }) as unknown as Event);
    await settle();
    const items = () => [...el.querySelectorAll<HTMLElement>('[role="menuitem"]')];
    assert.equal(items().length, 3);
    assert.equal(window.document.activeElement, items()[0]);
    const menu = el.querySelector('[role="menu"]')!;
    menu.dispatchEvent(new window.KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }) as unknown as Event);
    assert.equal(window.document.activeElement, items()[1]);
    menu.dispatchEvent(new window.KeyboardEvent('keydown', { key: 'End', bubbles: true }) as unknown as Event);
    assert.equal(window.document.activeElement, items()[2]);
    menu.dispatchEvent(new window.KeyboardEvent('keydown', { key: 'Escape', bubbles: true }) as unknown as Event);
    await settle();
    assert.equal(items().length, 0);
    assert.equal(window.document.activeElement, copyButton);
  });

  it('secrets stay masked until revealed, and cannot be revealed when settings forbid it', async () => {
    const e = entry({ req: { Authorization: `Bearer ${jwt({ exp: sec('2025-06-01T11:00:00Z'), note: 'x' })}`, Cookie: `sid=${CANARY}` }, res: { 'WWW-Authenticate': 'Bearer realm="api"' } });
    const el = await mount(fakeBackend([record(0, diagnoseEntry(e), e)]).backend);
    await select(rows(el)[0]!);
    const detail = () => el.querySelector('.detail')!;
    assert.ok(!detail().innerHTML.includes(CANARY), 'masked');
    const reveal = [...detail().querySelectorAll('button')].find((b) => /Reveal cookie sid/.test(b.getAttribute('aria-label') ?? ''));
    assert.ok(reveal, 'a reveal button for the cookie');
    reveal!.click();
    await settle();
    assert.ok(detail().textContent!.includes(CANARY), 'revealed on request');
    render(null, root() as unknown as HTMLElement);
    const strict = await mount(fakeBackend([record(0, diagnoseEntry(e), e)], { ...defaultSettings(), allowReveal: false }).backend);
    await select(rows(strict)[0]!);
    assert.equal([...strict.querySelectorAll('.detail button')].filter((b) => /reveal/i.test(b.textContent ?? '')).length, 0);
  });

  it('a placeholder token is named and shown as it is; a real one beside it stays masked', async () => {
    const cases: [string, RegExp][] = [
      ['Bearer undefined', /The bearer token: a placeholder, not a credential: undefined\./],
      ['Bearer ${API_TOKEN}', /The bearer token: a placeholder, not a credential: \$\{API_TOKEN\} \(an unexpanded template\)\./],
      ['undefined', /The token: a placeholder, not a credential: undefined\./],
    ];
    for (const [auth, said] of cases) {
      const e = entry({ req: { Authorization: auth }, res: { 'WWW-Authenticate': 'Bearer realm="api"' } });
      const el = await mount(fakeBackend([record(0, diagnoseEntry(e), e)]).backend);
      await select(rows(el)[0]!);
      assert.match(text(el.querySelector('.detail')!), said, auth);
      render(null, root() as unknown as HTMLElement);
    }
    const e = entry({ req: { Authorization: `Bearer ${CANARY}` }, res: { 'WWW-Authenticate': 'Bearer realm="api"' } });
    const el = await mount(fakeBackend([record(0, diagnoseEntry(e), e)]).backend);
    await select(rows(el)[0]!);
    assert.ok(!el.querySelector('.detail')!.innerHTML.includes(CANARY), 'a real token is masked');
    assert.doesNotMatch(text(el.querySelector('.detail')!), /placeholder, not a credential/);
  });

  it('filters by text and by cause', async () => {
    const records = [record(0, [synthetic('token-expired')]), record(1, [synthetic('cookie-blocked')]), record(2, [synthetic('token-expired')])];
    const el = await mount(fakeBackend(records).backend);
    const input = el.querySelector<HTMLInputElement>('input[type=search]')!;
    input.value = 'item/1';
    input.dispatchEvent(new window.Event('input', { bubbles: true }) as unknown as Event);
    await settle();
    assert.equal(rows(el).length, 1);
    input.value = '';
    input.dispatchEvent(new window.Event('input', { bubbles: true }) as unknown as Event);
    const select = el.querySelector<HTMLSelectElement>('select[aria-label="Filter by cause"]')!;
    select.value = 'token-expired';
    select.dispatchEvent(new window.Event('change', { bubbles: true }) as unknown as Event);
    await settle();
    assert.equal(rows(el).length, 2);
    assert.match(text(el.querySelector('.count')), /2 of 3 failures/);
  });

  it('keyboard: arrows, Home/End, Escape', async () => {
    const records = Array.from({ length: 5 }, (_, i) => record(i, [synthetic('missing-credentials')]));
    const el = await mount(fakeBackend(records).backend);
    const list = el.querySelector<HTMLElement>('.list-body')!;
    const key = async (k: string) => {
      list.dispatchEvent(new window.KeyboardEvent('keydown', { key: k, bubbles: true }) as unknown as Event);
      await settle();
    };
    const selected = () => el.querySelector('.row.selected')?.id;
    await key('ArrowDown');
    assert.equal(selected(), 'row-1:1');
    await key('ArrowDown');
    assert.equal(selected(), 'row-1:2');
    await key('End');
    assert.equal(selected(), 'row-1:5');
    await key('ArrowUp');
    assert.equal(selected(), 'row-1:4');
    await key('Escape');
    assert.equal(selected(), undefined);
  });

  it('10,000 rows: only the visible ones are in the DOM', async () => {
    const f = [synthetic('token-expired')];
    const records = Array.from({ length: 10_000 }, (_, i) => record(i, f));
    const el = await mount(fakeBackend(records).backend);
    assert.match(text(el.querySelector('.count')), /10000 failures/);
    assert.ok(rows(el).length < 80, `${rows(el).length} rows in the DOM`);
    // Following the end like the Network panel: the newest rows are rendered.
    assert.ok(rows(el).some((r) => r.id === 'row-1:10000'));
  });

  it('a broken HAR import shows one clear error and keeps the list; a good one replaces it', async () => {
    const el = await mount(fakeBackend([record(0, [synthetic('missing-credentials')])]).backend);
    const input = el.querySelector<HTMLInputElement>('input[type=file]')!;
    const drop = async (name: string, content: string) => {
      const file = { name, arrayBuffer: async () => new TextEncoder().encode(content).buffer };
      Object.defineProperty(input, 'files', { value: [file], configurable: true });
      input.dispatchEvent(new window.Event('change', { bubbles: true }) as unknown as Event);
      // The import reads and judges the file asynchronously: wait for its outcome, not a fixed time.
      await until(() => text(el.querySelector('.statusbar')).includes(`${name}:`), `the import of ${name} to finish`);
      await settle(0);
    };
    await drop('broken.har', '{"log": {"entries": [ {"request"');
    assert.match(text(el.querySelector('.statusbar')), /Could not import broken\.har: truncated HAR/);
    assert.equal(rows(el).length, 1, 'the live list is still there');
    const good = har([entry({ status: 200 }), entry({ req: { Authorization: 'Bearer undefined' }, res: { 'WWW-Authenticate': 'Bearer' } })]);
    await drop('good.har', JSON.stringify(good));
    assert.match(text(el.querySelector('.banner')), /Showing good\.har: 1 auth failure in 2 entries/);
    assert.equal(text(rows(el)[0]!.querySelector('.cause')), 'Placeholder token');
  });

  it('a first snapshot of the newest records, then the older ones: the whole list, in order, once', async () => {
    const all = Array.from({ length: 250 }, (_, i) => record(i, [synthetic('token-expired')]));
    const fake = fakeBackend(all);
    const asked: number[] = [];
    fake.backend.subscribe = (_tab, onPush, onConnected) => {
      setTimeout(() => {
        onConnected(true);
        onPush({ type: 'snapshot', snapshot: { tabId: 1, count: 250, dropped: 0, lost: 0, partial: 0, records: all.slice(150), older: 150 } });
        // A new failure arrives before the older ones.
        onPush({ type: 'record', tabId: 1, record: record(250, [synthetic('token-expired')]), count: 251, dropped: 0 });
      }, 0);
      return {
        close: () => undefined,
        more: (_t, before) => {
          asked.push(before);
          // Batches of 50 (the newest of what is older), each overlapping what the panel has by one
          // record (never duplicated), and saying how many are older still.
          const older = all.filter((r) => r.seq <= before);
          const batch = older.slice(-51);
          setTimeout(() => onPush({ type: 'older', tabId: 1, records: batch, older: older.length - batch.length }), 0);
        },
      };
    };
    const el = await mount(fake.backend);
    await settle(40);
    assert.deepEqual(asked, [151, 101, 51], 'asked batch after batch, each for what is older than the first record shown');
    assert.match(text(el.querySelector('.count')), /251 failures/);
    const body = el.querySelector<HTMLElement>('.list-body')!;
    body.scrollTop = 0;
    body.dispatchEvent(new window.Event('scroll') as unknown as Event);
    await settle();
    assert.equal(rows(el)[0]!.id, 'row-1:1', 'the oldest record is first');
  });

  it('a re-run of an imported request asks first, with its method and URL, calls out a private address, and goes without the browser\'s cookies unless ticked', async () => {
    const fake = fakeBackend([]);
    let sent = 0;
    const modes: string[] = [];
    fake.backend.fetchFromExtension = async (req) => {
      sent++;
      modes.push(req.credentials);
      return { status: 401, statusText: 'Unauthorized', headers: [] };
    };
    const el = await mount(fake.backend);
    const input = el.querySelector<HTMLInputElement>('input[type=file]')!;
    const content = JSON.stringify(har([entry({ url: 'http://192.168.1.20:8080/admin/users?access_token=abc123', req: { Authorization: 'Bearer undefined' }, res: { 'WWW-Authenticate': 'Bearer' } })]));
    const file = { name: 'lan.har', arrayBuffer: async () => new TextEncoder().encode(content).buffer };
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    input.dispatchEvent(new window.Event('change', { bubbles: true }) as unknown as Event);
    await until(() => text(el.querySelector('.statusbar')).includes('lan.har:'), 'the import');
    await settle(0);
    await select(rows(el)[0]!);
    await settle(20);
    // Bearer undefined: the bar leads with a new Authorization; "as sent" is in the Re-run menu.
    assert.equal(text(el.querySelector('.split-button > button')!), 'Re-run with new Authorization…');
    assert.equal(el.querySelector('.action-bar button[aria-label="More ways to re-run"]') !== null, true);
    assert.ok(![...el.querySelectorAll('.action-bar button')].some((b) => /More/.test(text(b))), 'no action on the live browser for an imported failure');
    await chooseMenuItem(el, 'More ways to re-run', 'Re-run as sent');
    const confirm = el.querySelector('.confirm');
    assert.ok(confirm, 'a confirmation, not a request');
    assert.equal(sent, 0);
    const said = text(confirm);
    assert.match(said, /Send GET http:\/\/192\.168\.1\.20:8080\/admin\/users\?access_token=/);
    assert.match(said, /imported HAR file/);
    assert.match(said, /192\.168\.1\.20 is a private or loopback address/);
    assert.doesNotMatch(said, /abc123/, 'the token in the URL stays masked');
    assert.match(said, /Send my browser’s own cookies and saved sign-ins for 192\.168\.1\.20:8080/);
    confirm!.querySelector<HTMLButtonElement>('button.primary')!.click();
    await until(() => sent === 1, 'the re-run');
    assert.deepEqual(modes, ['omit'], 'an imported request goes without the browser\'s cookies by default');
    // Ticked for one re-run: that one carries them.
    await settle(0);
    await chooseMenuItem(el, 'More ways to re-run', 'Re-run as sent');
    const box = el.querySelector<HTMLInputElement>('.confirm input[type=checkbox]')!;
    box.click();
    await settle(0);
    el.querySelector<HTMLButtonElement>('.confirm button.primary')!.click();
    await until(() => sent === 2, 'the second re-run');
    assert.deepEqual(modes, ['omit', 'include']);
  });
});
