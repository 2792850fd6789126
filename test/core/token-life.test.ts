/**
 * The token's life after sign-in (core/flows/token-life.ts): lineage by fingerprint from the
 * answer that issued a token to the refresh that used it and the API call that carried it, and
 * the causes only that lineage shows. Each log is written as a real single-page app's traffic
 * (times to the millisecond, the provider's JSON answers, Bearer calls).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Flow } from '../../src/core/flows/flow.ts';
import { FlowRecorder } from '../../src/core/flows/record.ts';
import type { HarEntry } from '../../src/core/exchange/har-types.ts';
import { readHar } from '../../src/core/exchange/har-read.ts';
import { redactEntry } from '../../src/core/redaction/redact.ts';
import { sinceWithLane, storyWithSignIns } from '../../src/core/views/detail.ts';
import { laneOf, signInEvents, tokenLane } from '../../src/core/flows/lane.ts';
import { carriedToken } from '../../src/core/flows/step.ts';
import { flowViews } from '../../src/core/flows/view.ts';
import { entry, jwt, sec } from '../helpers/har.ts';

const IDP = 'https://idp.example.com';
const APP = 'https://app.example.com';
const API = 'https://api.example.com/v1/me';
const T0 = Date.parse('2026-12-06T10:00:00.000Z');
const t = (ms: number) => new Date(T0 + ms).toISOString();

const AT1 = 'at1-9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const AT2 = 'at2-0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const AT3 = 'at3-77aa66bb55cc44dd33ee22ff1100ffee';
const RT1 = 'rt1-5b4a39281706f5e4d3c2b1a09f8e7d6c';
const RT2 = 'rt2-d4e5f60718293a4b5c6d7e8f90a1b2c3';
const RT3 = 'rt3-ee22ff1100ffee77aa66bb55cc44dd33';

function authorize(ms: number, opts: { scope?: string; prompt?: string; state?: string; cookie?: string } = {}): HarEntry {
  const q = new URLSearchParams({ response_type: 'code', client_id: 'spa', redirect_uri: `${APP}/callback`, scope: opts.scope ?? 'openid profile offline_access', state: opts.state ?? 'st-1', ...(opts.prompt ? { prompt: opts.prompt } : {}) });
  return entry({ url: `${IDP}/authorize?${q}`, status: 302, at: t(ms), resourceType: 'document', req: opts.cookie ? { Cookie: opts.cookie } : {} });
}
function callback(ms: number, opts: { state?: string; error?: string; code?: string } = {}): HarEntry {
  const q = new URLSearchParams({ ...(opts.error ? { error: opts.error } : { code: opts.code ?? 'code-1' }), state: opts.state ?? 'st-1' });
  return entry({ url: `${APP}/callback?${q}`, status: 200, at: t(ms), resourceType: 'document' });
}
/** The code redeemed: the answer issues AT1 (and RT1 unless `refresh: false`). */
function redeem(ms: number, opts: { refresh?: boolean; expiresIn?: number } = {}): HarEntry {
  const answer = { access_token: AT1, token_type: 'Bearer', expires_in: opts.expiresIn ?? 300, ...(opts.refresh === false ? {} : { refresh_token: RT1 }) };
  return entry({ method: 'POST', url: `${IDP}/token`, status: 200, at: t(ms), form: { grant_type: 'authorization_code', client_id: 'spa', code: 'code-1', redirect_uri: `${APP}/callback` }, body: JSON.stringify(answer) });
}
/** A refresh sending `rt`; answered with new tokens, or invalid_grant. `took` is the exchange's time. */
function refresh(ms: number, rt: string, answer: { access?: string; refresh?: string } | 'invalid_grant', took = 40, description?: string): HarEntry {
  const body = answer === 'invalid_grant' ? { error: 'invalid_grant', ...(description ? { error_description: description } : {}) } : { access_token: answer.access, token_type: 'Bearer', expires_in: 300, ...(answer.refresh ? { refresh_token: answer.refresh } : {}) };
  const e = entry({ method: 'POST', url: `${IDP}/token`, status: answer === 'invalid_grant' ? 400 : 200, at: t(ms), form: { grant_type: 'refresh_token', client_id: 'spa', refresh_token: rt }, body: JSON.stringify(body) });
  e.time = took;
  return e;
}
function call(ms: number, token: string, status = 401): HarEntry {
  return entry({ url: API, status, at: t(ms), req: { Authorization: `Bearer ${token}` }, res: status === 401 ? { 'WWW-Authenticate': 'Bearer error="invalid_token"' } : {} });
}
/** An answer of the provider's own pages that sets its session cookie (the interactive sign-in). */
function providerSetsSession(ms: number): HarEntry {
  return entry({ url: `${IDP}/login/resume`, status: 303, at: t(ms), res: { 'Set-Cookie': ['_session=s3ss10n-v4lu3; Path=/; HttpOnly; Secure; SameSite=Lax'] } });
}

function flowsOf(entries: HarEntry[]): Flow[] {
  const r = new FlowRecorder();
  entries.forEach((e, i) => r.observe(e, i));
  return r.flows();
}
const causes = (flows: Flow[]) => flows.flatMap((f) => f.findings.map((x) => x.cause));
const signIn = (opts: { refresh?: boolean; scope?: string; expiresIn?: number } = {}) => [authorize(0, { scope: opts.scope }), callback(1000), redeem(1200, opts)];

