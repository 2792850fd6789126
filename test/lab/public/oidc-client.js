// The lab's sign-in client: an authorization-code flow with PKCE against the lab's OpenID Connect
// provider (idp.test), written with oauth4webapi as a single-page app would, and the token's life
// after it (refreshes, an interceptor, a silent renew). `?variant=` picks a way the app gets it
// wrong; `window.oidcDone` says how it ended.
import * as oauth from '/s/oidc/oauth4webapi.js';
import axios from '/s/oidc/axios.js';

const config = JSON.parse(document.getElementById('config').textContent);
const issuer = new URL(config.issuer);

/** The token-life variants: offline_access asked (a refresh token), the short-lived client (2 s access, 4 s refresh token), the expiring one (2 s access, a day's refresh token). */
const LIFE = {
  'refresh-healthy': { offline: true },
  'refresh-race': { offline: true },
  'refresh-loop': { offline: true },
  'refresh-storm': { expiring: true, offline: true },
  'refresh-schedule': { expiring: true, offline: true },
  'no-refresh-token': { short: true },
  'stale-token': { short: true, offline: true },
  'refresh-expired': { short: true, offline: true },
  'silent-renew': {},
};
/** The variants that sign in as the provider's confidential client (registered with a secret). */
const CONFIDENTIAL = new Set(['confidential-client', 'secret-in-page']);
const clientFor = (variant) => ({ client_id: variant === 'token-cors' ? config.noCorsClient : variant === 'nonce-mismatch' ? config.noPkceClient : CONFIDENTIAL.has(variant) ? config.confidentialClient : LIFE[variant]?.short ? config.shortClient : LIFE[variant]?.expiring ? config.expiringClient : config.client });
/** How the app authenticates at the token endpoint: as a public client (none), or — secret-in-page — with the confidential client's secret, shipped in the page. */
const clientAuth = (variant) => (variant === 'secret-in-page' ? oauth.ClientSecretBasic(config.confidentialSecret) : oauth.None());
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (line) => {
  document.getElementById('log').textContent += `${line}\n`;
};
const done = (result) => {
  window.oidcDone = result;
  log(`done: ${result}`);
};

async function discover() {
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer));
}

async function start(variant) {
  const as = await discover();
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const redirect = `${location.origin}/s/oidc/callback`;
  const url = new URL(as.authorization_endpoint);
  const offline = LIFE[variant]?.offline === true;
  // A refresh token is asked with offline_access, which the provider honours with prompt=consent (OpenID Connect Core §11).
  // pkce-plain: an old client's PKCE, the challenge the verifier itself (method plain), where the provider requires S256.
  // nonce-mismatch: an older client without PKCE, which trusts the ID token's nonce alone.
  const challenge = variant === 'nonce-mismatch' ? {} : variant === 'pkce-plain' ? { code_challenge: verifier, code_challenge_method: 'plain' } : { code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' };
  // The lab's provider plays a scene at its login form when asked by login_hint (test/lab/idp.ts):
  // state-unknown, the user follows a sign-in link made for another session instead of signing in;
  // nonce-mismatch, this sign-in's callback comes back with another session's code (injected).
  const scene = { 'state-unknown': 'lab:link-from-elsewhere', 'nonce-mismatch': 'lab:code-injected' }[variant];
  url.search = new URLSearchParams({ client_id: clientFor(variant).client_id, redirect_uri: redirect, response_type: 'code', scope: offline ? 'openid profile offline_access' : 'openid profile', ...(offline ? { prompt: 'consent' } : {}), ...(scene ? { prompt: 'login', login_hint: scene } : {}), state, nonce, ...challenge }).toString();
  // pkce-mismatch: a second sign-in "starts" (another tab, an effect run twice) and stores its verifier over ours.
  const stored = variant === 'pkce-mismatch' ? oauth.generateRandomCodeVerifier() : verifier;
  sessionStorage.setItem('oidc', JSON.stringify({ verifier: stored, state, nonce, variant, redirect }));
  location.assign(url.href);
}

async function callback() {
  const saved = JSON.parse(sessionStorage.getItem('oidc') ?? 'null');
  const variant = saved?.variant ?? new URLSearchParams(localStorage.getItem('oidc-loop') ?? '').get('variant');
  if (variant === 'login-loop') {
    // The app cannot find the state it stored (kept where this return cannot read it), so it starts over.
    const rounds = Number(localStorage.getItem('oidc-rounds') ?? '0') + 1;
    localStorage.setItem('oidc-rounds', String(rounds));
    sessionStorage.removeItem('oidc');
    if (rounds >= 4) return done(`loop: ${rounds} rounds`);
    return start('login-loop');
  }
  if (!saved) return done('no sign-in in progress');
  const client = clientFor(variant);
  const as = await discover();
  // issuer-mismatch: the app sends its token request through its dev server's proxy (to dodge
  // CORS), which reaches the provider by its internal host; that provider names itself after it.
  if (variant === 'issuer-mismatch') as.token_endpoint = `${location.origin}/s/oidc/idp-proxy/token`;
  let params;
  try {
    params = oauth.validateAuthResponse(as, client, new URL(location.href), saved.state);
  } catch (e) {
    // The provider answered the sign-in with an error (pkce-plain: it requires S256).
    return done(`sign-in refused: ${e.error ?? e.message}`);
  }
  const redirect = variant === 'redirect-mismatch' ? `${saved.redirect}/` : saved.redirect;
  // ?hold=ms: wait before redeeming the code (a test keeps two tabs' flows overlapping on a busy machine).
  const hold = Number(new URLSearchParams(sessionStorage.getItem('oidc-query') ?? '').get('hold') ?? 0);
  if (hold > 0) await sleep(Math.min(hold, 10_000));
  let response;
  try {
    response = await oauth.authorizationCodeGrantRequest(as, client, clientAuth(variant), params, redirect, variant === 'nonce-mismatch' ? oauth.nopkce : saved.verifier);
  } catch (e) {
    return done(`token request failed: ${e.message}`);
  }
  let tokens;
  try {
    tokens = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: saved.nonce, requireIdToken: true });
  } catch (e) {
    return done(`token refused: ${e.error ?? e.message}`);
  }
  if (LIFE[variant]) return afterSignIn(variant, as, client, tokens);
  const token = variant === 'id-token-to-api' ? tokens.id_token : tokens.access_token;
  const api = await fetch(config.api, { headers: { Authorization: `Bearer ${token}` } });
  if (variant === 'callback-reload' && !sessionStorage.getItem('oidc-reloaded')) {
    // The callback page reloaded (or rendered twice): the same code is redeemed again.
    sessionStorage.setItem('oidc-reloaded', '1');
    location.reload();
    return undefined;
  }
  return done(`signed in; the API answered ${api.status}`);
}

