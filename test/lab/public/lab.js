// The 401 lab's start page: one runner per scenario. Each makes real requests fail through real
// browser mechanisms. Tests drive it through window.lab.run(id) and window.lab.done.
'use strict';

const cfg = JSON.parse(document.getElementById('lab-config').textContent);
const url = (host, path, scheme = 'https') => `${scheme}://${host}:${scheme === 'https' ? cfg.httpsPort : cfg.httpPort}${path}`;
const api = (path) => url('api.test', path);
const here = (path) => url('app.test', path, cfg.scheme);
const wait = (ms) => new Promise((r) => setTimeout(r, ms));

async function call(target, init = {}) {
  try {
    const r = await fetch(target, { cache: 'no-store', ...init });
    // A real app reads the body (and DevTools reports a response to extensions only once it has been read).
    await r.text().catch(() => undefined);
    return r.status;
  } catch (e) {
    return `network error (${e.message})`;
  }
}

async function token(kind = 'valid') {
  const r = await fetch(url('sso.test', `/token?kind=${kind}`), { cache: 'no-store' });
  return (await r.json()).access_token;
}

const bearer = (t) => ({ Authorization: `Bearer ${t}` });

/** The ID token the issuer returns beside the access token. */
async function idToken() {
  const r = await fetch(url('sso.test', '/token'), { cache: 'no-store' });
  return (await r.json()).id_token;
}

/** Leave for another page; the scenario continues there (see continuations). */
function navigate(target) {
  location.href = target;
  return new Promise(() => undefined);
}

const runners = {
  'missing-credentials': () => call(api('/s/bearer/me')),
  'credentials-wrong-place': async () => call(api('/s/bearer/me'), { headers: { 'X-Auth-Token': await token() } }),
  'auth-dropped-on-redirect': async () => call(api('/s/redirect/me'), { headers: bearer(await token()) }),
  'credentials-not-included': async () => {
    await call(url('api.app.test', '/s/session/login?cookie=sid_app&samesite=Lax'), { method: 'POST', credentials: 'include' });
    // The default credentials mode ("same-origin") sends no cookies to another origin.
    return call(url('api.app.test', '/s/session/me?cookie=sid_app'));
  },
  'cookie-blocked-strict': () =>
    navigate(api(`/s/session/login?cookie=sid_strict&samesite=Strict&next=${encodeURIComponent(url('app.test', '/#continue=cookie-blocked-strict'))}`)),
  'third-party-cookies': () =>
    navigate(api(`/s/session/login?cookie=sid_3p&samesite=None&next=${encodeURIComponent(url('app.test', '/#continue=third-party-cookies'))}`)),
  'cookie-blocked-lax': () =>
    navigate(api(`/s/session/login?cookie=sid_lax&samesite=Lax&next=${encodeURIComponent(url('app.test', '/#continue=cookie-blocked-lax'))}`)),
  'cookie-blocked-secure': async () => {
    await call(url('app.test', '/s/session/login?cookie=sid_secure'), { method: 'POST' });
    return navigate(url('app.test', '/#continue=cookie-blocked-secure', 'http'));
  },
  'session-cookie-expired': async () => {
    await call(here('/s/session/login?cookie=sid_short&maxAge=2'), { method: 'POST' });
    await wait(3200);
    return call(here('/s/session/me?cookie=sid_short'));
  },
  'session-cookie-missing': async () => {
    await call(here('/s/session/login?cookie=sid_out'), { method: 'POST' });
    await call(here('/s/session/me?cookie=sid_out'));
    await call(here('/s/session/logout?cookie=sid_out'), { method: 'POST' });
    return call(here('/s/session/me?cookie=sid_out'));
  },
  'preflight-unauthenticated': async () => call(api('/s/preflight-401/me'), { headers: bearer(await token()) }),
  'placeholder-token': () => call(api('/s/bearer/me'), { headers: { Authorization: 'Bearer undefined' } }),
  'scheme-missing': async () => call(api('/s/bearer/me'), { headers: { Authorization: await token() } }),
  'cookie-out-of-scope-host': async () => {
    // A host-only cookie of app.test (no Domain attribute) never reaches api.app.test.
    await call(here('/s/session/login?cookie=sid_host'), { method: 'POST' });
    return call(url('api.app.test', '/s/session/me?cookie=sid_host'), { credentials: 'include' });
  },
  'cookie-out-of-scope-path': async () => {
    // A cookie with Path=/app never reaches /s/session/me.
    await call(here('/s/session/login?cookie=sid_path&path=/app'), { method: 'POST' });
    return call(here('/s/session/me?cookie=sid_path'));
  },
  'cors-hidden-401': () => call(api('/s/cors-hidden/me')),
  'body-only': () => call(api('/s/body/me'), { headers: bearer(`lab-opaque-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`) }),
  'double-prefix': async () => call(api('/s/bearer/me'), { headers: bearer(`Bearer ${await token()}`) }),
  'malformed-token': async () => call(api('/s/bearer/me'), { headers: { Authorization: `Bearer "${await token()}"` } }),
  'basic-malformed': () => call(api('/s/basic/me'), { headers: { Authorization: 'Basic not*base64!' } }),
  'scheme-mismatch': () => call(api('/s/bearer/me'), { headers: { Authorization: `Basic ${btoa('alice:wonderland')}` } }),
  'token-expired': async () => call(api('/s/bearer/me'), { headers: bearer(await token('expired')) }),
  'token-not-yet-valid': async () => call(api('/s/bearer/me'), { headers: bearer(await token('not-yet-valid')) }),
  'token-wrong-audience': async () => call(api('/s/bearer/me'), { headers: bearer(await token('wrong-audience')) }),
  'id-token-as-access-token': async () => call(api('/s/bearer/me'), { headers: bearer(await idToken()) }),
  'token-replaced': async () => {
    // The app's token worked; a "refresh" then stored one that had already expired.
    await call(api('/s/bearer/me'), { headers: bearer(await token()) });
    return call(api('/s/bearer/me'), { headers: bearer(await token('expired')) });
  },
  'token-revoked': async () => {
    const t = await token();
    await call(api('/s/bearer/me'), { headers: bearer(t) });
    await call(api('/s/bearer/revoke'), { method: 'POST', headers: bearer(t) });
    return call(api('/s/bearer/me'), { headers: bearer(t) });
  },
  'invalid-token': () => call(api('/s/bearer/me'), { headers: bearer(`lab-opaque-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`) }),
  'insufficient-scope': async () => call(api('/s/bearer/admin'), { headers: bearer(await token('read-only')) }),
  'invalid-request': async () => {
    const t = await token();
    return call(api(`/s/bearer/me?access_token=${t}`), { headers: bearer(t) });
  },
  'wrong-credentials': () => call(api('/s/basic/me'), { headers: { Authorization: `Basic ${btoa('alice:not-the-password')}` } }),
  'digest-stale-nonce': () =>
    call(api('/s/digest/me'), {
      headers: {
        Authorization:
          'Digest username="alice", realm="lab-digest", nonce="n0-expired", uri="/s/digest/me", algorithm=SHA-256, qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1f3a1b9c2f1f3a1b9c2f1f3a1b9c2f1f3", opaque="lab"',
      },
    }),
  'dpop-nonce-required': async () =>
    call(api('/s/dpop/me'), {
      headers: {
        Authorization: `DPoP ${await token('dpop-bound')}`,
        DPoP: 'eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2In0.eyJodG0iOiJHRVQiLCJodHUiOiJodHRwczovL2FwaS50ZXN0L3MvZHBvcC9tZSIsImlhdCI6MTcwMDAwMDAwMH0.c2ln',
      },
    }),
  'dpop-scheme-mismatch': async () => call(api('/s/dpop-only/me'), { headers: bearer(await token('dpop-bound')) }),
  'negotiate-required': () => call(api('/s/negotiate/me')),
  'missing-challenge': async () => call(api('/s/nochallenge/me'), { headers: bearer(await token()) }),
  'proxy-auth-required': () => call('http://proxied.test/s/proxy/me'),
  'ip-restricted': async () => call(api('/s/ip/admin'), { headers: bearer(await token()) }),
  forbidden: async () => call(api('/s/forbidden'), { headers: bearer(await token()) }),
};

