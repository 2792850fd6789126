/**
 * The 401 lab: a real local server that fails in every way Why 401 explains. One process serves
 * several sites (app.test, api.test, api.app.test, api2.test, sso.test) over https and http on
 * 127.0.0.1 — the browser maps the names with --host-resolver-rules (Chromium) or
 * network.dns.localDomains (Firefox) — plus a small proxy that answers 407 for proxied.test, and
 * a real OpenID Connect provider at idp.test (idp.ts) with its client at app.test/s/oidc/.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { SCENARIOS } from './scenarios.ts';
import { secretShapes } from '../helpers/secret-shapes.ts';
import { createIdp, IDP_CLIENT, IDP_CONFIDENTIAL_CLIENT, IDP_CONFIDENTIAL_SECRET, IDP_EXPIRING_CLIENT, IDP_NO_CORS_CLIENT, IDP_NO_PKCE_CLIENT, IDP_SHORT_CLIENT, type Idp } from './idp.ts';

export const LAB_HOSTS = ['app.test', 'api.test', 'api.app.test', 'api2.test', 'sso.test', 'idp.test', 'proxied.test'];

export interface LabOptions {
  httpsPort?: number;
  httpPort?: number;
  proxyPort?: number;
  /** Log each request to stdout (npm start). */
  verbose?: boolean;
}

/** One exchange the lab really answered, as a browser's URL names it (the tests hold exports against these). */
export interface LabExchange {
  method: string;
  url: string;
  status: number;
}

export interface Lab {
  httpsPort: number;
  httpPort: number;
  proxyPort: number;
  url(host: string, path?: string, scheme?: 'https' | 'http'): string;
  /** Chromium flags that make the lab's sites resolve and its certificate accepted. */
  chromiumArgs(): string[];
  /**
   * The same for a browser a person uses (npm start): the certificate accepted by its key
   * (--ignore-certificate-errors-spki-list), which Chromium does not flag as an unsupported
   * command-line option the way --ignore-certificate-errors is.
   */
  chromiumUserArgs(): string[];
  /** Firefox prefs for the same. */
  firefoxPrefs(): Record<string, string | number | boolean>;
  /** The proxy auto-config script routing proxied.test to the lab proxy. */
  pac(): string;
  /** The lab's OpenID Connect provider (made on first use, as a request for idp.test makes it). */
  identityProvider(): Promise<Idp>;
  /** Server-side state the tests may inspect. */
  state: { revoked: Set<string>; sessions: Map<string, string>; requests: number; sentAt: Map<string, number>; exchanges: LabExchange[] };
  close(): Promise<void>;
}

const PUBLIC = join(import.meta.dirname, 'public');
/** The sign-in client's ways of getting a flow wrong (test/lab/public/oidc-client.js), and the healthy one. */
export const OIDC_VARIANTS: [variant: string, what: string][] = [
  ['healthy', 'signs in, calls the API with the access token'],
  ['redirect-mismatch', 'the token request sends another redirect_uri (a trailing slash)'],
  ['pkce-mismatch', 'a second sign-in stores its code verifier over the first one’s'],
  ['pkce-plain', 'an old client’s PKCE: method plain, where the provider requires S256'],
  ['callback-reload', 'the callback page reloads and redeems the code again'],
  ['state-unknown', 'while its sign-in waits at the provider’s login form, the tab follows a sign-in link made for another session (an email’s, a shared URL): its state is not the one the app stored'],
  ['nonce-mismatch', 'an older client without PKCE: its callback comes back with its own state but a code from another session (leaked, injected); the provider redeems it, and only the ID token’s nonce tells'],
  ['login-loop', 'the callback cannot read the state it stored, and starts over'],
  ['id-token-to-api', 'signs in, then calls the API with the ID token'],
  ['token-cors', 'the provider does not allow the app’s origin to call its token endpoint (CORS)'],
  ['issuer-mismatch', 'the token request goes through the app’s dev proxy, which reaches the provider by its internal host: the ID token’s iss is that host'],
  ['confidential-client', 'the app is registered as a confidential client (with a secret); the page sends none'],
  ['secret-in-page', 'the page sends the confidential client’s secret (HTTP Basic): it works, and the secret is public'],
  // After sign-in: the token's life (refresh tokens rotate; the short client's tokens live seconds).
  ['refresh-healthy', 'signs in with offline_access, refreshes, calls the API with the new token'],
  ['refresh-race', 'two refreshes at once with one refresh token (no single-flight)'],
  ['refresh-loop', 'an interceptor that refreshes on every 401 from an API that refuses every token'],
  ['refresh-storm', 'an axios interceptor without single-flight: 200 parallel calls with an expired token, each 401 starts a refresh'],
  ['refresh-schedule', 'a healthy app on 2 s access tokens: refreshes before each expires and calls the API, for 30 s (?seconds=)'],
  ['no-refresh-token', 'signs in without offline_access; the 2 s access token expires with nothing to renew it'],
  ['stale-token', 'refreshes, then keeps calling the API with the old, expired token'],
  ['refresh-expired', 'refreshes after the 4 s refresh token expired'],
  ['silent-renew', 'signs in, then renews in a hidden frame with prompt=none (the provider is a third-party site there)'],
];
/** The sign-in client's redirect URIs, registered with the identity provider. */
const OIDC_CALLBACKS = ['/s/oidc/callback', '/s/oidc/callback-alt'];