describe('token life: lineage', () => {
  it('a healthy app that refreshes on schedule, with rotation, and calls the API with each new token: one flow, no finding', () => {
    const log = [...signIn(), call(2000, AT1, 200), refresh(240_000, RT1, { access: AT2, refresh: RT2 }), call(241_000, AT2, 200), refresh(480_000, RT2, { access: AT3, refresh: RT3 }), call(481_000, AT3, 200), call(482_000, AT3)];
    const flows = flowsOf(log);
    assert.equal(flows.length, 1, 'the refreshes belong to the sign-in that issued their refresh token');
    assert.deepEqual(flows[0]!.steps.map((s) => s.kind), ['authorize', 'callback', 'token', 'token', 'token', 'api-call']);
    assert.deepEqual(causes(flows), [], 'a 401 with the current, unexpired token is not a token-life problem');
  });

  it('a refresh whose refresh token no answer in the log issued begins a flow of its own (the capture began later)', () => {
    const flows = flowsOf([refresh(0, RT1, { access: AT2, refresh: RT2 }), refresh(240_000, RT2, { access: AT3, refresh: RT3 })]);
    assert.equal(flows.length, 1);
    assert.equal(flows[0]!.steps.length, 2);
    assert.deepEqual(causes(flows), []);
  });

  it('keeps no token: findings and steps carry fingerprints and masked URLs only', () => {
    const log = [...signIn(), refresh(240_000, RT1, { access: AT2, refresh: RT2 }), refresh(240_010, RT1, 'invalid_grant'), call(250_000, AT1)];
    const text = JSON.stringify(flowsOf(log));
    for (const secret of [AT1, AT2, RT1, RT2]) assert.ok(!text.includes(secret), `${secret.slice(0, 3)} kept`);
  });
});

describe('token life: refresh-token-reused', () => {
  it('two refreshes in flight with one refresh token: the provider rotated it for the first and refused the second', () => {
    const flows = flowsOf([...signIn(), refresh(240_000, RT1, { access: AT2, refresh: RT2 }, 80), refresh(240_020, RT1, 'invalid_grant', 30, 'grant request is invalid')]);
    assert.deepEqual(causes(flows), ['refresh-token-reused']);
    const f = flows[0]!.findings[0]!;
    assert.equal(f.entry, 4);
    assert.match(f.title, /raced/);
    assert.match(f.explanation, /started 20 ms after it, before its answer came/);
    assert.match(f.explanation, /"grant request is invalid"/);
  });

  it('a race the provider served out of order (the later refresh first): the refused one is reused, not expired', () => {
    const flows = flowsOf([...signIn(), refresh(240_000, RT1, 'invalid_grant', 90), refresh(240_015, RT1, { access: AT2, refresh: RT2 }, 40)]);
    assert.deepEqual(causes(flows), ['refresh-token-reused']);
    assert.match(flows[0]!.findings[0]!.explanation, /in flight at once \(it started 15 ms before it, and the provider served the other first\)/);
  });

  it('a storm: 200 refreshes with one refresh token, one served: one refresh-token-reused with the count, and the storm', () => {
    const log = Array.from({ length: 200 }, (_, i) => (i === 37 ? refresh(240_000 + i * 2, RT1, { access: AT2, refresh: RT2 }, 300) : refresh(240_000 + i * 2, RT1, 'invalid_grant', 300, 'grant request is invalid')));
    const flows = flowsOf([...signIn(), ...log]);
    assert.deepEqual(causes(flows).sort(), ['refresh-loop', 'refresh-token-reused'], 'the other refused refreshes are part of the reuse: no provider-error of their own');
    const reused = flows[0]!.findings.find((f) => f.cause === 'refresh-token-reused')!;
    assert.match(reused.explanation, /\(and 198 more refreshes like it\)/);
    const storm = flows[0]!.findings.find((f) => f.cause === 'refresh-loop')!;
    assert.equal(storm.title, 'A refresh storm: 200 refreshes in 398 ms');
    assert.match(storm.explanation, /every one sending the same refresh token \(up to 150 in flight at once\); 199 of them were refused/);
  });

  it('after a reuse, the newer refresh token refused too (reuse detection revoked the family): part of the reuse, not an expiry', () => {
    const log = [...signIn(), refresh(240_000, RT1, { access: AT2, refresh: RT2 }, 40), refresh(240_010, RT1, 'invalid_grant', 40), refresh(270_000, RT2, 'invalid_grant', 40)];
    const flows = flowsOf(log);
    assert.deepEqual(causes(flows), ['refresh-token-reused']);
    assert.match(flows[0]!.findings[0]!.explanation, /After it, 1 refresh with the newer refresh token was refused as well: the provider revoked the whole family/);
  });

  it('a storm the provider served three times (its rotation raced too), each retry refused with its new token: one storm, not a loop besides', () => {
    // Refreshes keep starting as 401s trickle in; three of them are served, and each one's retry is refused.
    const log: HarEntry[] = [];
    for (let i = 0; i < 30; i++) {
      const at = 240_000 + i * 50;
      const k = [0, 12, 24].indexOf(i);
      log.push(k >= 0 ? refresh(at, RT1, { access: [AT2, AT3, AT1][k]!, refresh: [RT2, RT3, RT1][k]! }, 100) : refresh(at, RT1, 'invalid_grant', 100));
      if (k >= 0) log.push(call(at + 300, [AT2, AT3, AT1][k]!));
    }
    const flows = flowsOf([...signIn(), ...log]);
    assert.deepEqual(flows[0]!.findings.filter((f) => f.cause === 'refresh-loop').map((f) => f.title), ['A refresh storm: 30 refreshes in 1 second']);
  });

  it('a storm whose app updated its refresh token mid-storm (the one refresh served): one storm of the family, not two', () => {
    const log = Array.from({ length: 12 }, (_, i) => (i === 0 ? refresh(240_000, RT1, { access: AT2, refresh: RT2 }, 30) : refresh(240_000 + i * 10, i < 8 ? RT1 : RT2, 'invalid_grant', 300)));
    const flows = flowsOf([...signIn(), ...log]);
    const storms = flows[0]!.findings.filter((f) => f.cause === 'refresh-loop');
    assert.equal(storms.length, 1);
    assert.match(storms[0]!.explanation, /sending 2 refresh tokens between them/);
  });

  it('a storm in waves (six at a time per host): refreshes with one refresh token, not all in flight at once, are still one storm', () => {
    // Each wave of 401s starts six refreshes; each wave answers before the next starts.
    const waves = Array.from({ length: 30 }, (_, i) => refresh(240_000 + Math.floor(i / 6) * 200 + (i % 6), RT1, i === 0 ? { access: AT2, refresh: RT2 } : 'invalid_grant', 50));
    const flows = flowsOf([...signIn(), ...waves]);
    assert.match(flows[0]!.findings.find((f) => f.cause === 'refresh-loop')?.title ?? '', /^A refresh storm: 30 refreshes in /);
  });

  it('not a storm: a short schedule with a provider that does not rotate (one refresh token, each refresh after the last answered, all served)', () => {
    const schedule = [0, 2_000, 4_000, 6_000].map((ms, i) => refresh(240_000 + ms, RT1, { access: [AT2, AT3, AT1, AT2][i]! }, 40));
    assert.deepEqual(causes(flowsOf([...signIn(), ...schedule])), []);
  });

  it('a stale copy sent after the rotation (another tab): reused, not raced', () => {
    const flows = flowsOf([...signIn(), refresh(240_000, RT1, { access: AT2, refresh: RT2 }), refresh(300_000, RT1, 'invalid_grant')]);
    assert.deepEqual(causes(flows), ['refresh-token-reused']);
    assert.match(flows[0]!.findings[0]!.title, /already rotated/);
  });

  it('ten parallel refreshes: one finding with the count, and the storm', () => {
    const log = [...signIn(), refresh(240_000, RT1, { access: AT2, refresh: RT2 }, 200), ...Array.from({ length: 9 }, (_, i) => refresh(240_005 + i * 5, RT1, 'invalid_grant', 20))];
    const flows = flowsOf(log);
    assert.deepEqual(causes(flows).sort(), ['refresh-loop', 'refresh-token-reused']);
    assert.match(flows[0]!.findings.find((x) => x.cause === 'refresh-token-reused')!.title, /refused 9 of them/);
    assert.match(flows[0]!.findings.find((x) => x.cause === 'refresh-loop')!.title, /storm: 10 refreshes/);
  });

  it('without rotation the same refresh token is sent again by design: not reused (a later refusal is the token expiring)', () => {
    const flows = flowsOf([...signIn(), refresh(240_000, RT1, { access: AT2 }), refresh(480_000, RT1, { access: AT3 }), refresh(720_000, RT1, 'invalid_grant')]);
    assert.deepEqual(causes(flows), ['refresh-token-expired']);
    assert.match(flows[0]!.findings[0]!.explanation, /it worked 2 times before, without rotation/);
  });
});

