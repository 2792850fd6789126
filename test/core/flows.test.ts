/**
 * Sign-in flows (core/flows): the steps read from exchanges, linked by state and code, and the
 * checks only traffic can make. Each case is a log as a real authorization-code flow with PKCE
 * writes it; the verifier's challenge is computed here with Node's own SHA-256, apart from core's.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { traceFlows, type Flow } from '../../src/core/flows/flow.ts';
import { flowViewsOf } from '../../src/core/flows/view.ts';
import { s256 } from '../../src/core/flows/pkce.ts';
import { stepOf, type FlowStep } from '../../src/core/flows/step.ts';
import type { HarEntry } from '../../src/core/exchange/har-types.ts';
import { redactEntry } from '../../src/core/redaction/redact.ts';
import { readHar } from '../../src/core/exchange/har-read.ts';
import { entry, jwt } from '../helpers/har.ts';

const IDP = 'https://idp.example.com';
const APP = 'https://app.example.com';
const REDIRECT = `${APP}/callback`;
const challengeOf = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

const V1 = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const V2 = 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5';
const CODE = 'SplxlOBeZQQYbYS23WxSbIA';
const STATE = 'af0ifjsldkj';

let clock = Date.parse('2026-12-06T10:00:00.000Z');
const at = () => new Date((clock += 1000)).toISOString();

function authorize(opts: { state?: string; verifier?: string; method?: string; redirect?: string; nonce?: string } = {}): HarEntry {
  const q = new URLSearchParams({ response_type: 'code', client_id: 'spa', redirect_uri: opts.redirect ?? REDIRECT, scope: 'openid profile', state: opts.state ?? STATE, nonce: opts.nonce ?? 'n-0S6_WzA2Mj' });
  if (opts.verifier !== undefined) {
    q.set('code_challenge', opts.method === 'plain' ? opts.verifier : challengeOf(opts.verifier));
    q.set('code_challenge_method', opts.method ?? 'S256');
  }
  return entry({ url: `${IDP}/authorize?${q}`, status: 302, at: at(), resourceType: 'document' });
}

function callback(opts: { state?: string; code?: string; error?: string } = {}): HarEntry {
  const q = new URLSearchParams({ ...(opts.error ? { error: opts.error } : { code: opts.code ?? CODE }), state: opts.state ?? STATE });
  return entry({ url: `${REDIRECT}?${q}`, status: 200, at: at(), resourceType: 'document' });
}

function token(opts: { code?: string; verifier?: string | null; redirect?: string | null; answer?: Record<string, string>; status?: number } = {}): HarEntry {
  const form: Record<string, string> = { grant_type: 'authorization_code', client_id: 'spa', code: opts.code ?? CODE };
  if (opts.redirect !== null) form['redirect_uri'] = opts.redirect ?? REDIRECT;
  if (opts.verifier !== null) form['code_verifier'] = opts.verifier ?? V1;
  const answer = opts.answer ?? { access_token: 'at-secret-value', id_token: 'id-secret-value', token_type: 'Bearer', expires_in: '3600' };
  return entry({ method: 'POST', url: `${IDP}/token`, status: opts.status ?? (answer['error'] ? 400 : 200), at: at(), form, body: JSON.stringify(answer) });
}

function flowsOf(entries: HarEntry[]): Flow[] {
  const steps = entries.map((e, i) => stepOf(e, i)).filter((s): s is FlowStep => s !== undefined);
  return traceFlows(steps);
}

const causes = (flows: Flow[]) => flows.flatMap((f) => f.findings.map((x) => x.cause));

describe('sign-in flows: steps', () => {
  it('S256 of the RFC 7636 example verifier is its example challenge', () => {
    assert.equal(s256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    for (const v of [V1, V2, 'a'.repeat(128), '~._-']) assert.equal(s256(v), challengeOf(v));
  });

  it('reads each kind of step, and nothing from an ordinary exchange', () => {
    const kinds = [authorize({ verifier: V1 }), callback(), token(), entry({ url: `${IDP}/.well-known/openid-configuration`, status: 200, body: JSON.stringify({ issuer: IDP, authorization_endpoint: `${IDP}/authorize`, token_endpoint: `${IDP}/token` }) }), entry({ url: `${IDP}/session/end?id_token_hint=x&post_logout_redirect_uri=${APP}`, status: 302 }), entry({ url: `${APP}/api/me?page=2`, status: 401 })].map((e, i) => stepOf(e, i)?.kind);
    assert.deepEqual(kinds, ['authorize', 'callback', 'token', 'discovery', 'end-session', undefined]);
  });

  it('keeps no state, nonce, code, verifier or token: only fingerprints and the S256', () => {
    const steps = [authorize({ verifier: V1 }), callback(), token()].map((e, i) => stepOf(e, i)!);
    const kept = JSON.stringify(steps);
    for (const secret of [STATE, CODE, V1, 'n-0S6_WzA2Mj', 'at-secret-value', 'id-secret-value']) assert.ok(!kept.includes(secret), `${secret} kept in ${kept}`);
    assert.deepEqual(steps[2]!.issued, ['access_token', 'id_token']);
  });
});

const NONCE = 'n-0S6_WzA2Mj';
const idToken = (claims: Record<string, unknown>) => jwt({ iss: IDP, sub: 'u1', aud: 'spa', exp: 9999999999, iat: 1, ...claims });
const discovery = (issuer: string) => entry({ url: `${IDP}/.well-known/openid-configuration`, status: 200, at: at(), body: JSON.stringify({ issuer, authorization_endpoint: `${IDP}/authorize`, token_endpoint: `${IDP}/token` }) });

describe('sign-in flows: the ID token', () => {
  it('its nonce and issuer as the authorize request and discovery said: no finding', () => {
    const flows = flowsOf([discovery(IDP), authorize({ verifier: V1, nonce: NONCE }), callback(), token({ answer: { access_token: 'at', id_token: idToken({ nonce: NONCE }) } })]);
    assert.deepEqual(causes(flows), []);
    assert.ok(!JSON.stringify(flows).includes(NONCE), 'the nonce is kept as a fingerprint');
  });

  it('another nonce, or none, is nonce-mismatch', () => {
    const other = flowsOf([authorize({ verifier: V1, nonce: NONCE }), callback(), token({ answer: { access_token: 'at', id_token: idToken({ nonce: 'another-nonce' }) } })]);
    assert.deepEqual(causes(other), ['nonce-mismatch']);
    const none = flowsOf([authorize({ verifier: V1, nonce: NONCE }), callback(), token({ answer: { access_token: 'at', id_token: idToken({}) } })]);
    assert.deepEqual(causes(none), ['nonce-mismatch']);
    assert.match(none[0]!.findings[0]!.title, /no nonce/);
  });

  it('another nonce with this sign-in’s state: the code was issued for another sign-in — an injected code (and PKCE would have stopped it), or a state two sign-ins shared', () => {
    // No code_challenge: the provider redeems a code from another session, and only the nonce tells.
    const injected = flowsOf([authorize({ nonce: NONCE }), callback(), token({ verifier: null, answer: { access_token: 'at', id_token: idToken({ nonce: 'the-other-session-nonce' }) } })]);
    assert.deepEqual(causes(injected), ['nonce-mismatch']);
    assert.match(injected[0]!.findings[0]!.explanation, /a code issued for another sign-in: a callback URL made from another session's code .* This sign-in sent no code_challenge: with PKCE the provider would have refused that code/);
    assert.ok(injected[0]!.findings[0]!.evidence.includes('authorize: no code_challenge (no PKCE)'));
    // With PKCE the explanation does not blame its absence.
    const withPkce = flowsOf([authorize({ verifier: V1, nonce: NONCE }), callback(), token({ answer: { access_token: 'at', id_token: idToken({ nonce: 'the-other-session-nonce' }) } })]);
    assert.doesNotMatch(withPkce[0]!.findings[0]!.explanation, /no code_challenge/);
    // Two sign-ins with one state: the answer of the first is taken for the second's.
    const shared = flowsOf([authorize({ nonce: 'first-nonce-value' }), authorize({ nonce: NONCE }), callback(), token({ verifier: null, answer: { access_token: 'at', id_token: idToken({ nonce: 'first-nonce-value' }) } })]);
    assert.deepEqual(causes(shared), ['nonce-mismatch']);
    assert.match(shared.flatMap((f) => f.findings)[0]!.explanation, /Two authorize requests sent the same state/);
    // A masked copy (why401 redact) tags the state, nonce and code in their masks and keeps the ID
    // token's nonce as the same tagged mask: the same verdicts, and no finding for matching nonces.
    const mask = (log: HarEntry[]) => readHar(JSON.stringify({ log: { version: '1.2', creator: { name: 't', version: '1' }, entries: log.map((e) => redactEntry(e)) } })).entries.map((x) => x.entry);
    const longNonce = 'the-other-session-nonce-0123456789';
    const injectedLog = [authorize({ nonce: NONCE + NONCE }), callback(), token({ verifier: null, answer: { access_token: 'at', id_token: idToken({ nonce: longNonce }) } })];
    const maskedInjected = mask(injectedLog);
    assert.ok(!JSON.stringify(maskedInjected).includes(longNonce) && !JSON.stringify(maskedInjected).includes(NONCE + NONCE), 'the nonces are masked');
    assert.deepEqual(causes(flowsOf(maskedInjected)), ['nonce-mismatch']);
    assert.deepEqual(causes(flowsOf(mask([authorize({ verifier: V1, nonce: longNonce }), callback(), token({ answer: { access_token: 'at', id_token: idToken({ nonce: longNonce }) } })]))), []);
  });

  it('a callback with a state no sign-in sent while one waits is state-mismatch, from the log and from its masked copy (the masks tell the two states apart)', () => {
    const log = [authorize({ verifier: V1, state: 'the-waiting-sign-in-state-01' }), callback({ state: 'another-session-state-012345' })];
    assert.deepEqual(causes(flowsOf(log)), ['state-mismatch']);
    const masked = readHar(JSON.stringify({ log: { version: '1.2', creator: { name: 't', version: '1' }, entries: log.map((e) => redactEntry(e)) } })).entries.map((x) => x.entry);
    assert.ok(!JSON.stringify(masked).includes('the-waiting-sign-in-state-01'));
    assert.deepEqual(causes(flowsOf(masked)), ['state-mismatch']);
  });

  it('an ID token whose aud does not name the client that redeemed the code is audience-mismatch; one that names it among others is not', () => {
    const other = flowsOf([authorize({ verifier: V1, nonce: NONCE }), callback(), token({ answer: { access_token: 'at', id_token: idToken({ nonce: NONCE, aud: 'another-app' }) } })]);
    assert.deepEqual(causes(other), ['audience-mismatch']);
    assert.equal(other[0]!.findings[0]!.title, 'The ID token is for another client (aud another-app), not spa');
    assert.deepEqual(causes(flowsOf([authorize({ verifier: V1, nonce: NONCE }), callback(), token({ answer: { access_token: 'at', id_token: idToken({ nonce: NONCE, aud: ['api://x', 'spa'] }) } })])), []);
    // A masked copy keeps the ID token's aud beside its mask: the same verdict.
    const log = [authorize({ verifier: V1, nonce: NONCE }), callback(), token({ answer: { access_token: 'at', id_token: idToken({ nonce: NONCE, aud: 'another-app' }) } })];
    const masked = readHar(JSON.stringify({ log: { version: '1.2', creator: { name: 't', version: '1' }, entries: log.map((e) => redactEntry(e)) } })).entries.map((x) => x.entry);
    assert.deepEqual(causes(flowsOf(masked)), ['audience-mismatch']);
  });

  it('an issuer other than the discovered one (the provider reached by two names) is issuer-mismatch', () => {
    const flows = flowsOf([discovery('http://localhost:8080/realms/app'), authorize({ verifier: V1, nonce: NONCE }), callback(), token({ answer: { access_token: 'at', id_token: idToken({ nonce: NONCE, iss: 'http://keycloak:8080/realms/app' }) } })]);
    assert.deepEqual(causes(flows), ['issuer-mismatch']);
    assert.match(flows[0]!.findings[0]!.title, /issuer \(http:\/\/keycloak:8080\/realms\/app\) is not the discovered issuer \(http:\/\/localhost:8080\/realms\/app\)/);
  });

  it('the token request through a proxy (another endpoint than the discovered one): the document is still this flow’s, by its authorize endpoint; the finding says where the request went', () => {
    // Made in the order they happen (each entry's time is the next second).
    const doc = discovery(IDP);
    const start = authorize({ verifier: V1, nonce: NONCE });
    const back = callback();
    const proxied = token({ answer: { access_token: 'at', id_token: idToken({ nonce: NONCE, iss: 'https://idp-internal.example' }) } });
    proxied.request.url = `${APP}/dev-proxy/token`;
    const flows = flowsOf([doc, start, back, proxied]);
    assert.deepEqual(causes(flows), ['issuer-mismatch']);
    assert.match(flows[0]!.findings[0]!.explanation, /Here the token request went to https:\/\/app\.example\.com\/dev-proxy\/token, not to the token endpoint the document names \(https:\/\/idp\.example\.com\/token\)/);
    // A masked copy (why401 redact) keeps the ID token's issuer beside its mask: the same verdict.
    const log = [doc, start, back, proxied];
    const masked = readHar(JSON.stringify({ log: { version: '1.2', creator: { name: 't', version: '1' }, entries: log.map((e) => redactEntry(e)) } })).entries.map((x) => x.entry);
    assert.ok(!JSON.stringify(masked).includes((JSON.parse(proxied.response.content.text!) as { id_token: string }).id_token.split('.')[2]!), 'the ID token is masked');
    assert.deepEqual(causes(flowsOf(masked)), ['issuer-mismatch']);
    // Another provider's document (neither endpoint named) says nothing about this flow.
    const other = entry({ url: 'https://other.example/.well-known/openid-configuration', status: 200, at: at(), body: JSON.stringify({ issuer: 'https://other.example', authorization_endpoint: 'https://other.example/authorize', token_endpoint: 'https://other.example/token' }) });
    const again = [authorize({ verifier: V1, nonce: NONCE }), callback()];
    const proxiedAgain = token({ answer: { access_token: 'at', id_token: idToken({ nonce: NONCE, iss: 'https://idp-internal.example' }) } });
    proxiedAgain.request.url = `${APP}/dev-proxy/token`;
    assert.deepEqual(flowsOf([other, ...again, proxiedAgain]).map((f) => f.steps.map((x) => x.kind)), [['authorize', 'callback', 'token']], 'one flow, linked');
    assert.deepEqual(causes(flowsOf([other, ...again, proxiedAgain])), []);
  });

  it('no discovery document in the log: the issuer is not judged', () => {
    assert.deepEqual(causes(flowsOf([authorize({ verifier: V1, nonce: NONCE }), callback(), token({ answer: { access_token: 'at', id_token: idToken({ nonce: NONCE, iss: 'https://elsewhere.example' }) } })])), []);
  });
});

describe('sign-in flows: a login loop', () => {
  const round = (n: number, opts: { token?: boolean; formPost?: boolean } = {}) => [
    authorize({ verifier: V1, state: `loop-${n}` }),
    opts.formPost ? entry({ method: 'POST', url: REDIRECT, status: 302, at: at(), form: { code: `code-${n}`, state: `loop-${n}` } }) : callback({ state: `loop-${n}`, code: `code-${n}` }),
    ...(opts.token ? [token({ code: `code-${n}` })] : []),
  ];

  it('three sign-ins, each answered and started over at once, never redeemed: login-loop on the last, saying the callback lost its state', () => {
    const flows = flowsOf([...round(1), ...round(2), ...round(3)]);
    assert.deepEqual(causes(flows), ['login-loop']);
    const f = flows[2]!.findings[0]!;
    assert.match(f.title, /^A login loop: 3 sign-ins in \d+ s/);
    assert.match(f.explanation, /never redeemed a code.*SameSite=Strict/s);
    assert.equal(f.entry, flows[2]!.steps[0]!.index);
  });

  it('form_post returns are named: a cross-site POST carries no SameSite=Lax cookie', () => {
    assert.match(flowsOf([...round(1, { formPost: true }), ...round(2, { formPost: true }), ...round(3, { formPost: true })]).flatMap((f) => f.findings)[0]!.explanation, /response_mode=form_post/);
  });

  it('tokens each time and still starting over: the session is lost after sign-in', () => {
    const found = flowsOf([...round(1, { token: true }), ...round(2, { token: true }), ...round(3, { token: true }), ...round(4, { token: true })]).flatMap((f) => f.findings);
    assert.deepEqual(found.map((x) => x.cause), ['login-loop']);
    assert.match(found[0]!.title, /4 sign-ins/);
    assert.match(found[0]!.explanation, /got its tokens and still started over/);
  });

  it('not a loop: two rounds; a sign-out between; a pause of minutes between', () => {
    assert.deepEqual(causes(flowsOf([...round(1), ...round(2)])), []);
    const signOut = () => entry({ url: `${IDP}/session/end?post_logout_redirect_uri=${encodeURIComponent(APP)}`, status: 302, at: at() });
    assert.deepEqual(causes(flowsOf([...round(1, { token: true }), signOut(), ...round(2, { token: true }), signOut(), ...round(3, { token: true })])), []);
    const later = () => {
      clock += 5 * 60_000;
      return [] as HarEntry[];
    };
    assert.deepEqual(causes(flowsOf([...round(1, { token: true }), ...later(), ...round(2, { token: true }), ...later(), ...round(3, { token: true })])), []);
  });
});

describe('sign-in flows: linked and checked', () => {
  it('a healthy flow: three steps, one flow, no finding', () => {
    const flows = flowsOf([authorize({ verifier: V1 }), entry({ url: `${APP}/api/other`, status: 200, at: at() }), callback(), token()]);
    assert.equal(flows.length, 1);
    assert.deepEqual(flows[0]!.steps.map((s) => s.kind), ['authorize', 'callback', 'token']);
    assert.deepEqual(flows[0]!.findings, []);
  });

  it('a plain challenge the verifier equals is healthy', () => {
    assert.deepEqual(causes(flowsOf([authorize({ verifier: V1, method: 'plain' }), callback(), token()])), []);
  });

  it('plain where the provider requires S256: refused at the callback (or the token request), named as such', () => {
    // Made in the order they happen (each entry's time is the next second).
    const plain = authorize({ verifier: V1, method: 'plain' });
    const refused = entry({ url: `${REDIRECT}?${new URLSearchParams({ error: 'invalid_request', error_description: 'not supported value of code_challenge_method', state: STATE })}`, status: 200, at: at(), resourceType: 'document' });
    const flows = flowsOf([plain, refused]);
    assert.deepEqual(causes(flows), ['pkce-mismatch']);
    assert.equal(flows[0]!.findings[0]!.title, 'The provider requires PKCE with S256; the app sent plain');
    assert.match(flows[0]!.findings[0]!.explanation, /answered the sign-in with invalid_request \("not supported value of code_challenge_method"\)/);
    // S256, refused for another reason: not this.
    const s256 = authorize({ verifier: V1 });
    const other = entry({ url: `${REDIRECT}?${new URLSearchParams({ error: 'access_denied', state: STATE })}`, status: 200, at: at(), resourceType: 'document' });
    assert.ok(!causes(flowsOf([s256, other])).includes('pkce-mismatch'));
  });

  it('redirect_uri: another in the token request, or none, is redirect-uri-mismatch', () => {
    const other = flowsOf([authorize({ verifier: V1 }), callback(), token({ redirect: `${REDIRECT}/`, answer: { error: 'invalid_grant' } })]);
    assert.deepEqual(causes(other), ['redirect-uri-mismatch']);
    assert.match(other[0]!.findings[0]!.explanation, /sent https:\/\/app\.example\.com\/callback\/\. They must be identical.*answered invalid_grant/);
    assert.deepEqual(causes(flowsOf([authorize({ verifier: V1 }), callback(), token({ redirect: null })])), ['redirect-uri-mismatch']);
  });

  it('PKCE: a verifier that is not the challenge, or none, is pkce-mismatch', () => {
    assert.deepEqual(causes(flowsOf([authorize({ verifier: V1 }), callback(), token({ verifier: V2, answer: { error: 'invalid_grant' } })])), ['pkce-mismatch']);
    const none = flowsOf([authorize({ verifier: V1 }), callback(), token({ verifier: null })]);
    assert.deepEqual(causes(none), ['pkce-mismatch']);
    assert.match(none[0]!.findings[0]!.title, /no code_verifier/);
  });

  it('PKCE: two sign-ins in flight (a double-run effect), the callback answering the first with the second’s verifier', () => {
    const flows = flowsOf([authorize({ verifier: V1, state: 'state-one' }), authorize({ verifier: V2, state: 'state-two' }), callback({ state: 'state-one' }), token({ verifier: V2, answer: { error: 'invalid_grant' } })]);
    const f = flows.flatMap((x) => x.findings);
    assert.deepEqual(f.map((x) => x.cause), ['pkce-mismatch']);
    assert.match(f[0]!.explanation, /belongs to another authorize request.*two sign-ins were in flight/s);
    assert.equal(f[0]!.entry, 3, 'the token request is the broken step');
  });

  it('state: a callback with another state than the authorize request waiting for it is state-mismatch', () => {
    const flows = flowsOf([authorize({ verifier: V1, state: 'mine' }), callback({ state: 'someone-else' })]);
    assert.deepEqual(causes(flows), ['state-mismatch']);
    assert.match(flows[0]!.findings[0]!.title, /did not send/);
  });

  it('state: a callback whose authorize request is not in the log is no finding (the capture began mid-flow)', () => {
    const flows = flowsOf([callback(), token()]);
    assert.equal(flows.length, 1);
    assert.deepEqual(causes(flows), []);
  });

  it('state: the same answer twice is state-mismatch', () => {
    assert.deepEqual(causes(flowsOf([authorize({ verifier: V1 }), callback(), token(), callback()])), ['state-mismatch']);
  });

  it('the same code redeemed twice is code-reused, on the second token request', () => {
    const flows = flowsOf([authorize({ verifier: V1 }), callback(), token(), token({ answer: { error: 'invalid_grant', error_description: 'grant request is invalid' } })]);
    assert.deepEqual(causes(flows), ['code-reused']);
    assert.equal(flows[0]!.findings[0]!.entry, 3);
  });

  it('the provider’s own words when the authorize request is not in the log', () => {
    assert.deepEqual(causes(flowsOf([token({ answer: { error: 'invalid_grant', error_description: 'PKCE verification failed' } })])), ['pkce-mismatch']);
    assert.deepEqual(causes(flowsOf([token({ answer: { error: 'invalid_grant', error_description: 'redirect_uri mismatch' } })])), ['redirect-uri-mismatch']);
    assert.deepEqual(causes(flowsOf([token({ answer: { error: 'invalid_grant' } })])), []);
  });

  it('two flows interleaved are told apart by state and code', () => {
    const flows = flowsOf([
      authorize({ verifier: V1, state: 's-a' }),
      authorize({ verifier: V2, state: 's-b', redirect: `${APP}/other-callback` }),
      entry({ url: `${APP}/other-callback?code=code-b&state=s-b`, status: 200, at: at() }),
      callback({ state: 's-a', code: 'code-a' }),
      token({ code: 'code-a', verifier: V1 }),
      token({ code: 'code-b', verifier: V2, redirect: `${APP}/other-callback` }),
    ]);
    assert.equal(flows.length, 2);
    assert.deepEqual(flows.map((f) => f.steps.map((s) => s.index)), [[0, 3, 4], [1, 2, 5]]);
    assert.deepEqual(causes(flows), []);
  });

  it('a redacted log (why401 redact, a masked export): masks compare by their tags, and a masked verifier is judged by the S256 kept beside it', () => {
    const masked = (entries: HarEntry[]) => entries.map((e) => redactEntry(e));
    assert.deepEqual(causes(flowsOf(masked([authorize({ verifier: V1 }), callback(), token()]))), []);
    assert.deepEqual(causes(flowsOf(masked([authorize({ verifier: V1 }), callback(), token(), token()]))), ['code-reused']);
    assert.deepEqual(causes(flowsOf(masked([authorize({ verifier: V1 }), callback(), token({ redirect: `${REDIRECT}/` })]))), ['redirect-uri-mismatch']);
    assert.equal(flowsOf(masked([authorize({ verifier: V1 }), callback(), token()]))[0]!.steps.length, 3, 'still linked by state and code');
    // The verifier is masked, and its S256 kept beside (the challenge, public): PKCE is still judged.
    const pkce = masked([authorize({ verifier: V1 }), callback(), token({ verifier: V2 })]);
    assert.ok(!JSON.stringify(pkce).includes(V2), 'the verifier is masked');
    assert.deepEqual(causes(flowsOf(pkce)), ['pkce-mismatch']);
    const read = readHar(JSON.stringify({ log: { version: '1.2', creator: { name: 't', version: '1' }, entries: pkce } })).entries.map((x) => x.entry);
    assert.deepEqual(causes(flowsOf(read)), ['pkce-mismatch'], 'and read back from the file');
    const forged = pkce.map((e) => (e._why401?.pkceVerifierS256 ? { ...e, _why401: { ...e._why401, pkceVerifierS256: 'not a hash' } } : e));
    const reread = readHar(JSON.stringify({ log: { version: '1.2', creator: { name: 't', version: '1' }, entries: forged } })).entries.map((x) => x.entry);
    assert.deepEqual(causes(flowsOf(reread)), [], 'a kept value that is not an S256 is not read');
  });

  it('no finding quotes a state, code or verifier', () => {
    const flows = flowsOf([authorize({ verifier: V1 }), callback(), token({ verifier: V2, redirect: `${REDIRECT}?code=${CODE}` }), token({ verifier: V2 })]);
    assert.deepEqual(causes(flows), ['redirect-uri-mismatch', 'pkce-mismatch', 'code-reused']);
    const text = JSON.stringify(flows);
    for (const secret of [STATE, CODE, V1, V2]) assert.ok(!text.includes(secret), secret);
  });
});

describe('sign-in flows: the provider’s own words', () => {
  it('an error or client_id that carries a secret shape is masked where the flow keeps it', () => {
    const leaked = 'ghp_0123456789abcdefghijABCDEFGHIJ012345';
    const flows = flowsOf([token({ answer: { error: `invalid_grant ${leaked}`, error_description: `bad ${leaked}` } })]);
    assert.ok(!JSON.stringify(flows).includes(leaked), JSON.stringify(flows));
  });
});

describe('sign-in flows: HAR files as browsers write them', () => {
  it('Chrome’s postData.params are still percent-encoded: the body text is read, or the params decoded (no false redirect-uri-mismatch)', () => {
    const tokenEntry = token();
    const text = tokenEntry.request.postData!.text!;
    // As Chrome's DevTools writes it: the text, and params whose values are the encoded pieces.
    const chromeParams = text.split('&').map((kv) => ({ name: kv.split('=')[0]!, value: kv.slice(kv.indexOf('=') + 1) }));
    assert.ok(chromeParams.some((p) => p.value.includes('%3A%2F%2F')), 'the fixture has an encoded redirect_uri');
    const withBoth = { ...tokenEntry, request: { ...tokenEntry.request, postData: { mimeType: 'application/x-www-form-urlencoded', text, params: chromeParams } } };
    assert.deepEqual(causes(flowsOf([authorize({ verifier: V1 }), callback(), withBoth])), []);
    const paramsOnly = { ...tokenEntry, request: { ...tokenEntry.request, postData: { mimeType: 'application/x-www-form-urlencoded', params: chromeParams } } };
    assert.deepEqual(causes(flowsOf([authorize({ verifier: V1 }), callback(), paramsOnly])), []);
    // Params already decoded (as HAR 1.2 means them) stay as they are.
    const decoded = chromeParams.map((p) => ({ name: p.name, value: decodeURIComponent(p.value) }));
    const plain = { ...tokenEntry, request: { ...tokenEntry.request, postData: { mimeType: 'application/x-www-form-urlencoded', params: decoded } } };
    assert.deepEqual(causes(flowsOf([authorize({ verifier: V1 }), callback(), plain])), []);
  });
});

describe('sign-in flows: a loop is the same sign-in again and again', () => {
  it('a sign-in that broke for a reason of its own just before a loop is not counted in it', () => {
    let t = Date.parse('2026-12-06T12:00:00.000Z');
    const at = (ms: number) => new Date((t += ms)).toISOString();
    const round = (state: string) => [
      entry({ url: `${IDP}/authorize?${new URLSearchParams({ response_type: 'code', client_id: 'spa', redirect_uri: REDIRECT, state })}`, status: 302, at: at(500), resourceType: 'document' }),
      entry({ url: `${REDIRECT}?${new URLSearchParams({ code: `c-${state}`, state })}`, status: 200, at: at(300), resourceType: 'document' }),
    ];
    // First a sign-in whose token request sent another redirect_uri (refused), then four rounds of a loop.
    const first = [...round('s0'), entry({ method: 'POST', url: `${IDP}/token`, status: 400, at: at(200), form: { grant_type: 'authorization_code', client_id: 'spa', code: 'c-s0', redirect_uri: `${REDIRECT}/` }, body: JSON.stringify({ error: 'invalid_grant' }) })];
    const loop = ['s1', 's2', 's3', 's4'].flatMap(round);
    const flows = flowsOf([...first, ...loop]);
    assert.deepEqual(causes(flows).sort(), ['login-loop', 'redirect-uri-mismatch']);
    assert.match(flows.flatMap((f) => f.findings).find((x) => x.cause === 'login-loop')!.title, /4 sign-ins/);
  });
});

describe('sign-in flows: a log out of order, and a sign-in whose start is not in the log', () => {
  it('steps are taken in the order they began: an earlier sign-in’s callback listed after the next sign-in’s authorize request is not taken for its answer', () => {
    // The first sign-in's authorize request is not in the log (DevTools' log started over at the provider's page)…
    const firstBack = callback({ state: 'first-sign-in-state-0001', code: 'first-code-000000001' });
    const firstToken = token({ code: 'first-code-000000001' });
    const second = authorize({ verifier: V2, state: 'second-sign-in-state-001' });
    const secondBack = callback({ state: 'second-sign-in-state-001', code: 'second-code-00000001' });
    // …and its callback is listed after the second authorize request, as DevTools' log held them with Preserve log turned on between the two.
    const listed = [second, firstBack, firstToken, secondBack];
    const views = flowViewsOf(listed);
    assert.deepEqual(views.flatMap((v) => v.findings.map((f) => f.cause)), []);
    assert.deepEqual(views.map((v) => v.runs.map((r) => r.label)).sort(), [['callback', 'token'], ['sign-in', 'callback']].sort());
    // Taken in the listed order (steps without times keep it), the callback is the waiting second sign-in's answer: the error the order guards against.
    const untimed = listed.map((e, i) => ({ ...stepOf(e, i)!, at: Number.NaN }));
    assert.ok(causes(traceFlows(untimed)).includes('state-mismatch'), 'in the listed order: a state mismatch');
    // traceFlows itself orders them, so the capture (which sees requests as they end) judges as the log readers do.
    assert.deepEqual(causes(traceFlows(listed.map((e, i) => stepOf(e, i)!))), []);
  });

  it('a sign-in that begins at the provider’s answer (no authorize request in the log) is startMissing; a whole one is not', () => {
    const [partial] = flowViewsOf([callback(), token()]);
    assert.equal(partial!.startMissing, true);
    const [whole] = flowViewsOf([authorize({ verifier: V1 }), callback(), token()]);
    assert.equal(whole!.startMissing, false);
    const [tokenOnly] = flowViewsOf([token()]);
    assert.equal(tokenOnly!.startMissing, true);
  });
});
