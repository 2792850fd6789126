/**
 * The lab's identity provider: panva's oidc-provider (a certified OpenID Connect implementation,
 * its own rules for PKCE, redirect URIs, state, nonce and codes) at idp.test, with one public
 * client, `lab-spa`, whose redirect URIs are the lab app's sign-in pages. The user is signed in
 * and consents without a form (the interaction finishes at once), so a browser test runs a flow
 * end to end with no typing.
 */
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';

export const IDP_CLIENT = 'lab-spa';
/** The same app with short lifetimes (access token 2 s, refresh token 4 s): the token's life after sign-in in seconds. */
export const IDP_SHORT_CLIENT = 'lab-spa-short';
const SHORT = { AccessToken: 2, RefreshToken: 4 };
/** The same app, but the provider does not allow its origin to call the token endpoint from a page (CORS). */
export const IDP_NO_CORS_CLIENT = 'lab-spa-no-cors';
/** A client whose access tokens live 2 s and whose refresh tokens live a day: a storm of refreshes after the access token expired. */
export const IDP_EXPIRING_CLIENT = 'lab-spa-expiring';
/** The same app registered as a confidential client (client_secret_basic): a page cannot keep its secret. */
export const IDP_CONFIDENTIAL_CLIENT = 'lab-spa-confidential';
/** Its secret (a lab value: the secret-in-page variant ships it in the page, as apps that get this wrong do). */
export const IDP_CONFIDENTIAL_SECRET = 'lab-confidential-secret-5f0c2a9e7d41b836';
/** An older public client registered without PKCE (the provider lets it leave PKCE out): it trusts the ID token's nonce alone. */
export const IDP_NO_PKCE_CLIENT = 'lab-spa-no-pkce';

export interface Idp {
  issuer: string;
  /** Answer a request for idp.test (its body unread: the provider reads it). */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /**
   * Answer a request (a token request) as the same provider reached by its internal host: a
   * second instance whose issuer is that host, sharing the first one's store and keys — a
   * provider that builds its issuer from the request's host (Keycloak without a fixed hostname),
   * behind a proxy that forwards with its own Host.
   */
  handleInternal(req: IncomingMessage, res: ServerResponse): void;
  /** Whether an access token is one the provider issued and still valid (the lab's API asks, as an API introspects). */
  accessTokenValid(value: string): Promise<boolean>;
  /** A sign-in another browser made, stopped at its return: the callback URL with that session's code and state. */
  signInElsewhere(clientId: string, redirectUri: string, pkce: boolean): Promise<string>;
}

/**
 * A request to the lab's provider from the lab itself (as another browser or an app's server
 * would): to the lab's own port, with the provider's host name for TLS and Host.
 */