describe('token life: refresh-token-expired', () => {
  it('a JWT refresh token past its exp: high, with the time', () => {
    const rt = jwt({ typ: 'Refresh', exp: sec(t(60_000)) });
    const flows = flowsOf([refresh(120_000, rt, 'invalid_grant', 30, 'Token is not active')]);
    assert.deepEqual(causes(flows), ['refresh-token-expired']);
    const f = flows[0]!.findings[0]!;
    assert.equal(f.confidence, 'high');
    assert.match(f.title, /had expired/);
    assert.match(f.explanation, /exp was 2026-12-06T10:01:00.000Z, 1 minute before the refresh/);
  });

  it('the provider says revoked: high; an opaque token refused with no more said: medium', () => {
    assert.equal(flowsOf([refresh(0, RT1, 'invalid_grant', 30, 'Refresh token revoked')])[0]!.findings[0]!.confidence, 'high');
    const plain = flowsOf([refresh(0, RT1, 'invalid_grant')])[0]!.findings[0]!;
    assert.equal(plain.confidence, 'medium');
    assert.match(plain.explanation, /expired .* or it was revoked/);
  });

  it('a refusal other than invalid_grant (a client error) is not about the refresh token', () => {
    const e = refresh(0, RT1, 'invalid_grant');
    e.response.content.text = JSON.stringify({ error: 'invalid_client' });
    assert.deepEqual(causes(flowsOf([e])), []);
  });
});

