/**
 * The capture's sign-in flows (background/flows.ts), from webRequest details as the browsers give
 * them: an authorize navigation, its callback, a token request whose form body the requestBody
 * listener heard. Kept per tab, across a stopped worker (storage.session), gone on Clear and tab
 * close; nothing secret kept; other requests cost one URL test.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadgeController } from '../../src/background/badge.ts';
import { Capture } from '../../src/background/capture.ts';
import { FLOW_STEPS_KEY, FlowLog } from '../../src/background/flows.ts';
import { TabStore } from '../../src/background/store.ts';
import type { RequestDetails } from '../../src/platform/index.ts';
import { defaultSettings } from '../../src/shared/settings.ts';
import { jwt } from '../helpers/har.ts';
import { FakeBadge, FakeJar, FakeKV } from '../helpers/fakes.ts';

const T0 = Date.parse('2026-12-06T10:00:00.000Z');
const STATE = 'af0ifjsldkj-state-value';
const CODE = 'SplxlOBeZQQYbYS23WxSbIA';
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

let id = 0;
function details(url: string, statusCode: number, at: number, extra: Partial<RequestDetails> = {}): RequestDetails {
  return { requestId: String(++id), url, method: 'GET', tabId: 7, frameId: 0, type: 'main_frame', timeStamp: T0 + at, statusCode, responseHeaders: [], ...extra };
}

/** A sign-in whose token request sends another redirect_uri (a trailing slash). */
function signIn(log: FlowLog, tabId = 7): void {
  const q = new URLSearchParams({ response_type: 'code', client_id: 'spa', redirect_uri: 'https://app.test/cb', state: STATE, code_challenge: CHALLENGE, code_challenge_method: 'S256' });
  log.observe(details(`https://idp.test/authorize?${q}`, 302, 0, { tabId }), [], undefined);
  log.observe(details(`https://app.test/cb?code=${CODE}&state=${STATE}`, 200, 1000, { tabId }), [], undefined);
  const form = new URLSearchParams({ grant_type: 'authorization_code', code: CODE, redirect_uri: 'https://app.test/cb/', code_verifier: VERIFIER, client_id: 'spa' }).toString();
  log.observe(details('https://idp.test/token', 400, 1200, { tabId, method: 'POST', type: 'xmlhttprequest', requestHeaders: [{ name: 'Origin', value: 'https://app.test' }], responseHeaders: [{ name: 'Access-Control-Allow-Origin', value: 'https://app.test' }] }), [{ name: 'Origin', value: 'https://app.test' }], { form, at: T0 + 1200 });
}

describe('the capture’s sign-in flows', () => {
  it('an authorize navigation, its callback and a token request (its form heard): one flow, the broken step named', async () => {
    const log = new FlowLog(new FakeKV());
    await log.ready;
    signIn(log);
    const flows = log.flows(7);
    assert.equal(flows.length, 1);
    assert.deepEqual(flows[0]!.runs.map((r) => r.label), ['sign-in', 'callback', 'token']);
    assert.deepEqual(flows[0]!.findings.map((f) => f.cause), ['redirect-uri-mismatch']);
    assert.deepEqual(log.flows(8), [], 'another tab has none');
  });

  it('keeps nothing secret, and other requests are not kept', async () => {
    const kv = new FakeKV();
    const log = new FlowLog(kv);
    await log.ready;
    log.observe(details('https://app.test/api/me', 200, 0, { type: 'xmlhttprequest' }), [{ name: 'Authorization', value: 'Bearer abc' }], undefined);
    log.observe(details('https://api.test/me', 401, 0, { type: 'xmlhttprequest' }), [{ name: 'Authorization', value: 'Bearer a-token-of-some-length' }], undefined);
    assert.deepEqual(log.flows(7), [], 'an API call is not a step the capture can link (no answer bodies)');
    signIn(log);
    await new Promise((r) => setTimeout(r, 150));
    const stored = JSON.stringify(kv.data.get(FLOW_STEPS_KEY));
    for (const secret of [STATE, CODE, VERIFIER]) assert.ok(!stored.includes(secret), 'no state, code or verifier in storage');
    assert.ok(!JSON.stringify(log.flows(7)).includes(CODE));
  });

  it('a stopped worker loses none: a new log reads the steps back; Clear and tab close forget them', async () => {
    const kv = new FakeKV();
    const first = new FlowLog(kv);
    await first.ready;
    signIn(first);
    await new Promise((r) => setTimeout(r, 150));
    const second = new FlowLog(kv);
    await second.ready;
    assert.deepEqual(second.flows(7).map((f) => f.findings.map((x) => x.cause)), [['redirect-uri-mismatch']]);
    second.forgetTab(7);
    assert.deepEqual(second.flows(7), []);
    await new Promise((r) => setTimeout(r, 150));
    const third = new FlowLog(kv);
    await third.ready;
    assert.deepEqual(third.flows(7), [], 'forgotten in storage too');
    signIn(third, 9);
    third.forgetAll();
    assert.deepEqual(third.flows(9), []);
  });

  it('storage written by something else is read defensively', async () => {
    const kv = new FakeKV();
    kv.data.set(FLOW_STEPS_KEY, { 7: [{ kind: 'evil', index: 1 }, null, 'x'], x: 'y', 8: 'not a list' });
    const log = new FlowLog(kv);
    await log.ready;
    assert.deepEqual(log.flows(7), []);
  });
});

