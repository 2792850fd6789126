// The lab's sign-in client: an authorization-code flow with PKCE against the lab's OpenID Connect
// provider (idp.test), written with oauth4webapi as a single-page app would. `?variant=` picks a
// way the app gets it wrong; `window.oidcDone` says how it ended.
import * as oauth from '/s/oidc/oauth4webapi.js';

const config = JSON.parse(document.getElementById('config').textContent);
const issuer = new URL(config.issuer);
const client = { client_id: config.client };
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
  url.search = new URLSearchParams({ client_id: client.client_id, redirect_uri: redirect, response_type: 'code', scope: 'openid profile', state, nonce, code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' }).toString();
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
  const as = await discover();
  const params = oauth.validateAuthResponse(as, client, new URL(location.href), saved.state);
  const redirect = variant === 'redirect-mismatch' ? `${saved.redirect}/` : saved.redirect;
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirect, saved.verifier);
  let tokens;
  try {
    tokens = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: saved.nonce, requireIdToken: true });
  } catch (e) {
    return done(`token refused: ${e.error ?? e.message}`);
  }
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

const variant = new URLSearchParams(location.search).get('variant');
if (location.pathname === '/s/oidc/') {
  sessionStorage.clear();
  localStorage.removeItem('oidc-rounds');
  if (variant === 'login-loop') localStorage.setItem('oidc-loop', 'variant=login-loop');
  else localStorage.removeItem('oidc-loop');
  start(variant ?? 'healthy').catch((e) => done(`error: ${e.message}`));
} else {
  callback().catch((e) => done(`error: ${e.message}`));
}