describe('token life: refresh-loop', () => {
  it('401 → refresh → 401 with the new token, three times: a loop, on the last refresh, with its period', () => {
    const log = [...signIn(), call(2000, AT1), refresh(2100, RT1, { access: AT2, refresh: RT2 }), call(2200, AT2), refresh(2300, RT2, { access: AT3, refresh: RT3 }), call(2400, AT3), refresh(2500, RT3, { access: 'at4-0000000000000000000000000000', refresh: 'rt4-000000000000000000000000000' }), call(2600, 'at4-0000000000000000000000000000')];
    const flows = flowsOf(log);
    assert.deepEqual(causes(flows), ['refresh-loop']);
    const f = flows[0]!.findings[0]!;
    assert.match(f.title, /3 times a refresh, then a 401 with the new token/);
    assert.equal(f.entry, 8);
  });

  it('not a loop: two cycles; or refreshes minutes apart, each new token working', () => {
    assert.deepEqual(causes(flowsOf([...signIn(), call(2000, AT1), refresh(2100, RT1, { access: AT2, refresh: RT2 }), call(2200, AT2), refresh(2300, RT2, { access: AT3, refresh: RT3 }), call(2400, AT3)])), []);
    assert.deepEqual(causes(flowsOf([...signIn(), refresh(240_000, RT1, { access: AT2, refresh: RT2 }), call(260_000, AT2), refresh(480_000, RT2, { access: AT3, refresh: RT3 }), call(500_000, AT3)])), []);
  });

  it('refreshes one after another (each after the last answered) are no storm', () => {
    assert.deepEqual(causes(flowsOf([...signIn(), refresh(240_000, RT1, { access: AT2, refresh: RT2 }, 40), refresh(240_050, RT2, { access: AT3, refresh: RT3 }, 40), refresh(240_100, RT3, { access: AT1 }, 40)])), []);
  });
});

describe('token life: stale-token-after-refresh and refresh-token-missing', () => {
  it('a call with the token a completed refresh replaced', () => {
    const flows = flowsOf([...signIn(), refresh(240_000, RT1, { access: AT2, refresh: RT2 }), call(241_000, AT2, 200), call(245_000, AT1), call(246_000, AT1)]);
    assert.deepEqual(causes(flows), ['stale-token-after-refresh'], 'one finding for the flow');
    const f = flows[0]!.findings[0]!;
    assert.equal(f.entry, 5);
    assert.match(f.explanation, /its answer came 5 seconds before this request/);
  });

  it('a call sent while the refresh was still in flight carried the only token there was: not stale', () => {
    assert.deepEqual(causes(flowsOf([...signIn(), refresh(240_000, RT1, { access: AT2, refresh: RT2 }, 500), call(240_100, AT1)])), []);
  });

  it('an expired access token and no refresh token issued: missing, high when offline_access was not asked', () => {
    const flows = flowsOf([...signIn({ refresh: false, scope: 'openid profile', expiresIn: 60 }), call(30_000, AT1, 200), call(120_000, AT1), call(121_000, AT1)]);
    assert.deepEqual(causes(flows), ['refresh-token-missing']);
    const f = flows[0]!.findings[0]!;
    assert.equal(f.confidence, 'high');
    assert.match(f.explanation, /scope "openid profile", without offline_access/);
    assert.match(f.explanation, /expired at 2026-12-06T10:01:01.210Z/);
  });

  it('not missing: the token had not expired yet; or a refresh token was issued', () => {
    assert.deepEqual(causes(flowsOf([...signIn({ refresh: false, expiresIn: 3600 }), call(120_000, AT1)])), []);
    assert.deepEqual(causes(flowsOf([...signIn({ expiresIn: 60 }), call(120_000, AT1)])), []);
  });
});

describe('token life: silent-renew-blocked', () => {
  const interactive = () => [authorize(0), providerSetsSession(500), callback(1000), redeem(1200)];
  it('prompt=none answered login_required, and the provider’s session cookie was held but not sent', () => {
    const flows = flowsOf([...interactive(), authorize(600_000, { prompt: 'none', state: 'st-2' }), callback(600_100, { state: 'st-2', error: 'login_required' })]);
    assert.deepEqual(causes(flows), ['silent-renew-blocked']);
    const f = flows[1]!.findings[0]!;
    assert.equal(f.entry, 5);
    assert.match(f.explanation, /held the cookie _session; this request carried none of them/);
    assert.ok(!JSON.stringify(flows).includes('s3ss10n-v4lu3'), 'names only, never a value');
  });

  it('known from an earlier sign-in that carried the cookie, too', () => {
    const flows = flowsOf([authorize(0, { cookie: '_session=abc' }), callback(1000), redeem(1200), authorize(600_000, { prompt: 'none', state: 'st-2' }), callback(600_100, { state: 'st-2', error: 'interaction_required' })]);
    assert.deepEqual(causes(flows), ['silent-renew-blocked']);
  });

  it('no finding: the renew carried the cookie (the provider’s session really ended); or no provider cookie is in the log', () => {
    assert.deepEqual(causes(flowsOf([...interactive(), authorize(600_000, { prompt: 'none', state: 'st-2', cookie: '_session=abc' }), callback(600_100, { state: 'st-2', error: 'login_required' })])), []);
    assert.deepEqual(causes(flowsOf([authorize(600_000, { prompt: 'none', state: 'st-2' }), callback(600_100, { state: 'st-2', error: 'login_required' })])), []);
  });
});

describe('token life: a masked log', () => {
  it('why401 redact keeps equal tokens as equal tagged masks: the lineage and its findings survive, no token is left', () => {
    const log = [...signIn(), refresh(240_000, RT1, { access: AT2, refresh: RT2 }, 80), refresh(240_020, RT1, 'invalid_grant'), call(250_000, AT1)];
    const masked = log.map((e) => redactEntry(e));
    const text = JSON.stringify(masked);
    for (const secret of [AT1, AT2, RT1, RT2]) assert.ok(!text.includes(secret), 'masked');
    const read = readHar(JSON.stringify({ log: { version: '1.2', creator: { name: 't', version: '1' }, entries: masked } })).entries.map((x) => x.entry);
    assert.deepEqual(causes(flowsOf(read)).sort(), causes(flowsOf(log)).sort());
    assert.deepEqual(causes(flowsOf(log)).sort(), ['refresh-token-reused', 'stale-token-after-refresh']);
  });
});