/** A refresh with oauth4webapi: the new tokens, or the provider's error code. */
async function refresh(as, client, refreshToken) {
  const response = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), refreshToken);
  try {
    return { tokens: await oauth.processRefreshTokenResponse(as, client, response) };
  } catch (e) {
    return { error: e.error ?? e.message };
  }
}

const call = (url, token) => fetch(url, { headers: { Authorization: `Bearer ${token}` } }).then((r) => r.status);

/** The token's life after sign-in, one way per variant. */
async function afterSignIn(variant, as, client, tokens) {
  log(`signed in${tokens.refresh_token ? ', with a refresh token' : ''}`);
  if (variant === 'refresh-healthy') {
    await call(config.api, tokens.access_token);
    const r = await refresh(as, client, tokens.refresh_token);
    if (r.error) return done(`refresh refused: ${r.error}`);
    return done(`refreshed; the API answered ${await call(config.api, r.tokens.access_token)}`);
  }
  if (variant === 'refresh-race') {
    // Two requests got a 401 at once and each refreshes (no single-flight): one refresh token, sent twice.
    const [a, b] = await Promise.all([refresh(as, client, tokens.refresh_token), refresh(as, client, tokens.refresh_token)]);
    return done(`refreshes: ${a.error ?? 'ok'}, ${b.error ?? 'ok'}`);
  }
  if (variant === 'refresh-loop') {
    // The classic interceptor: on 401, refresh and retry — with no limit but the lab's.
    let token = tokens.access_token;
    let refreshToken = tokens.refresh_token;
    let status = await call(config.billing, token);
    let rounds = 0;
    while (status === 401 && rounds < 4) {
      const r = await refresh(as, client, refreshToken);
      if (r.error) return done(`refresh refused: ${r.error}`);
      rounds++;
      token = r.tokens.access_token;
      refreshToken = r.tokens.refresh_token ?? refreshToken;
      status = await call(config.billing, token);
    }
    return done(`gave up after ${rounds} refreshes; the API answered ${status}`);
  }
  if (variant === 'refresh-storm') {
    // The axios interceptor of countless apps: on a 401, refresh and retry — no single-flight, so
    // every call that got a 401 starts a refresh of its own with the same refresh token.
    const store = { access: tokens.access_token, refresh: tokens.refresh_token };
    const api = axios.create();
    api.interceptors.request.use((c) => {
      c.headers.Authorization = `Bearer ${store.access}`;
      return c;
    });
    let refreshes = 0;
    let refused = 0;
    api.interceptors.response.use(undefined, async (error) => {
      const original = error.config;
      if (error.response?.status !== 401 || original._retried) throw error;
      original._retried = true;
      refreshes++;
      const r = await refresh(as, client, store.refresh);
      if (r.error) {
        refused++;
        throw error;
      }
      store.access = r.tokens.access_token;
      store.refresh = r.tokens.refresh_token ?? store.refresh;
      return api(original);
    });
    // The access token (2 s) expires while the page sits; then the page loads its 200 widgets at once.
    await sleep(2600);
    const results = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => api.get(`${config.api}?widget=${i}`)));
    const ok = results.filter((x) => x.status === 'fulfilled').length;
    return done(`storm: 200 calls, ${refreshes} refreshes (${refused} refused), ${ok} answered 200`);
  }
  if (variant === 'refresh-schedule') {
    // A healthy app: it refreshes a moment before its 2 s access token expires, one refresh at a
    // time, and keeps calling the API with the current token — for ?seconds= (30 by default). The
    // provider's exp is in whole seconds (a "2 s" token lives 1–2 s), hence 1.5 s of margin.
    const seconds = Math.min(600, Number(new URLSearchParams(sessionStorage.getItem('oidc-query') ?? '').get('seconds') ?? 30));
    let access = tokens.access_token;
    let refreshToken = tokens.refresh_token;
    let expiresAt = Date.now() + (tokens.expires_in ?? 2) * 1000;
    let calls = 0;
    let refreshes = 0;
    let refused = 0;
    for (const until = Date.now() + seconds * 1000; Date.now() < until; ) {
      if (Date.now() > expiresAt - 1500) {
        const r = await refresh(as, client, refreshToken);
        if (r.error) return done(`refresh refused: ${r.error}`);
        refreshes++;
        access = r.tokens.access_token;
        refreshToken = r.tokens.refresh_token ?? refreshToken;
        expiresAt = Date.now() + (r.tokens.expires_in ?? 2) * 1000;
      }
      calls++;
      if ((await call(config.api, access)) !== 200) refused++;
      await sleep(300);
    }
    return done(`schedule: ${refreshes} refreshes, ${calls} calls, ${refused} refused`);
  }
  if (variant === 'no-refresh-token') {
    await sleep(2600);
    const status = await call(config.api, tokens.access_token);
    return done(`${tokens.refresh_token ? 'a refresh token' : 'no refresh token'}; the API answered ${status}`);
  }
  if (variant === 'stale-token') {
    const old = tokens.access_token;
    await call(config.api, old);
    await sleep(2600);
    const r = await refresh(as, client, tokens.refresh_token);
    if (r.error) return done(`refresh refused: ${r.error}`);
    // The bug: a client made at start-up keeps the token it was given.
    return done(`refreshed; the API answered ${await call(config.api, old)} to the old token`);
  }
  if (variant === 'refresh-expired') {
    await sleep(4600);
    const r = await refresh(as, client, tokens.refresh_token);
    return done(r.error ? `refresh refused: ${r.error}` : 'refreshed');
  }
  if (variant === 'silent-renew') {
    // Renew in a hidden frame with prompt=none, as libraries without refresh tokens do; the frame's callback posts the answer.
    const state = oauth.generateRandomState();
    const url = new URL(as.authorization_endpoint);
    url.search = new URLSearchParams({ client_id: client.client_id, redirect_uri: `${location.origin}/s/oidc/callback`, response_type: 'code', scope: 'openid profile', prompt: 'none', state, code_challenge: await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()), code_challenge_method: 'S256' }).toString();
    const answer = new Promise((resolve) => window.addEventListener('message', (e) => e.origin === location.origin && resolve(e.data)));
    const frame = document.createElement('iframe');
    frame.hidden = true;
    frame.src = url.href;
    document.body.append(frame);
    const data = await answer;
    return done(`silent renew: ${data.error ?? 'a code'}`);
  }
  return done(`unknown variant ${variant}`);
}

const variant = new URLSearchParams(location.search).get('variant');
if (window.parent !== window && location.pathname !== '/s/oidc/') {
  // A silent renew's answer, in its hidden frame: hand it to the app.
  const q = new URLSearchParams(location.search);
  window.parent.postMessage({ error: q.get('error'), code: q.has('code') }, location.origin);
} else if (location.pathname === '/s/oidc/') {
  sessionStorage.clear();
  sessionStorage.setItem('oidc-query', location.search);
  localStorage.removeItem('oidc-rounds');
  if (variant === 'login-loop') localStorage.setItem('oidc-loop', 'variant=login-loop');
  else localStorage.removeItem('oidc-loop');
  start(variant ?? 'healthy').catch((e) => done(`error: ${e.message}`));
} else {
  callback().catch((e) => done(`error: ${e.message}`));
}