// ---- tokens: HS256 JWTs signed with a per-run secret ----

const b64url = (s: string | Buffer) => Buffer.from(s).toString('base64url');

function sign(secret: Buffer, claims: Record<string, unknown>): string {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(claims));
  const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

function verify(secret: Buffer, token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const expected = createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2]!, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    return JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

// ---- helpers ----

function cookiesOf(req: IncomingMessage): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

/** Hostile strings for the UI tests: markup that would run if it were ever parsed as HTML, and invisible characters. */
export const HOSTILE_MARKUP = '<img src=x onerror="window.__pwned=1">';
export const HOSTILE_CHALLENGE = `Bearer realm="${HOSTILE_MARKUP}\u202Egnp.exe\u200B", error="insufficient_scope", error_description="<script>window.__pwned=1</script> \u2066bidi\u2069", scope="<b>admin</b> read", resource_metadata="javascript:window.__pwned=1"`;
const HOSTILE_COOKIES = ['<img src=x onerror=window.__pwned=1>=<script>window.__pwned=1</script>', 'zw\u200Bsid=\u202Evalue'];

function cors(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  if (!origin) return;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Allow-Credentials', 'true');
  res.setHeader('Access-Control-Expose-Headers', 'WWW-Authenticate, DPoP-Nonce, Location');
  res.setHeader('Vary', 'Origin');
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}, reason?: string): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  if (!res.hasHeader('Content-Type')) res.setHeader('Content-Type', typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json');
  res.setHeader('Cache-Control', 'no-store');
  if (reason) res.statusMessage = reason;
  res.statusCode = status;
  res.end(text);
}

/**
 * A response written straight to the socket, for bytes Node's header validation refuses
 * (markup in the status line, control or UTF-8 bytes in headers). CORS and an empty body are added.
 */
/** Raw responses bypass `finish`: they report their status line to the exchange log here. */
const rawLoggers = new WeakMap<ServerResponse, (status: number) => void>();

function rawResponse(req: IncomingMessage, res: ServerResponse, lines: string[], encoding: 'utf8' | 'latin1'): void {
  const sock = res.socket as Socket | null;
  if (!sock) return;
  rawLoggers.get(res)?.(Number(/^HTTP\/\S+ (\d{3})/.exec(lines[0] ?? '')?.[1] ?? 0));
  const all = [...lines, `Access-Control-Allow-Origin: ${req.headers.origin ?? '*'}`, 'Access-Control-Allow-Credentials: true', 'Content-Length: 0', 'Connection: close', '', ''];
  sock.end(Buffer.from(all.join('\r\n'), encoding));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      if (data.length < 1 << 20) data += c;
    });
    req.on('end', () => resolve(data));
    req.on('error', () => resolve(data));
  });
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// ---- the start page ----