/** Second steps of scenarios that cross a navigation. */
const continuations = {
  'cookie-blocked-strict': () => call(api('/s/session/me?cookie=sid_strict'), { credentials: 'include' }),
  'cookie-blocked-lax': () => call(api('/s/session/me?cookie=sid_lax'), { credentials: 'include' }),
  'third-party-cookies': () => call(api('/s/session/me?cookie=sid_3p'), { credentials: 'include' }),
  'cookie-blocked-secure': () => call(url('app.test', '/s/session/me?cookie=sid_secure', 'http')),
};

const lab = {
  /** The id of the last scenario that finished, and what its failing call returned. */
  done: null,
  results: {},
  scenarios: cfg.scenarios,
  async run(id) {
    const s = cfg.scenarios.find((x) => x.id === id);
    if (!s) throw new Error(`no scenario ${id}`);
    if (s.origin === 'http' && cfg.scheme !== 'http') return navigate(url('app.test', `/#continue=${id}`, 'http'));
    show(id, 'running…');
    const status = await runners[id]();
    finish(id, status);
    return status;
  },
  /**
   * Many failures at once (robustness and benchmarks), `concurrency` in flight at a time:
   * thousands of simultaneous fetches exhaust the renderer's request slots (net::ERR_INSUFFICIENT_RESOURCES)
   * with or without any extension.
   */
  async burst(n, path = '/s/burst', concurrency = 64) {
    const out = new Array(n);
    let next = 0;
    const worker = async () => {
      while (next < n) {
        const i = next++;
        out[i] = await call(api(`${path}?i=${i}`));
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
    return out;
  },
  call,
  token,
  url,
};
window.lab = lab;

function show(id, text) {
  const out = document.querySelector(`output[data-result="${CSS.escape(id)}"]`);
  if (out) out.textContent = text;
}

function finish(id, status) {
  lab.results[id] = status;
  lab.done = id;
  show(id, `→ ${status}. Now look at the Why 401 panel, badge or popup.`);
}

document.addEventListener('click', (e) => {
  const button = e.target.closest('button[data-run]');
  if (button) void lab.run(button.dataset.run);
});

// A scenario that crossed a navigation continues here.
const hash = new URLSearchParams(location.hash.slice(1));
const next = hash.get('continue');
if (next) {
  history.replaceState(null, '', location.pathname);
  const step = continuations[next] ?? runners[next];
  if (step) {
    show(next, 'running…');
    void step().then((status) => finish(next, status));
  }
}