export function requestIdp(url: URL, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; location?: string; setCookie: string[]; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port: url.port, path: url.pathname + url.search, method: body === undefined ? 'GET' : 'POST', servername: url.hostname, rejectUnauthorized: false, headers: { host: url.host, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ...(res.headers.location !== undefined ? { location: res.headers.location } : {}), setCookie: res.headers['set-cookie'] ?? [], text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The provider, loaded on the first request for idp.test (a lab that runs no sign-in loads none of it). */
export async function createIdp(issuer: string, redirectUris: string[], internalIssuer = issuer.replace('//idp.test', '//idp-internal.test')): Promise<Idp> {
  const { default: OidcProvider } = (await import('oidc-provider')) as { default: typeof Provider };
  // One signing key and one store for both instances: codes, grants and sessions one writes, the
  // other reads (the library's own in-memory adapter, made once; each instance would make its own).
  const { createMemoryAdapter } = (await import('oidc-provider/lib/adapters/memory_adapter.js' as string)) as { createMemoryAdapter: () => unknown };
  const adapter = createMemoryAdapter();
  const key = { ...(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }) as Record<string, unknown>), kid: 'lab', use: 'sig', alg: 'RS256' };
  const make = (at: string) => new OidcProvider(at, {
    adapter: adapter as never,
    clients: [
      ...[IDP_CLIENT, IDP_SHORT_CLIENT, IDP_NO_CORS_CLIENT, IDP_EXPIRING_CLIENT, IDP_NO_PKCE_CLIENT].map((client_id) => ({ client_id, token_endpoint_auth_method: 'none', redirect_uris: redirectUris, grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] })),
      { client_id: IDP_CONFIDENTIAL_CLIENT, client_secret: IDP_CONFIDENTIAL_SECRET, token_endpoint_auth_method: 'client_secret_basic', redirect_uris: redirectUris, grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] },
    ],
    cookies: { keys: ['why401-lab-idp'] },
    // A signing key of its own (the provider's built-in one is for quick starts) and lifetimes set.
    jwks: { keys: [key] },
    // A public client's refresh tokens rotate (the provider's default): each refresh spends the one it sent.
    ttl: {
      AccessToken: (_ctx: unknown, _token: unknown, client: { clientId: string }) => (client.clientId === IDP_SHORT_CLIENT || client.clientId === IDP_EXPIRING_CLIENT ? SHORT.AccessToken : 3600),
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
      RefreshToken: (_ctx: unknown, _token: unknown, client: { clientId: string }) => (client.clientId === IDP_SHORT_CLIENT ? SHORT.RefreshToken : 86_400),
    },
    features: { devInteractions: { enabled: false } },
    // PKCE is required of every public client (the library's default) but the older one's.
    pkce: { required: (_ctx: unknown, client: { clientId: string; clientAuthMethod: string }) => client.clientId !== IDP_NO_PKCE_CLIENT && client.clientAuthMethod === 'none' },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx: unknown, id: string) => ({ accountId: id, claims: () => ({ sub: id, name: 'Alice' }) }),
    claims: { openid: ['sub'], profile: ['name'] },
    // The browser reaches the lab from another origin: tokens from the page's script (CORS).
    clientBasedCORS: (_ctx: unknown, _origin: string, client: { clientId: string }) => client.clientId !== IDP_NO_CORS_CLIENT,
    renderError: (ctx: { type: string; body: unknown }, out: unknown) => {
      ctx.type = 'application/json';
      ctx.body = out;
    },
  });
  const provider = make(issuer);
  const internal = make(internalIssuer);

  /**
   * A sign-in made by another browser (its own cookies): the lab signs in as alice over HTTP, as a
   * second device would, and stops where the provider sends that browser back to the app — the
   * callback URL, with that session's own code and state, not loaded.
   */
  async function signInElsewhere(clientId: string, redirectUri: string, pkce: boolean): Promise<string> {
    const cookies = new Map<string, string>();
    const get = async (url: URL) => {
      const res = await requestIdp(url, { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') });
      for (const line of res.setCookie) {
        const pair = line.split(';', 1)[0]!;
        const eq = pair.indexOf('=');
        if (/expires=Thu, 01 Jan 1970/i.test(line)) cookies.delete(pair.slice(0, eq));
        else cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
      }
      return res.location;
    };
    const random = () => randomBytes(16).toString('base64url');
    let at = new URL('/auth', issuer);
    at.search = new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, response_type: 'code', scope: 'openid profile', state: random(), nonce: random(), ...(pkce ? { code_challenge: createHash('sha256').update(random()).digest('base64url'), code_challenge_method: 'S256' } : {}) }).toString();
    for (let hop = 0; hop < 12; hop++) {
      const location = await get(at);
      if (location === undefined) break;
      if (location.startsWith(redirectUri)) return location;
      at = new URL(location, at);
    }
    throw new Error('the sign-in elsewhere did not come back to the app');
  }

  /**
   * The provider's login form, where the lab's sign-in client asks (prompt=login) with a
   * `login_hint` naming a lab scene: instead of signing in here, the tab goes on elsewhere while
   * this sign-in waits — `lab:link-from-elsewhere`, to the app's callback of a sign-in another
   * browser made (a link from an email, a shared URL); `lab:code-injected`, to this sign-in's own
   * callback with its state but another session's code (a leaked code, injected).
   */
  async function scene(hint: string, params: { client_id: string; redirect_uri: string; state?: string }, res: ServerResponse): Promise<boolean> {
    let next: string;
    if (hint === 'lab:link-from-elsewhere') {
      next = await signInElsewhere(params.client_id, params.redirect_uri, true);
    } else if (hint === 'lab:code-injected') {
      const elsewhere = new URL(await signInElsewhere(params.client_id, params.redirect_uri, false));
      elsewhere.searchParams.set('state', params.state ?? '');
      next = elsewhere.href;
    } else {
      return false;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(`<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${next.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"><title>Sign in — idp.test</title><p>Sign in to idp.test. (The lab: this tab leaves the form for ${hint === 'lab:code-injected' ? 'its own callback carrying a code from another session' : 'a sign-in link made for another session'}.)</p>`);
    return true;
  }

  /** Sign in as alice and consent to what was asked, at once (or play a lab scene at the login form). */
  async function interaction(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    const prompt = details.prompt as { name: string; details: { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> } };
    const asked = details.params as { client_id: string; redirect_uri: string; state?: string; login_hint?: string };
    if (prompt.name === 'login' && asked.login_hint?.startsWith('lab:') && (await scene(asked.login_hint, asked, res))) return;
    if (prompt.name === 'login') {
      await provider.interactionFinished(req, res, { login: { accountId: 'alice' } }, { mergeWithLastSubmission: false });
      return;
    }
    const session = details.session as { accountId: string } | undefined;
    const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId: session!.accountId, clientId: asked.client_id });
    if (prompt.details.missingOIDCScope) grant!.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant!.addOIDCClaims(prompt.details.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(prompt.details.missingResourceScopes ?? {})) grant!.addResourceScope(indicator, scopes.join(' '));
    const grantId = await grant!.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  const callback = provider.callback();
  const internalCallback = internal.callback();
  return {
    handleInternal(req, res) {
      internalCallback(req, res);
    },
    issuer,
    signInElsewhere,
    async accessTokenValid(value) {
      const token = await provider.AccessToken.find(value).catch(() => undefined);
      return token !== undefined && !token.isExpired;
    },
    handle(req, res) {
      if ((req.url ?? '').startsWith('/interaction/')) {
        interaction(req, res).catch((e: unknown) => {
          res.statusCode = 500;
          res.end(String(e));
        });
        return;
      }
      callback(req, res);
    },
  };
}
