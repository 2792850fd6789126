/**
 * The capture's sign-in flows (background/flows.ts), from webRequest details as the browsers give
 * them: an authorize navigation, its callback, a token request whose form body the requestBody
 * listener heard. Kept per tab, across a stopped worker (storage.session), gone on Clear and tab
 * close; nothing secret kept; other requests cost one URL test.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FLOW_STEPS_KEY, FlowLog } from '../../src/background/flows.ts';
import type { RequestDetails } from '../../src/platform/index.ts';
import { FakeKV } from '../helpers/fakes.ts';

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
  log.observe(details('https://idp.test/token', 400, 1200, { tabId, method: 'POST', type: 'xmlhttprequest', requestHeaders: [{ name: 'Origin', value: 'https://app.test' }], responseHeaders: [{ name: 'Access-Control-Allow-Origin', value: 'https://app.test' }] }), [{ name: 'Origin', value: 'https://app.test' }], form);
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