describe('the provider’s answers: token-endpoint-cors and provider-error', () => {
  it('a token answer without Access-Control-Allow-Origin for the page’s Origin: token-endpoint-cors, saying the script got a network error', () => {
    const e = redeem(1200);
    e.request.headers.push({ name: 'Origin', value: APP });
    const flows = flowsOf([authorize(0), callback(1000), e]);
    assert.deepEqual(causes(flows), ['token-endpoint-cors']);
    assert.match(flows[0]!.findings[0]!.explanation, /no Access-Control-Allow-Origin header, so the page's script got a network error/);
    // Allowed for that origin: no finding; no Origin (a server's request): not judged.
    const allowed = redeem(1200);
    allowed.request.headers.push({ name: 'Origin', value: APP });
    allowed.response.headers.push({ name: 'Access-Control-Allow-Origin', value: APP });
    assert.deepEqual(causes(flowsOf([authorize(0), callback(1000), allowed])), []);
    assert.deepEqual(causes(flowsOf([authorize(0), callback(1000), redeem(1200)])), []);
  });

  it('a provider’s documented error decoded where no other check explains the step; a refresh refusal in its words is high', () => {
    const cb = callback(1000, { error: 'invalid_request' });
    cb.request.url += `&error_description=${encodeURIComponent('AADSTS50011: The redirect URI specified in the request does not match the redirect URIs configured for the application.')}`;
    const flows = flowsOf([authorize(0), cb]);
    assert.deepEqual(causes(flows), ['provider-error']);
    const f = flows[0]!.findings[0]!;
    assert.equal(f.title, 'Microsoft Entra ID: AADSTS50011');
    assert.match(f.fixes.developers[0]!, /Single-page application/);
    const kc = flowsOf([refresh(0, RT1, 'invalid_grant', 30, 'Token is not active')])[0]!.findings[0]!;
    assert.equal(kc.cause, 'refresh-token-expired');
    assert.equal(kc.confidence, 'high');
    assert.match(kc.explanation, /Keycloak: the refresh token expired: the realm's SSO Session Idle/);
    assert.deepEqual(causes(flowsOf([authorize(0), callback(1000, { error: 'server_error' })])), [], 'an error the catalogue does not know is not decoded');
  });
});

describe('token-endpoint-cors as browsers record a CORS failure', () => {
  it('a token request from the app’s page to the provider with no answer (status 0, as Chrome and Playwright write it): medium, naming the usual reason and the other', () => {
    const failed = redeem(1200);
    failed.response.status = -1;
    failed.response.content = { size: 0, mimeType: '' };
    failed.response.headers = [];
    const flows = flowsOf([authorize(0), callback(1000), failed]);
    assert.deepEqual(causes(flows), ['token-endpoint-cors']);
    const f = flows[0]!.findings[0]!;
    assert.equal(f.confidence, 'medium');
    assert.match(f.explanation, /blocked by CORS policy.*down or unreachable/);
    // No callback in the log: the page's origin is unknown, nothing is said.
    assert.deepEqual(causes(flowsOf([failed])), []);
  });
});

describe('the provider catalogue: the providers the issue names', () => {
  it('Entra, Keycloak, Auth0, Okta, Google, Cognito and Ory Hydra each decode one of their own answers', async () => {
    const { providerErrorMeaning } = await import('../../src/core/flows/provider-errors.ts');
    const cases: [string, string, string][] = [
      ['invalid_grant', "AADSTS9002326: Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type.", 'Microsoft Entra ID'],
      ['invalid_grant', 'Code not valid', 'Keycloak'],
      ['invalid_grant', 'Unknown or invalid refresh token.', 'Auth0'],
      ['invalid_grant', 'The refresh token is invalid or expired.', 'Okta'],
      ['invalid_grant', 'Token has been expired or revoked.', 'Google'],
      ['NotAuthorizedException', 'Refresh Token has expired', 'Amazon Cognito'],
      ['invalid_request', "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed. The 'redirect_uri' parameter does not match any of the OAuth 2.0 Client's pre-registered redirect urls.", 'Ory Hydra'],
      ['invalid_grant', 'The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.', 'Ory Hydra'],
    ];
    for (const [error, description, provider] of cases) assert.equal(providerErrorMeaning(error, description)?.provider, provider, description);
    assert.equal(providerErrorMeaning('invalid_grant', 'something else entirely'), undefined);
  });
});

describe('what a flow writes is masked and read with the project’s own parsers', () => {
  const GHP = `ghp_${'Z'.repeat(8)}hostile0123456789abcdef`;
  it('a server header quoted in a finding (Access-Control-Allow-Origin carrying a token) and a scope with a secret are masked', () => {
    const e = redeem(1200, { refresh: false, expiresIn: 60 });
    e.request.headers.push({ name: 'Origin', value: APP });
    e.response.headers.push({ name: 'Access-Control-Allow-Origin', value: GHP });
    const flows = flowsOf([authorize(0, { scope: `openid sk_live_${'Q'.repeat(8)}scopesecret99 profile` }), callback(1000), e, call(120_000, AT1)]);
    assert.deepEqual(causes(flows).sort(), ['refresh-token-missing', 'token-endpoint-cors']);
    const text = JSON.stringify(flows);
    assert.ok(!text.includes(GHP), 'the header’s token is masked');
    assert.ok(!text.includes('scopesecret99'), 'the scope’s secret is masked');
    assert.match(text, /Access-Control-Allow-Origin names/);
  });

  it('a provider cookie that was deleted (Max-Age=0) or a browser refuses is not held', () => {
    const deleted = entry({ url: `${IDP}/logout/resume`, status: 303, at: t(500), res: { 'Set-Cookie': ['_session=; Path=/; Max-Age=0'] } });
    assert.deepEqual(causes(flowsOf([authorize(0), deleted, callback(1000), redeem(1200), authorize(600_000, { prompt: 'none', state: 'st-2' }), callback(600_100, { state: 'st-2', error: 'login_required' })])), []);
  });

  it('an Authorization the credentials parser finds malformed is no token of the lineage', () => {
    const quoted = call(2000, AT1);
    quoted.request.headers = [{ name: 'Authorization', value: `Bearer "${AT1}"` }];
    assert.deepEqual(flowsOf([...signIn(), quoted])[0]!.steps.map((s) => s.kind), ['authorize', 'callback', 'token']);
  });
});

describe('the token’s lane under a failure (core/flows/lane.ts)', () => {
  /** The lane of the failure at log index `i`, read as the panel reads it: from the flows' views. */
  function laneAt(log: HarEntry[], i: number, context?: { used?: number; lastWorked?: number }) {
    const views = flowViews(flowsOf(log));
    const e = log[i]!;
    if (context) {
      e._why401 = {
        ...e._why401,
        context: {
          cookieEvents: [],
          sentCookies: [],
          ...(context.used !== undefined ? { sameCredentials: { at: T0 + context.used, url: API, status: 200, scheme: 'bearer' } } : {}),
          ...(context.lastWorked !== undefined ? { lastSuccess: { at: T0 + context.lastWorked, method: 'GET', url: API, status: 200, headers: [], cookies: [] } as never } : {}),
        },
      };
    }
    return laneOf(views, e, Date.parse(e.startedDateTime));
  }
  const shorts = (lane: ReturnType<typeof laneAt>) => lane?.events.map((e) => e.short);

  it('a stale token: the sign-in that issued it, where it worked, the refresh that replaced it — and "what changed" names that refresh', () => {
    const log = [...signIn(), call(2000, AT1, 200), refresh(240_000, RT1, { access: AT2, refresh: RT2 }), call(241_000, AT2, 200), call(245_000, AT1)];
    const lane = laneAt(log, 6, { used: 2000, lastWorked: 2000 })!;
    assert.deepEqual(shorts(lane), ['signed in', '200 worked', 'replaced it', '401 this request']);
    assert.deepEqual(lane.events.map((e) => e.mark), ['this-token', undefined, 'replaced-it', 'this-token']);
    assert.equal(lane.flow, 1);
    assert.deepEqual(lane.findings.map((f) => f.cause), ['stale-token-after-refresh'], 'the flow’s finding about this very request travels with the lane');
    assert.match(lane.summary, /the sign-in at 2026-12-06T10:00:01\.200Z issued; the refresh at 2026-12-06T10:04:00Z had replaced it 4\.96 seconds|had replaced it 5 seconds before this request/);
    assert.match(lane.since!, /^Since then, the refresh at 2026-12-06T10:04:00Z \(POST https:\/\/idp\.example\.com\/token → 200\) issued a new access token; this request still carried the one it replaced\.$/);
    assert.match(lane.unchangedText!, /same token as when it worked, but the refresh at .* had replaced that token/);
    assert.equal(lane.events[2]!.time, '5 seconds before the failure');
    // "What changed since it last worked" takes the lane's sentence; "nothing changed" is said right.
    const since = sinceWithLane({ intro: 'This request last worked', request: 'GET /v1/me → 200', when: '4 minutes before', rows: [], unchangedText: 'Nothing Why 401 compares changed…' }, lane);
    assert.equal(since.refresh, lane.since);
    assert.equal(since.unchangedText, lane.unchangedText);
  });

  it('the token a refresh issued, refused: the refresh named as where it came from, and as what changed', () => {
    const log = [...signIn(), call(2000, AT1, 200), refresh(240_000, RT1, { access: AT2, refresh: RT2 }), call(241_000, AT2)];
    const lane = laneAt(log, 5, { lastWorked: 2000 })!;
    assert.deepEqual(shorts(lane), ['signed in', 'issued it', '401 this request']);
    assert.match(lane.since!, /the refresh at 2026-12-06T10:04:00Z .* issued the access token this request carried — and the API refused it/);
    assert.equal(lane.unchangedText, undefined);
  });

  it('a storm of 200 is one event after the failure, not 200; the refused calls around it are counted', () => {
    const log: HarEntry[] = [...signIn({ expiresIn: 2 })];
    for (let i = 0; i < 200; i++) log.push(call(4000 + i, AT1));
    for (let i = 0; i < 200; i++) log.push(refresh(4300 + i * 2, RT1, i === 0 ? { access: AT2, refresh: RT2 } : 'invalid_grant', 200));
    const lane = laneAt(log, 3)!;
    const storms = lane.events.filter((e) => e.kind === 'storm');
    assert.equal(storms.length, 1);
    assert.equal(storms[0]!.short, 'storm ×200');
    assert.ok(storms[0]!.after, 'what the app did about the failure');
    assert.match(storms[0]!.text, /200 refreshes between .*, 199 of them refused/);
    assert.deepEqual(shorts(lane), ['signed in', '401 this request', '401 ×199', 'storm ×200']);
    assert.ok(lane.events.length <= 14);
    assert.deepEqual(lane.findings.map((f) => f.cause).sort(), ['refresh-loop', 'refresh-token-reused']);
  });

  it('a finding about steps long before (an hour earlier) is not this failure’s: the lane shows what is near it', () => {
    const HOUR = 3_600_000;
    const log = [...signIn(), refresh(240_000, RT1, { access: AT2, refresh: RT2 }), call(245_000, AT1)];
    // An hour later, more refreshes on schedule, and a 401 with the current token.
    let rt = RT2;
    for (let i = 1; i <= 12; i++) {
      const next = `rt-next-${String(i).padStart(28, '0')}`;
      log.push(refresh(HOUR + i * 240_000, rt, { access: `at-next-${String(i).padStart(28, '0')}`, refresh: next }));
      rt = next;
    }
    log.push(call(HOUR + 12 * 240_000 + 1000, `at-next-${String(12).padStart(28, '0')}`));
    const lane = laneAt(log, log.length - 1)!;
    assert.deepEqual(lane.findings, []);
    assert.equal(lane.events.filter((e) => !e.after).length, 9, 'the last 8 before the failure, and the failure');
    assert.deepEqual(shorts(lane)!.slice(-2), ['issued it', '401 this request']);
  });

  it('a loop is one event with its rounds; a race is one event', () => {
    const AT4 = 'at4-0000000000000000000000000000';
    const loop = [...signIn(), call(2000, AT1), refresh(2100, RT1, { access: AT2, refresh: RT2 }), call(2200, AT2), refresh(2300, RT2, { access: AT3, refresh: RT3 }), call(2400, AT3), refresh(2500, RT3, { access: AT4, refresh: 'rt4-000000000000000000000000000' }), call(2600, AT4)];
    const lane = laneAt(loop, 3)!;
    assert.deepEqual(shorts(lane), ['signed in', '401 this request', 'loop ×3']);
    assert.deepEqual(lane.findings.map((f) => f.cause), ['refresh-loop']);
    const race = [...signIn(), call(239_000, AT1), refresh(240_000, RT1, { access: AT2, refresh: RT2 }, 80), refresh(240_010, RT1, 'invalid_grant', 80)];
    assert.deepEqual(shorts(laneAt(race, 3)), ['signed in', '401 this request', 'race ×2']);
  });

  it('no lane for a failure whose token no flow issued or saw refused, nor one without a bearer token', () => {
    const log = [...signIn(), call(2000, 'other-7777777777777777777777777777')];
    assert.equal(laneAt(log, 3), undefined);
    const basic = entry({ url: API, status: 401, at: t(3000), req: { Authorization: 'Basic dXNlcjpwYXNz' } });
    assert.equal(laneAt([...signIn(), basic], 3), undefined);
  });

  it('a masked file draws the same lane (tokens by tag), and no lane text holds a token', () => {
    const log = [...signIn(), call(2000, AT1, 200), refresh(240_000, RT1, { access: AT2, refresh: RT2 }), call(245_000, AT1)];
    const masked = readHar(JSON.stringify({ log: { version: '1.2', creator: { name: 't', version: '1' }, entries: log.map((e) => redactEntry(e)) } })).entries.map((x) => x.entry);
    const a = laneAt(log, 5)!;
    const b = laneAt(masked, 5)!;
    assert.deepEqual(shorts(b), shorts(a));
    assert.equal(b.summary, a.summary);
    const text = JSON.stringify([a, b]);
    for (const secret of [AT1, AT2, RT1, RT2]) assert.ok(!text.includes(secret));
    // A sentence the lane writes quotes a success's endpoint as the timeline kept it: masked here too.
    const pathToken = jwt({ sub: 'u1', note: 'in-a-path' });
    const quoted = tokenLane(flowViews(flowsOf(log)), { token: carriedToken(log[5]!)!, at: T0 + 245_000, status: 401, used: { at: T0 + 2000, url: `${API}/${pathToken}`, status: 200, scheme: 'bearer' } })!;
    assert.ok(quoted.events.some((e) => e.kind === 'worked'));
    assert.ok(!JSON.stringify(quoted).includes(pathToken.split('.')[1]!), 'the JWT in the path is masked');
  });
});

describe('a failure’s auth story shows the sign-ins before it, each one event (core/flows/lane.ts signInEvents)', () => {
  it('a healthy sign-in: one event with the provider, client and steps; a broken one names what broke; the latest two before the failure only', () => {
    const wrong = entry({ method: 'POST', url: `${IDP}/token`, status: 400, at: t(61_200), form: { grant_type: 'authorization_code', client_id: 'spa', code: 'code-2', redirect_uri: `${APP}/callback/` }, body: JSON.stringify({ error: 'invalid_grant', error_description: 'redirect_uri mismatch' }) });
    const log = [...signIn(), authorize(30_000, { state: 'st-0' }), authorize(60_000, { state: 'st-2' }), callback(61_000, { state: 'st-2', code: 'code-2' }), wrong, authorize(900_000, { state: 'st-3' })];
    const views = flowViews(flowsOf(log));
    const events = signInEvents(views, T0 + 120_000);
    assert.deepEqual(events.map((e) => [e.kind, e.short]), [['sign-in', 'sign-in'], ['sign-in-broken', 'sign-in ✗']], 'the latest two that began before the failure (not the one after it)');
    assert.match(events[0]!.text, /^Sign-in flow \d with idp\.example\.com \(client spa\): sign-in, no answer yet\.$/);
    assert.match(events[1]!.text, /^Sign-in flow \d with idp\.example\.com \(client spa\) broke — redirect_uri differs: The token request sent another redirect_uri than the authorize request\. Its steps: sign-in → callback → token\.$/);
    assert.equal(events[1]!.time, '1 minute before the failure');
    const first = signInEvents(views, T0 + 5_000);
    assert.match(first.map((e) => e.text).join('|'), /^Sign-in flow 2 with idp\.example\.com \(client spa\): sign-in → callback → token\.$/, 'numbered as the sign-in view numbers it: the broken flows first');
    assert.deepEqual(signInEvents(views, Number.NaN), []);
  });

  it('the story takes them in time order before the failure; a story with nothing else gets its strip', () => {
    const failure = { kind: 'failure' as const, at: 10_000, short: '401', text: 'failed', time: 'the failure' };
    const worked = { kind: 'worked' as const, at: 5_000, short: '200', text: 'worked', time: '5 seconds before' };
    const hop = { kind: 'redirect' as const, at: Number.NaN, short: '302', text: 'hop', time: '' };
    const signInAt = (at: number) => ({ kind: 'sign-in' as const, at, short: 'sign-in', text: 'signed in', time: '' });
    const story = storyWithSignIns({ events: [worked, hop, failure] }, [signInAt(1_000), signInAt(7_000)]);
    assert.deepEqual(story.events.map((e) => e.short), ['sign-in', '200', 'sign-in', '302', '401']);
    const empty = storyWithSignIns({ events: [failure], emptyText: 'Nothing auth-related…' }, [signInAt(1_000)]);
    assert.deepEqual(empty, { events: [signInAt(1_000), failure] });
  });
});

describe('public-client-auth: client authentication a page cannot do', () => {
  const tokenRequest = (opts: { form?: Record<string, string>; req?: Record<string, string>; status?: number; body?: unknown }) =>
    entry({ method: 'POST', url: `${IDP}/token`, status: opts.status ?? 200, at: t(1200), req: { Origin: APP, ...opts.req }, res: { 'Access-Control-Allow-Origin': APP }, form: { grant_type: 'authorization_code', client_id: 'spa', code: 'code-1', redirect_uri: `${APP}/callback`, ...opts.form }, body: JSON.stringify(opts.body ?? { access_token: AT1, token_type: 'Bearer', expires_in: 300 }) });
  const findingsOf = (e: HarEntry) => flowsOf([authorize(0), callback(1000), e]).flatMap((f) => f.findings);

  it('a page that sends a client secret (form or Basic): named, whether the provider took it or refused it', () => {
    const took = findingsOf(tokenRequest({ form: { client_secret: 's3cr3t-0123456789abcdef' } }));
    assert.deepEqual(took.map((f) => f.cause), ['public-client-auth']);
    assert.equal(took[0]!.title, 'The page sent a client secret to the token endpoint');
    assert.match(took[0]!.explanation, /with a client_secret in its form\. A single-page app is a public client.* It was answered 200: the flow works, and the secret is now public\./);
    assert.ok(!JSON.stringify(took).includes('s3cr3t-0123456789abcdef'));
    const refused = findingsOf(tokenRequest({ req: { Authorization: 'Basic c3BhOnMzY3IzdA==' }, status: 401, body: { error: 'invalid_client', error_description: 'client authentication failed' } }));
    assert.deepEqual(refused.map((f) => f.cause), ['public-client-auth'], 'the provider error is explained by it, not named again');
    assert.equal(refused[0]!.title, 'The page authenticated as a client, and the provider refused it');
    assert.match(refused[0]!.explanation, /as HTTP Basic .* The provider answered invalid_client \("client authentication failed"\)/);
  });

  it('a page with no client authentication, answered invalid_client: the app is registered as confidential', () => {
    const f = findingsOf(tokenRequest({ status: 401, body: { error: 'invalid_client', error_description: 'client authentication failed' } }));
    assert.deepEqual(f.map((x) => [x.cause, x.title]), [['public-client-auth', 'The provider wants the client to authenticate, and a page cannot']]);
  });

  it('not from a page (no Origin: a server’s or a tool’s request in the file), or a page with no client authentication that worked: nothing', () => {
    const server = tokenRequest({ form: { client_secret: 's3cr3t-0123456789abcdef' } });
    server.request.headers = server.request.headers.filter((h) => h.name.toLowerCase() !== 'origin');
    assert.deepEqual(findingsOf(server), []);
    assert.deepEqual(findingsOf(tokenRequest({})), []);
  });

  it('a masked file reads the same (the secret masked, its presence kept)', () => {
    const log = [authorize(0), callback(1000), tokenRequest({ form: { client_secret: 's3cr3t-0123456789abcdef' } })];
    const masked = readHar(JSON.stringify({ log: { version: '1.2', creator: { name: 't', version: '1' }, entries: log.map((e) => redactEntry(e)) } })).entries.map((x) => x.entry);
    assert.ok(!JSON.stringify(masked).includes('s3cr3t-0123456789abcdef'));
    assert.deepEqual(causes(flowsOf(masked)), ['public-client-auth']);
  });
});