/**
 * Firefox reads token answers as they pass (platform readAnswer): the capture gives a token step
 * its answer's body, whichever of the headers and the body comes last, and the flows then see the
 * token's life — what each answer issued, and a refused call carrying an issued token.
 */
describe('the capture’s token answers (Firefox’s response filter)', () => {
  const ACCESS_1 = 'at-one-0123456789abcdefghijklmnop';
  const ACCESS_2 = 'at-two-0123456789abcdefghijklmnop';
  const REFRESH_1 = 'rt-one-0123456789abcdefghijklmnop';
  const REFRESH_2 = 'rt-two-0123456789abcdefghijklmnop';

  async function setup() {
    const kv = new FakeKV();
    const settings = defaultSettings();
    const store = new TabStore(kv, () => ({ perTab: 100, total: 1000 }));
    await store.ready;
    const badge = new BadgeController(new FakeBadge(), (tab) => (store.has(tab) ? store.meta(tab) : undefined), () => false);
    const flows = new FlowLog(kv);
    await flows.ready;
    const capture = new Capture({ store, jar: new FakeJar(), badge, settings: () => settings, flows });
    return { kv, flows, capture, h: capture.handlers() };
  }

  /** A token request: its form (answer to follow), its headers, and its answer's body — the body first or last. */
  function token(c: { capture: Capture; h: ReturnType<Capture['handlers']> }, form: Record<string, string>, status: number, answer: object, at: number, bodyFirst: boolean): void {
    const d = details('https://idp.test/token', status, at + 80, { method: 'POST', type: 'xmlhttprequest', responseHeaders: [{ name: 'Access-Control-Allow-Origin', value: 'https://app.test' }] });
    c.capture.tokenBody({ requestId: d.requestId, at: T0 + at, form: new URLSearchParams(form).toString(), answerFollows: true });
    c.h.onSendHeaders({ ...d, timeStamp: T0 + at, requestHeaders: [{ name: 'Origin', value: 'https://app.test' }] });
    if (bodyFirst) c.capture.tokenAnswer(d.requestId, JSON.stringify(answer));
    c.h.onHeadersReceived(d);
    if (!bodyFirst) c.capture.tokenAnswer(d.requestId, JSON.stringify(answer));
  }

  function signedIn(c: Parameters<typeof token>[0]): void {
    const q = new URLSearchParams({ response_type: 'code', client_id: 'spa', redirect_uri: 'https://app.test/cb', state: STATE, code_challenge: CHALLENGE, code_challenge_method: 'S256' });
    for (const [url, status, at] of [[`https://idp.test/authorize?${q}`, 302, 0], [`https://app.test/cb?code=${CODE}&state=${STATE}`, 200, 1000]] as const) {
      const d = details(url, status, at);
      c.h.onSendHeaders({ ...d, requestHeaders: [] });
      c.h.onHeadersReceived(d);
    }
    token(c, { grant_type: 'authorization_code', code: CODE, redirect_uri: 'https://app.test/cb', code_verifier: VERIFIER, client_id: 'spa' }, 200, { access_token: ACCESS_1, refresh_token: REFRESH_1, expires_in: 2, token_type: 'Bearer' }, 1200, false);
  }

  it('two refreshes racing with one refresh token, the body heard before and after the headers: refresh-token-reused, the refreshes in the sign-in’s flow', async () => {
    const c = await setup();
    signedIn(c);
    token(c, { grant_type: 'refresh_token', refresh_token: REFRESH_1, client_id: 'spa' }, 200, { access_token: ACCESS_2, refresh_token: REFRESH_2, expires_in: 2 }, 5000, true);
    token(c, { grant_type: 'refresh_token', refresh_token: REFRESH_1, client_id: 'spa' }, 400, { error: 'invalid_grant', error_description: 'grant request is invalid' }, 5010, false);
    const flows = c.flows.flows(7);
    assert.equal(flows.length, 1);
    assert.deepEqual(flows[0]!.findings.map((f) => f.cause), ['refresh-token-reused']);
    assert.deepEqual(flows[0]!.runs.map((r) => `${r.label}×${r.count}${r.broken ? ' ✗' : ''}`), ['sign-in×1', 'callback×1', 'token×1', 'refresh×2 ✗']);
  });

  it('a discovery document’s answer (a GET, no form): its issuer, compared with the ID token’s — issuer-mismatch from the capture alone', async () => {
    const c = await setup();
    const doc = details('https://idp.test/.well-known/openid-configuration', 200, 50, { type: 'xmlhttprequest' });
    c.capture.tokenBody({ requestId: doc.requestId, at: T0, answerFollows: true });
    c.h.onSendHeaders({ ...doc, timeStamp: T0, requestHeaders: [] });
    c.h.onHeadersReceived(doc);
    c.capture.tokenAnswer(doc.requestId, JSON.stringify({ issuer: 'https://idp.test', authorization_endpoint: 'https://idp.test/authorize', token_endpoint: 'https://idp.test/token' }));
    const q = new URLSearchParams({ response_type: 'code', client_id: 'spa', redirect_uri: 'https://app.test/cb', state: STATE, code_challenge: CHALLENGE, code_challenge_method: 'S256' });
    for (const [url, status, at] of [[`https://idp.test/authorize?${q}`, 302, 100], [`https://app.test/cb?code=${CODE}&state=${STATE}`, 200, 1000]] as const) {
      const d = details(url, status, at);
      c.h.onSendHeaders({ ...d, requestHeaders: [] });
      c.h.onHeadersReceived(d);
    }
    const idToken = jwt({ iss: 'https://idp-internal.test', aud: 'spa', sub: 'alice', exp: 9_999_999_999 });
    token(c, { grant_type: 'authorization_code', code: CODE, redirect_uri: 'https://app.test/cb', code_verifier: VERIFIER, client_id: 'spa' }, 200, { access_token: ACCESS_1, id_token: idToken, expires_in: 60, token_type: 'Bearer' }, 1200, false);
    const flows = c.flows.flows(7);
    assert.deepEqual(flows.flatMap((f) => f.findings.map((x) => x.cause)), ['issuer-mismatch']);
    assert.ok(!JSON.stringify(flows).includes(idToken));
  });

  it('a refused call with the token a refresh replaced: stale-token-after-refresh; calls with tokens it never saw issued, and successes, are not kept', async () => {
    const c = await setup();
    const call = (bearer: string, status: number, at: number) => {
      const d = details('https://api.test/me', status, at, { type: 'xmlhttprequest' });
      c.h.onSendHeaders({ ...d, requestHeaders: [{ name: 'Authorization', value: `Bearer ${bearer}` }] });
      c.h.onHeadersReceived(d);
    };
    call('a-token-nobody-saw-issued-0123456789', 401, 100);
    signedIn(c);
    call(ACCESS_1, 200, 1500);
    token(c, { grant_type: 'refresh_token', refresh_token: REFRESH_1, client_id: 'spa' }, 200, { access_token: ACCESS_2, refresh_token: REFRESH_2, expires_in: 2 }, 4000, false);
    call(ACCESS_1, 401, 4500);
    call('a-token-nobody-saw-issued-0123456789', 401, 4600);
    const flows = c.flows.flows(7);
    assert.deepEqual(flows.flatMap((f) => f.findings.map((x) => x.cause)), ['stale-token-after-refresh']);
    await new Promise((r) => setTimeout(r, 150));
    const stored = JSON.stringify(c.kv.data.get(FLOW_STEPS_KEY));
    for (const secret of [ACCESS_1, ACCESS_2, REFRESH_1, REFRESH_2, CODE, VERIFIER]) assert.ok(!stored.includes(secret) && !JSON.stringify(flows).includes(secret), 'no token in storage or the views');
    assert.equal((c.kv.data.get(FLOW_STEPS_KEY) as Record<string, { kind: string }[]>)['7']!.filter((x) => x.kind === 'api-call').length, 1, 'only the refused call with an issued token');
  });

  it('a storm: 200 refused calls with one token, then 200 refreshes in flight with one refresh token — every refresh kept and linked, the flood of calls one step; reused and the storm named', async () => {
    const c = await setup();
    signedIn(c);
    for (let i = 0; i < 200; i++) {
      const d = details(`https://api.test/me?widget=${i}`, 401, 4000 + i, { type: 'xmlhttprequest' });
      c.h.onSendHeaders({ ...d, requestHeaders: [{ name: 'Authorization', value: `Bearer ${ACCESS_1}` }] });
      c.h.onHeadersReceived(d);
    }
    // Every refresh's form is heard before any answer comes.
    const refreshes = Array.from({ length: 200 }, (_, i) => {
      const d = details('https://idp.test/token', i === 0 ? 200 : 400, 4500 + i, { method: 'POST', type: 'xmlhttprequest', responseHeaders: [{ name: 'Access-Control-Allow-Origin', value: 'https://app.test' }] });
      c.capture.tokenBody({ requestId: d.requestId, at: T0 + 4100 + i, form: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: REFRESH_1, client_id: 'spa' }).toString(), answerFollows: true });
      c.h.onSendHeaders({ ...d, timeStamp: T0 + 4100 + i, requestHeaders: [{ name: 'Origin', value: 'https://app.test' }] });
      return d;
    });
    for (const [i, d] of refreshes.entries()) {
      c.h.onHeadersReceived(d);
      c.capture.tokenAnswer(d.requestId, JSON.stringify(i === 0 ? { access_token: ACCESS_2, refresh_token: REFRESH_2, expires_in: 2 } : { error: 'invalid_grant', error_description: 'grant request is invalid' }));
    }
    const flows = c.flows.flows(7);
    assert.equal(flows.length, 1);
    assert.deepEqual(flows[0]!.findings.map((f) => f.cause).sort(), ['refresh-loop', 'refresh-token-reused']);
    assert.deepEqual(flows[0]!.runs.map((r) => `${r.label}×${r.count}`), ['sign-in×1', 'callback×1', 'token×1', 'API refused×1', 'refresh×200']);
  });

  it('an answer that could not be read (too large, failed) still gives the step, without what it issued', async () => {
    const c = await setup();
    const d = details('https://idp.test/token', 400, 1000, { method: 'POST', type: 'xmlhttprequest' });
    c.capture.tokenBody({ requestId: d.requestId, at: T0 + 900, form: 'grant_type=refresh_token&refresh_token=abc', answerFollows: true });
    c.h.onHeadersReceived(d);
    assert.deepEqual(c.flows.flows(7), [], 'waits for the body');
    c.capture.tokenAnswer(d.requestId, undefined);
    assert.deepEqual(c.flows.flows(7)[0]?.runs.map((r) => r.label), ['refresh']);
  });
});