function startPage(lab: Lab, scheme: 'https' | 'http'): string {
  const config = {
    httpsPort: lab.httpsPort,
    httpPort: lab.httpPort,
    scheme,
    scenarios: SCENARIOS,
  };
  const rows = SCENARIOS.map(
    (s) => `<li data-id="${s.id}"${s.origin === 'http' ? ' data-origin="http"' : ''}>
  <button type="button" data-run="${s.id}">Run</button>
  <span class="title">${escapeHtml(s.title)}</span> <code class="cause">${s.cause}</code>${s.dialog ? ' <span class="note" title="The browser asks for a password: press Cancel to get the 401">sign-in dialog</span>' : ''}${s.needs403 ? ' <span class="note">turn on 403s in Why 401 settings</span>' : ''}
  <div class="how">${escapeHtml(s.how)}</div>
  <output data-result="${s.id}"></output>
</li>`,
  ).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>The 401 lab</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/lab.css">
<script id="lab-config" type="application/json">${JSON.stringify(config).replace(/</g, '\\u003c')}</script>
<script src="/lab.js" defer></script>
</head><body>
<header><h1>The 401 lab</h1>
<p>Every button makes a real request fail, in one of the ways <strong>Why 401</strong> explains. Open DevTools (F12), choose the <strong>Why 401</strong> panel, then run a scenario; or watch the toolbar badge and open the extension's popup.</p>
<p class="sites">This page: <code>${scheme}://app.test</code>. Other sites: api.test (cross-site), api.app.test (same site, another origin), api2.test, sso.test (the token issuer), idp.test (an OpenID Connect provider: sign-in flows below), proxied.test (through the lab proxy).${scheme === 'https' ? ` <a href="${lab.url('app.test', '/', 'http')}">http version</a>` : ` <a href="${lab.url('app.test', '/', 'https')}">https version</a>`}</p>
</header>
<main><ol class="scenarios">
${rows}
</ol>
<h2>Sign-in flows</h2>
<p>A real OpenID Connect provider (oidc-provider, at idp.test) and a single-page client (oauth4webapi): each link runs an authorization-code flow (with PKCE, but for the older client of <code>nonce-mismatch</code>), signed in as alice without a form (<code>state-unknown</code> and <code>nonce-mismatch</code> stop at the provider’s login form and go on elsewhere, as the list says), and from <code>refresh-healthy</code> on, the token's life after it (refresh tokens rotate; some variants wait a few seconds for a token to expire). Why 401 explains each flow: its popup names a broken one, and the panel's <strong>Sign-in flows</strong> (in its status bar) shows every step — with DevTools open it also reads the token answers, and with them the token's life after sign-in. A saved HAR reads the same with <code>why401 explain</code>.</p>
<ul class="flows">
${OIDC_VARIANTS.map(([variant, what]) => `<li><a href="/s/oidc/?variant=${variant}">${escapeHtml(variant)}</a> — ${escapeHtml(what)}</li>`).join('\n')}
</ul></main>
</body></html>`;
}

// ---- benchmark pages: (a) a burst of 500 fetches with 10% failures, (b) a typical app page
// with ~100 mixed resources and 2 failures, (c) 20 sequential API calls. Each sets
// window.__benchDone to the milliseconds from navigation start to the end of its work. ----

const BENCH_SCRIPT = `<script src="/bench/run.js"></script>`;
const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

function benchRoute(lab: Lab, path: string, req: IncomingMessage, res: ServerResponse): void {
  const page = (body: string, kind: string) =>
    send(res, 200, `<!doctype html><html><head><meta charset="utf-8"><title>bench ${kind}</title>${body}</head><body data-kind="${kind}">${BENCH_SCRIPT}</body></html>`, { 'Content-Type': 'text/html; charset=utf-8' });
  // d=ms: the latency every request of the page gets (the page passes it on).
  const d = /[?&]d=(\d+)/.exec(req.url ?? '')?.[1];
  const q = d ? `?d=${d}` : '';
  if (path === '/bench/burst.html') return page('', 'burst');
  if (path === '/bench/sequential.html') return page('', 'sequential');
  if (path === '/bench/app.html') {
    const parts: string[] = [];
    for (let i = 0; i < 30; i++) parts.push(`<script src="/bench/asset/s${i}.js${q}"></script>`);
    for (let i = 0; i < 20; i++) parts.push(`<link rel="stylesheet" href="/bench/asset/c${i}.css${q}">`);
    parts.push(`<style>${[0, 1, 2, 3].map((i) => `@font-face{font-family:b${i};src:url(/bench/asset/f${i}.woff2${q})}`).join('')}</style>`);
    const imgs = Array.from({ length: 40 }, (_, i) => `<img src="/bench/asset/i${i}.png${q}" width="1" height="1" alt="">`).join('');
    const fonts = [0, 1, 2, 3].map((i) => `<span style="font-family:b${i}">x</span>`).join('');
    return send(res, 200, `<!doctype html><html><head><meta charset="utf-8"><title>bench app</title>${parts.join('')}</head><body data-kind="app">${imgs}${fonts}${BENCH_SCRIPT}</body></html>`, { 'Content-Type': 'text/html; charset=utf-8' });
  }
  if (path === '/bench/site.html') {
    // A real site's shape: the document and its scripts from the site, a CDN (api2.test) for most
    // assets, fonts and an image sprite from another (sso.test), API calls to api.test (two
    // failing), and beacons to an analytics origin (api.app.test): ~110 requests, 5 origins.
    const at = (host: string, p: string) => `${lab.url(host, p)}${q}`;
    const parts: string[] = [];
    for (let i = 0; i < 8; i++) parts.push(`<script src="/bench/asset/s${i}.js${q}"></script>`);
    for (let i = 8; i < 28; i++) parts.push(`<script src="${at('api2.test', `/bench/asset/s${i}.js`)}"></script>`);
    for (let i = 0; i < 12; i++) parts.push(`<link rel="stylesheet" href="${at('api2.test', `/bench/asset/c${i}.css`)}">`);
    parts.push(`<style>${[0, 1, 2, 3].map((i) => `@font-face{font-family:b${i};src:url(/bench/asset/f${i}.woff2${q})}`).join('')}</style>`);
    const imgs = [
      ...Array.from({ length: 36 }, (_, i) => `<img src="${at('api2.test', `/bench/asset/i${i}.png`)}" width="1" height="1" alt="">`),
      ...Array.from({ length: 10 }, (_, i) => `<img src="${at('sso.test', `/bench/asset/i${40 + i}.png`)}" width="1" height="1" alt="">`),
      ...Array.from({ length: 6 }, (_, i) => `<img src="${at('api.app.test', `/bench/asset/i${60 + i}.png`)}" width="1" height="1" alt="">`),
    ].join('');
    const fonts = [0, 1, 2, 3].map((i) => `<span style="font-family:b${i}">x</span>`).join('');
    return send(res, 200, `<!doctype html><html><head><meta charset="utf-8"><title>bench site</title>${parts.join('')}</head><body data-kind="site" data-api="${lab.url('api.test', '')}">${imgs}${fonts}${BENCH_SCRIPT}</body></html>`, { 'Content-Type': 'text/html; charset=utf-8' });
  }
  if (path === '/bench/run.js') {
    return send(
      res,
      200,
      `(async () => {
  const kind = document.body.dataset.kind;
  const d = new URLSearchParams(location.search).get('d');
  const f = (u) => fetch(d ? u + '&d=' + d : u, { cache: 'no-store' }).then((r) => r.status, () => 0);
  if (kind === 'burst') {
    await Promise.all(Array.from({ length: 500 }, (_, i) => f(i % 10 === 0 ? '/s/burst?b=' + i : '/s/ok?b=' + i)));
  } else if (kind === 'sequential') {
    for (let i = 0; i < 20; i++) await f('/s/ok?q=' + i);
  } else if (kind === 'site') {
    await new Promise((r) => (document.readyState === 'complete' ? r() : addEventListener('load', r)));
    await document.fonts.ready;
    const api = document.body.dataset.api;
    await Promise.all(Array.from({ length: 10 }, (_, i) => f(api + (i < 2 ? '/s/burst?s=' : '/s/ok?s=') + i)));
  } else {
    await new Promise((r) => (document.readyState === 'complete' ? r() : addEventListener('load', r)));
    await document.fonts.ready;
    await Promise.all([f('/s/ok?x=1'), f('/s/ok?x=2'), f('/s/ok?x=3'), f('/s/ok?x=4'), f('/s/burst?x=5'), f('/s/burst?x=6')]);
  }
  window.__benchDone = performance.now();
})();`,
      { 'Content-Type': 'text/javascript' },
    );
  }
  const m = /^\/bench\/asset\/([scif])(\d+)\.(js|css|png|woff2)$/.exec(path);
  if (m) {
    const pad = 'x'.repeat(2000);
    if (m[1] === 's') return send(res, 200, `/* ${pad} */ window.__s${m[2]} = 1;`, { 'Content-Type': 'text/javascript', 'Cache-Control': 'no-store' });
    if (m[1] === 'c') return send(res, 200, `/* ${pad} */ .c${m[2]} { color: red }`, { 'Content-Type': 'text/css' });
    if (m[1] === 'i') {
      res.writeHead(200, { 'Content-Type': 'image/png', 'Cache-Control': 'no-store' });
      res.end(TINY_PNG);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'font/woff2', 'Cache-Control': 'no-store' });
    res.end(Buffer.alloc(4000));
    return;
  }
  send(res, 404, { error: 'no such bench page' });
  void req;
}

export async function startLab(options: LabOptions = {}): Promise<Lab> {
  const secret = randomBytes(32);
  const pems = await generate([{ name: 'commonName', value: 'app.test' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: LAB_HOSTS.map((value) => ({ type: 2, value })) }],
  });
  const state = { revoked: new Set<string>(), sessions: new Map<string, string>(), requests: 0, sentAt: new Map<string, number>(), exchanges: [] as LabExchange[] };
  const logExchange = (method: string | undefined, url: string, status: number) => {
    if (state.exchanges.length < 200_000) state.exchanges.push({ method: method ?? '', url, status });
  };
  let digestNonce = 0;
  let dpopNonce = 0;

  // The identity provider, made once the https port (part of its issuer) is known.
  let idp: Promise<Idp> | undefined;
  // Ports are filled in after listening.
  const lab: Lab = {
    httpsPort: 0,
    httpPort: 0,
    proxyPort: 0,
    url(host, path = '/', scheme = 'https') {
      return `${scheme}://${host}:${scheme === 'https' ? lab.httpsPort : lab.httpPort}${path}`;
    },
    pac() {
      return `function FindProxyForURL(url, host) { if (host === "proxied.test") return "PROXY 127.0.0.1:${lab.proxyPort}"; return "DIRECT"; }`;
    },
    chromiumArgs() {
      return [
        `--host-resolver-rules=${LAB_HOSTS.map((h) => `MAP ${h} 127.0.0.1`).join(', ')}`,
        '--ignore-certificate-errors',
        `--proxy-pac-url=data:application/x-ns-proxy-autoconfig;base64,${Buffer.from(lab.pac()).toString('base64')}`,
        // Keep http pages http (the Secure-cookie scenario needs one).
        '--disable-features=HttpsUpgrades,HttpsFirstBalancedModeAutoEnable',
      ];
    },
    chromiumUserArgs() {
      const spki = createHash('sha256').update(new X509Certificate(pems.cert).publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
      return lab.chromiumArgs().map((a) => (a === '--ignore-certificate-errors' ? `--ignore-certificate-errors-spki-list=${spki}` : a));
    },
    firefoxPrefs() {
      return {
        'network.dns.localDomains': LAB_HOSTS.join(','),
        'network.proxy.type': 2,
        'network.proxy.autoconfig_url': `data:application/x-ns-proxy-autoconfig;base64,${Buffer.from(lab.pac()).toString('base64')}`,
        'network.proxy.allow_hijacking_localhost': true,
        'dom.security.https_first': false,
        'dom.security.https_only_mode': false,
        'network.stricttransportsecurity.preloadlist': false,
      };
    },
    state,
    identityProvider: () => (idp ??= createIdp(lab.url('idp.test', ''), OIDC_CALLBACKS.map((p) => lab.url('app.test', p)))),
    close: async () => undefined,
  };

  const mint = (claims: Record<string, unknown>) => {
    const now = Math.floor(Date.now() / 1000);
    return sign(secret, { iss: lab.url('sso.test', ''), sub: 'alice', aud: lab.url('api.test', ''), iat: now, exp: now + 3600, scope: 'read', jti: randomBytes(6).toString('hex'), ...claims });
  };

  const BEARER = 'Bearer realm="lab-api"';

  /** The resource server's Bearer check (RFC 6750 §3.1). */
  function checkBearer(req: IncomingMessage, res: ServerResponse, needScope?: string): Record<string, unknown> | undefined {
    const auth = req.headers.authorization;
    const fail = (error: string, description: string, status = 401, extra = '') =>
      send(res, status, { error, error_description: description }, { 'WWW-Authenticate': `${BEARER}, error="${error}", error_description="${description}"${extra}` });
    if (!auth) {
      send(res, 401, { error: 'unauthorized' }, { 'WWW-Authenticate': BEARER });
      return undefined;
    }
    const m = /^Bearer (.*)$/i.exec(auth);
    if (!m) {
      send(res, 401, { error: 'unauthorized' }, { 'WWW-Authenticate': BEARER });
      return undefined;
    }
    const url = new URL(req.url ?? '/', 'https://x');
    if (url.searchParams.has('access_token')) {
      fail('invalid_request', 'The token was sent in more than one way', 400);
      return undefined;
    }
    const claims = verify(secret, m[1]!.trim());
    const now = Math.floor(Date.now() / 1000);
    if (!claims) return void fail('invalid_token', 'The access token is invalid');
    if (state.revoked.has(String(claims['jti']))) return void fail('invalid_token', 'The access token is invalid');
    if (typeof claims['exp'] === 'number' && claims['exp'] <= now) return void fail('invalid_token', 'The access token expired');
    if (typeof claims['nbf'] === 'number' && claims['nbf'] > now) return void fail('invalid_token', 'The access token is not valid yet');
    if (claims['aud'] !== lab.url('api.test', '')) return void fail('invalid_token', 'Invalid audience');
    if (needScope && !String(claims['scope'] ?? '').split(' ').includes(needScope)) {
      return void fail('insufficient_scope', `This call needs the ${needScope} scope`, 403, `, scope="read ${needScope}"`);
    }
    return claims;
  }

  async function route(req: IncomingMessage, res: ServerResponse, scheme: 'https' | 'http'): Promise<void> {
    state.requests++;
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    const url = new URL(req.url ?? '/', `${scheme}://${host}`);
    const path = url.pathname;
    const q = url.searchParams;
    if (options.verbose) console.log(`lab: ${req.method} ${scheme}://${host}${req.url}`);
    // Benchmark latency: what real servers add (the page and every request it makes carry d=ms).
    const delay = Number(q.get('d') ?? 0);
    if (delay > 0 && (path.startsWith('/bench/') || path === '/s/ok' || path === '/s/burst')) await new Promise((r) => setTimeout(r, Math.min(delay, 2000)));

    // CORS preflights: answered without authentication (except the scenario that shows why not to).
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      if (path.startsWith('/s/preflight-401/')) {
        send(res, 401, '', { 'WWW-Authenticate': BEARER });
        return;
      }
      cors(req, res);
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE');
      res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? '');
      res.setHeader('Access-Control-Max-Age', '0');
      res.statusCode = 204;
      res.end();
      return;
    }
    // The 401 a page's script never sees: no CORS headers on the error response.
    if (path === '/s/cors-hidden/me') {
      send(res, 401, { error: 'unauthorized' }, { 'WWW-Authenticate': BEARER });
      return;
    }
    cors(req, res);

    if (path === '/' || path === '/index.html') {
      send(res, 200, startPage(lab, scheme), { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': "default-src 'self'; connect-src *; img-src * data:; frame-src https: http:" });
      return;
    }
    // The sign-in client: a page that runs an OpenID Connect flow with oauth4webapi against idp.test.
    if (path === '/s/oidc/' || OIDC_CALLBACKS.includes(path)) {
      const config = { issuer: lab.url('idp.test', ''), client: IDP_CLIENT, shortClient: IDP_SHORT_CLIENT, expiringClient: IDP_EXPIRING_CLIENT, noCorsClient: IDP_NO_CORS_CLIENT, noPkceClient: IDP_NO_PKCE_CLIENT, confidentialClient: IDP_CONFIDENTIAL_CLIENT, confidentialSecret: IDP_CONFIDENTIAL_SECRET, api: lab.url('api.test', '/s/oidc-api/me'), billing: lab.url('api.test', '/s/oidc-api/billing') };
      send(res, 200, `<!doctype html><html><head><meta charset="utf-8"><title>Why 401 lab: sign-in</title></head><body><p><a href="/">← The 401 lab</a></p><h1>Sign-in</h1><pre id="log"></pre><script type="application/json" id="config">${JSON.stringify(config)}</script><script type="module" src="/s/oidc/client.js"></script></body></html>`, { 'Content-Type': 'text/html; charset=utf-8' });
      return;
    }
    if (path === '/s/oidc/client.js' || path === '/s/oidc/oauth4webapi.js' || path === '/s/oidc/axios.js') {
      const modules = join(import.meta.dirname, '..', '..', 'node_modules');
      const file = path.endsWith('client.js') ? join(PUBLIC, 'oidc-client.js') : path.endsWith('axios.js') ? join(modules, 'axios', 'dist', 'esm', 'axios.js') : join(modules, 'oauth4webapi', 'build', 'index.js');
      send(res, 200, readFileSync(file, 'utf8'), { 'Content-Type': 'text/javascript; charset=utf-8' });
      return;
    }
    if (path === '/lab.js' || path === '/lab.css') {
      const type = path.endsWith('.js') ? 'text/javascript' : 'text/css';
      send(res, 200, readFileSync(join(PUBLIC, path.slice(1)), 'utf8'), { 'Content-Type': `${type}; charset=utf-8` });
      return;
    }
    if (path.startsWith('/bench/')) {
      benchRoute(lab, path, req, res);
      return;
    }
    if (path === '/favicon.ico') {
      res.statusCode = 204;
      res.end();
      return;
    }

    // The token issuer.
    if (path === '/token') {
      const now = Math.floor(Date.now() / 1000);
      const kinds: Record<string, Record<string, unknown>> = {
        valid: {},
        expired: { iat: now - 7200, exp: now - 3600 },
        'not-yet-valid': { nbf: now + 600, iat: now + 600, exp: now + 4200 },
        'wrong-audience': { aud: 'https://billing.test' },
        'read-only': { scope: 'read' },
        'dpop-bound': { cnf: { jkt: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' }, token_type: 'DPoP' },
      };
      const claims = kinds[q.get('kind') ?? 'valid'];
      if (!claims) return send(res, 400, { error: 'invalid_request' });
      // With the ID token an OpenID Connect provider issues beside it (its aud is the client).
      const idToken = mint({ aud: 'lab-spa', azp: 'lab-spa', nonce: randomBytes(8).toString('hex'), at_hash: randomBytes(16).toString('base64url'), scope: undefined, jti: undefined });
      send(res, 200, { access_token: mint(claims), id_token: idToken, token_type: 'Bearer', expires_in: 3600 });
      return;
    }

    if (path.startsWith('/s/shape')) {
      // The generated secret shapes (test/helpers/secret-shapes.ts): shape i's answer, as generated
      // (the path may carry the shape's path parameters: /s/shape;name=value).
      const shape = secretShapes()[Number(q.get('i') ?? -1)];
      if (!shape) return void send(res, 404, 'no such shape');
      const r = shape.entry.response;
      const headers: Record<string, string | string[]> = { 'Content-Type': r.content.mimeType };
      for (const h of r.headers) headers[h.name] = h.name in headers && h.name !== 'Content-Type' ? [headers[h.name]!, h.value].flat() : h.value;
      send(res, r.status, r.content.text ?? '', headers);
      return;
    }
    // /s/burst/<anything>: the burst endpoint under many paths (failures that are not repeats of each other).
    switch (path.startsWith('/s/burst/') ? '/s/burst' : path) {
      case '/s/oidc-api/me':
      case '/s/oidc-api/billing': {
        // The sign-in client's APIs: they take the identity provider's access tokens (opaque), asking
        // the provider whether each is valid, and refuse an ID token (its audience is the client).
        // The billing API wants tokens for another audience: it refuses every token this client gets.
        const m = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '');
        const challenge = 'Bearer realm="lab-oidc-api"';
        if (!m) return send(res, 401, { error: 'unauthorized' }, { 'WWW-Authenticate': challenge });
        const refuse = (description: string) => send(res, 401, { error: 'invalid_token', error_description: description }, { 'WWW-Authenticate': `${challenge}, error="invalid_token", error_description="${description}"` });
        if (m[1]!.split('.').length === 3 || path.endsWith('/billing')) return refuse('Invalid audience');
        if (!(await (idp ?? Promise.reject(new Error('no provider'))).then((p) => p.accessTokenValid(m[1]!)).catch(() => false))) return refuse('The access token expired or is unknown');
        return send(res, 200, { sub: 'alice' });
      }
      case '/s/bearer/me': {
        const claims = checkBearer(req, res);
        if (claims) send(res, 200, { sub: claims['sub'] });
        return;
      }
      case '/s/bearer/admin': {
        const claims = checkBearer(req, res, 'write');
        if (claims) send(res, 200, { admin: true });
        return;
      }
      case '/s/bearer/revoke': {
        const claims = checkBearer(req, res);
        if (claims) {
          state.revoked.add(String(claims['jti']));
          send(res, 200, { revoked: true });
        }
        return;
      }
      case '/s/redirect/me':
        // A cross-origin redirect: the browser drops Authorization (Fetch standard).
        send(res, 307, '', { Location: lab.url('api2.test', '/s/bearer/me', scheme) });
        return;
      case '/s/preflight-401/me':
        send(res, 200, { ok: true });
        return;
      case '/s/basic/me': {
        const auth = req.headers.authorization ?? '';
        const m = /^Basic (.*)$/i.exec(auth);
        const decoded = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : '';
        if (decoded === 'alice:wonderland') return send(res, 200, { user: 'alice' });
        send(res, 401, { error: 'unauthorized' }, { 'WWW-Authenticate': 'Basic realm="lab-staff", charset="UTF-8"' });
        return;
      }
      case '/s/digest/me': {
        const stale = /^Digest /i.test(req.headers.authorization ?? '');
        digestNonce++;
        send(res, 401, { error: 'unauthorized' }, {
          'WWW-Authenticate': `Digest realm="lab-digest", qop="auth", algorithm=SHA-256, nonce="n${digestNonce}-${randomBytes(8).toString('hex')}", opaque="lab"${stale ? ', stale=true' : ''}`,
        });
        return;
      }
      case '/s/dpop/me': {
        dpopNonce++;
        send(res, 401, { error: 'use_dpop_nonce' }, {
          'WWW-Authenticate': 'DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"',
          'DPoP-Nonce': `lab-nonce-${dpopNonce}`,
        });
        return;
      }
      case '/s/dpop-only/me':
        send(res, 401, { error: 'unauthorized' }, { 'WWW-Authenticate': 'DPoP algs="ES256 PS256"' });
        return;
      case '/s/negotiate/me':
        send(res, 401, 'Integrated authentication required', { 'WWW-Authenticate': ['Negotiate', 'NTLM'] });
        return;
      case '/s/nochallenge/me':
        send(res, 401, { error: 'unauthorized' });
        return;
      case '/s/ip/admin':
        send(res, 401, 'Your IP address 127.0.0.1 is not on the allow-list', { 'WWW-Authenticate': 'Bearer realm="lab-admin"' }, 'Unauthorized: your IP address is not on the allow-list');
        return;
      case '/s/forbidden':
        send(res, 403, { error: 'forbidden' });
        return;
      case '/s/session/login': {
        const name = q.get('cookie') ?? 'sid';
        const id = randomBytes(12).toString('hex');
        state.sessions.set(`${name}=${id}`, 'alice');
        const cookiePath = q.get('path');
        const attrs = [`Path=${cookiePath && cookiePath.startsWith('/') ? cookiePath : '/'}`, 'HttpOnly'];
        if (scheme === 'https') attrs.push('Secure');
        const sameSite = q.get('samesite');
        if (sameSite) attrs.push(`SameSite=${sameSite}`);
        const maxAge = q.get('maxAge');
        if (maxAge) attrs.push(`Max-Age=${Number(maxAge)}`);
        // CHIPS: a cookie a cross-site frame may keep, under its top-level site.
        if (q.get('partitioned') === '1') attrs.push('Partitioned');
        const cookie = `${name}=${id}; ${attrs.join('; ')}`;
        const next = q.get('next');
        if (next) send(res, 303, '', { 'Set-Cookie': cookie, Location: next });
        else send(res, 200, { signedIn: true }, { 'Set-Cookie': cookie });
        return;
      }
      case '/s/session/me': {
        const name = q.get('cookie') ?? 'sid';
        const value = cookiesOf(req).get(name);
        if (value && state.sessions.has(`${name}=${value}`)) return send(res, 200, { user: 'alice' });
        send(res, 401, { error: 'not signed in' });
        return;
      }
      case '/s/session/logout': {
        const name = q.get('cookie') ?? 'sid';
        send(res, 200, { signedOut: true }, { 'Set-Cookie': `${name}=; Path=/; Max-Age=0${scheme === 'https' ? '; Secure' : ''}; HttpOnly` });
        return;
      }
      case '/s/body/me':
        // Says why only in its body, as a FastAPI app using PyJWT does ("Signature has expired").
        send(res, 401, { detail: 'Signature has expired' }, { 'WWW-Authenticate': BEARER });
        return;
      case '/s/burst': {
        send(res, 401, '', { 'WWW-Authenticate': BEARER });
        // When the 401 left (the benchmark's time-to-badge starts here).
        const id = q.get('i');
        if (id !== null && state.sentAt.size < 100_000) state.sentAt.set(id, Date.now());
        return;
      }
      case '/s/slow':
        // A 401 that takes its time (a re-run still in flight when its tab closes).
        setTimeout(() => send(res, 401, '', { 'WWW-Authenticate': BEARER }), Math.min(10_000, Number(q.get('ms') ?? 1000)));
        return;
      case '/s/ok':
        send(res, 200, { ok: true });
        return;
      case '/s/mixed':
        // One request in ten fails (benchmarks).
        if (Number(q.get('i') ?? 0) % 10 === 0) send(res, 401, '', { 'WWW-Authenticate': BEARER });
        else send(res, 200, { ok: true });
        return;
      case '/s/garbage/huge':
        send(res, 401, '', { 'WWW-Authenticate': `Bearer realm="${'x'.repeat(200_000)}", ${'Basic realm="a", '.repeat(500)}Negotiate` });
        return;
      case '/s/hostile/cookie':
        // Cookies whose names and values are markup and invisible characters (for the hostile-input tests).
        rawResponse(req, res, ['HTTP/1.1 200 OK', ...HOSTILE_COOKIES.map((c) => `Set-Cookie: ${c}; Path=/${scheme === 'https' ? '; Secure' : ''}`)], 'utf8');
        return;
      case '/s/hostile/me':
        // Markup, javascript: URLs and bidi/zero-width characters in every field the UI shows.
        rawResponse(
          req,
          res,
          [
            'HTTP/1.1 401 <img src=x onerror="window.__pwned=1">',
            `WWW-Authenticate: ${HOSTILE_CHALLENGE}`,
            `WWW-Authenticate: Basic realm="${'<b>x</b>'.repeat(2000)}", ${'Digest realm="r", nonce="n", '.repeat(1500)}Negotiate`,
            "X-Evil-'!#$%&*+^_`|~: <svg onload=\"window.__pwned=1\">",
            'Location: javascript:window.__pwned=1',
            'Access-Control-Expose-Headers: WWW-Authenticate, Location',
          ],
          'utf8',
        );
        return;
      case '/s/garbage/malformed':
        send(res, 401, '', { 'WWW-Authenticate': 'Bearer realm="unterminated, error=, ,,=, "\\', Authorization: 'nonsense' });
        return;
      case '/s/garbage/binary':
        // Control and high bytes in a challenge.
        rawResponse(req, res, ['HTTP/1.1 401 Unauthorized', `WWW-Authenticate: Bearer realm="\u0001\u0002\u00ff\u00fe", error="\u0007"`], 'latin1');
        return;
      default:
        send(res, 404, { error: 'not found' });
    }
  }

  const handler = (scheme: 'https' | 'http') => (req: IncomingMessage, res: ServerResponse) => {
    // What was really answered: the status line that left (raw responses write their own).
    const url = `${scheme}://${req.headers.host ?? ''}${req.url ?? '/'}`;
    res.on('finish', () => logExchange(req.method, url, res.statusCode));
    rawLoggers.set(res, (status) => logExchange(req.method, url, status));
    if (scheme === 'https' && (req.headers.host ?? '').replace(/:\d+$/, '') === 'idp.test') {
      state.requests++;
      lab.identityProvider().then(
        (provider) => provider.handle(req, res),
        (e: unknown) => send(res, 500, `the identity provider did not start: ${String(e)}`),
      );
      return;
    }
    // The app's dev proxy to the provider's token endpoint (to dodge CORS), forwarding with the
    // provider's internal host: that instance answers, its body unread here.
    const proxied = '/s/oidc/idp-proxy/';
    if (scheme === 'https' && (req.url ?? '').startsWith(proxied) && (req.headers.host ?? '').replace(/:\d+$/, '') === 'app.test') {
      state.requests++;
      req.url = `/${(req.url ?? '').slice(proxied.length)}`;
      lab.identityProvider().then(
        (provider) => provider.handleInternal(req, res),
        (e: unknown) => send(res, 500, `the identity provider did not start: ${String(e)}`),
      );
      return;
    }
    if (req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH') {
      void readBody(req).then(() => route(req, res, scheme));
    } else {
      void route(req, res, scheme);
    }
  };

  const httpsServer = https.createServer({ key: pems.private, cert: pems.cert, maxHeaderSize: 2 << 20 }, handler('https'));
  const httpServer = http.createServer({ maxHeaderSize: 2 << 20 }, handler('http'));
  // The proxy: absolute-form requests for proxied.test; 407 until Proxy-Authorization is right.
  const proxy = http.createServer((req, res) => {
    state.requests++;
    res.on('finish', () => logExchange(req.method, req.url ?? '', res.statusCode));
    const auth = req.headers['proxy-authorization'] ?? '';
    if (auth === `Basic ${Buffer.from('proxy:letmein').toString('base64')}`) {
      cors(req, res);
      send(res, 200, { proxied: true });
      return;
    }
    cors(req, res);
    send(res, 407, 'Proxy Authentication Required', { 'Proxy-Authenticate': 'Basic realm="lab-proxy"' });
  });
  proxy.on('connect', (_req, socket: Socket) => {
    socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="lab-proxy"\r\nContent-Length: 0\r\n\r\n');
  });

  const sockets = new Set<Socket>();
  for (const s of [httpsServer, httpServer, proxy]) {
    s.on('connection', (sock: Socket) => {
      sockets.add(sock);
      sock.on('close', () => sockets.delete(sock));
    });
    s.on('secureConnection', (sock: Socket) => {
      sockets.add(sock);
      sock.on('close', () => sockets.delete(sock));
    });
  }
  const listen = (s: http.Server, port: number | undefined) =>
    new Promise<number>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port ?? 0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port));
    });
  lab.httpsPort = await listen(httpsServer, options.httpsPort);
  lab.httpPort = await listen(httpServer, options.httpPort);
  lab.proxyPort = await listen(proxy, options.proxyPort);
  lab.close = () =>
    new Promise<void>((resolve) => {
      for (const sock of sockets) sock.destroy();
      let open = 3;
      const done = () => {
        if (--open === 0) resolve();
      };
      httpsServer.close(done);
      httpServer.close(done);
      proxy.close(done);
    });
  return lab;
}
