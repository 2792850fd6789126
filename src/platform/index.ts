/**
 * The only home of webextension-polyfill and of browser feature detection (DESIGN.md, How the code is written;
 * "src/platform/"). Everything else reaches the browser through the small adapters here, so
 * background modules can be tested with in-memory fakes.
 *
 * The polyfill is a no-op where the browser already has a promise-based `browser` namespace
 * (Firefox, Chrome 152+).
 */
import { browser, features } from './browser.ts';
import { cookieIdentity, cookiePolicyFrom } from '../core/cookies/cookies.ts';
import type { CookiePolicy, JarCookie } from '../core/exchange/har-types.ts';
import { parseUrl, registrableDomain } from '../core/cookies/site.ts';
import { isDiscoveryUrl, isTokenForm } from '../core/flows/step.ts';

export { browser, features };
export type { Browser, Runtime, Tabs } from './browser.ts';

// ---- webRequest ----

export { headerText, type Badge, type CookieJar, type KeyValueStore, type RequestDetails, type WebRequestHandlers, type WebRequestHeader } from './types.ts';
import type { Badge, CookieJar, KeyValueStore, RequestDetails, WebRequestHandlers } from './types.ts';

type Listener = (d: RequestDetails) => void;
interface WebRequestEvent {
  addListener(cb: Listener, filter: { urls: string[]; types?: string[] }, extra?: string[]): void;
  removeListener(cb: Listener): void;
}

/** Which requests a set of listeners hears, and whether it sees every header. */
export interface ListenScope {
  /** Match patterns (`https://api.example.com/*`); every URL when absent. */
  urls?: string[];
  /** One tab only (the inspected one). */
  tabId?: number;
  /**
   * Chrome's `extraHeaders`: Cookie, Set-Cookie (and a few more) are visible only with it, and it
   * costs the most per request. Ignored where the browser shows every header anyway (Firefox).
   */
  extraHeaders: boolean;
}

/**
 * Register the capture's webRequest listeners, synchronously (they must exist in the first turn
 * of the service worker to wake it). Returns a function that removes them.
 */
export function listenWebRequest(handlers: WebRequestHandlers, types: readonly string[], scope: ListenScope = { extraHeaders: true }): () => void {
  const wr = browser.webRequest as unknown as Record<string, WebRequestEvent>;
  const filter: { urls: string[]; types?: string[]; tabId?: number } = { urls: scope.urls ?? ['<all_urls>'], types: [...types] };
  if (scope.tabId !== undefined) filter.tabId = scope.tabId;
  const extra = features.extraHeaders && scope.extraHeaders ? ['extraHeaders'] : [];
  const registered: [WebRequestEvent, Listener][] = [];
  const add = (name: string, cb: Listener, options: string[]) => {
    const event = wr[name];
    if (!event) return;
    // Keep the bound listener so it can be removed.
    const listener: Listener = (d) => cb(d);
    // Firefox rejects an extraInfoSpec on events that take none (onErrorOccurred, onCompleted).
    if (options.length > 0) event.addListener(listener, filter, options);
    else event.addListener(listener, filter);
    registered.push([event, listener]);
  };
  // Only what the product needs (every event is a message to the worker, for every request):
  // the headers as sent, the response's headers, and redirects. Measured side by side (npm run
  // bench), a requestBody listener and completion/error listeners cost more than they gave:
  // pending state is freed when the response arrives, or swept by age; request bodies for
  // re-runs come from DevTools when the panel is open.
  add('onSendHeaders', handlers.onSendHeaders, ['requestHeaders', ...extra]);
  add('onHeadersReceived', handlers.onHeadersReceived, ['responseHeaders', ...extra]);
  add('onBeforeRedirect', handlers.onBeforeRedirect, []);
  return () => {
    for (const [event, listener] of registered) event.removeListener(listener);
  };
}

/** A token request's form body, as the sign-in flows read it (core/flows). */
export interface TokenBody {
  requestId: string;
  tabId: number;
  /** When the request started (ms): a refresh's time in flight is what tells a storm. */
  at: number;
  /** The form, URL-encoded; at most 8 KiB. Absent for a discovery document (a GET: its answer is what counts). */
  form?: string;
  /** The answer's body follows (`onAnswer`): the browser lets the extension read it (Firefox's response filter). */
  answerFollows: boolean;
}

/** A token request's answer body (Firefox only), or undefined when it could not be read (too large, not text, failed). */
export interface TokenAnswer {
  requestId: string;
  text: string | undefined;
}

/** The largest token answer read (no provider answers more; a larger one is passed on unread). */
const MAX_TOKEN_ANSWER = 65_536;

interface StreamFilter {
  ondata: ((e: { data: ArrayBuffer }) => void) | null;
  onstop: (() => void) | null;
  onerror: (() => void) | null;
  write(data: ArrayBuffer): void;
  close(): void;
  disconnect(): void;
}

/**
 * Read a token answer as it passes (Firefox's webRequest.filterResponseData): every byte is
 * written on to the page unchanged, a copy of at most 64 KiB is decoded once the answer ends, and
 * the filter lets go of the stream past that size. Where the browser has no response filter
 * (Chrome), undefined: the answer is read only from DevTools' log.
 */
function readAnswer(requestId: string, onAnswer: (a: TokenAnswer) => void): boolean {
  const filterOf = (browser.webRequest as unknown as { filterResponseData?: (id: string) => StreamFilter }).filterResponseData;
  if (typeof filterOf !== 'function') return false;
  let filter: StreamFilter;
  try {
    filter = filterOf(requestId);
  } catch {
    return false;
  }
  const chunks: ArrayBuffer[] = [];
  let size = 0;
  let done = false;
  const finish = (text: string | undefined) => {
    if (done) return;
    done = true;
    onAnswer({ requestId, text });
  };
  filter.ondata = (e) => {
    filter.write(e.data);
    size += e.data.byteLength;
    if (size > MAX_TOKEN_ANSWER) {
      filter.disconnect();
      finish(undefined);
      return;
    }
    chunks.push(e.data);
  };
  filter.onstop = () => {
    filter.close();
    if (done) return;
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) {
      bytes.set(new Uint8Array(c), at);
      at += c.byteLength;
    }
    let text: string | undefined;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      text = undefined;
    }
    finish(text);
  };
  filter.onerror = () => finish(undefined);
  return true;
}

/** OpenID Connect Discovery §4 and RFC 8414 §3: where a provider's metadata (its issuer, its endpoints) is fetched. */
const DISCOVERY_URLS = ['*://*/*.well-known/openid-configuration*', '*://*/*.well-known/oauth-authorization-server*'];

/**
 * The form bodies of requests to token endpoints (RFC 6749 §3.2: `…/token`, `…/oauth2/v2.0/token`,
 * `…/protocol/openid-connect/token`): a requestBody listener filtered to URLs whose path names a
 * token, so no other request is read (its cost on pages: `npm run bench -- signin`); in Firefox, their answers too (`onAnswer`: what was
 * issued, or the provider's error), and the answers of discovery documents (the issuer the ID
 * token's is compared with). Registered synchronously, like the capture's.
 */
export function listenTokenBodies(cb: (b: TokenBody) => void, onAnswer: (a: TokenAnswer) => void = () => undefined): () => void {
  const event = (browser.webRequest as unknown as Record<string, WebRequestEvent>)['onBeforeRequest'];
  if (!event) return () => undefined;
  const listener = (d: RequestDetails & { requestBody?: { formData?: Record<string, string[]>; raw?: { bytes?: ArrayBuffer }[] } }) => {
    if (d.tabId < 0) return;
    // A discovery document (Firefox: its answer is read as it passes): the issuer and endpoints the issuer check compares.
    if (d.method === 'GET' && isDiscoveryUrl(d.url)) {
      if (features.responseFilter && readAnswer(d.requestId, onAnswer)) cb({ requestId: d.requestId, tabId: d.tabId, at: d.timeStamp, answerFollows: true });
      return;
    }
    if (d.method !== 'POST' || !d.requestBody) return;
    let form: string | undefined;
    if (d.requestBody.formData) {
      const p = new URLSearchParams();
      for (const [name, values] of Object.entries(d.requestBody.formData)) for (const v of values) p.append(name, v);
      form = p.toString();
    } else {
      const bytes = d.requestBody.raw?.[0]?.bytes;
      if (bytes && bytes.byteLength <= 8192) {
        try {
          form = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          form = undefined;
        }
      }
    }
    if (form === undefined || form.length > 8192 || !isTokenForm(form)) return;
    const answerFollows = features.responseFilter && readAnswer(d.requestId, onAnswer);
    cb({ requestId: d.requestId, tabId: d.tabId, at: d.timeStamp, form, answerFollows });
  };
  // Firefox reads the answer with a response filter, which a blocking listener may create (it
  // blocks nothing: it returns at once, with no decision).
  // Where answers can be read (Firefox), discovery documents too (DISCOVERY_URLS).
  const urls = ['*://*/*token*', '*://*/*Token*', ...(features.responseFilter ? DISCOVERY_URLS : [])];
  event.addListener(listener as Listener, { urls, types: ['xmlhttprequest'] }, features.responseFilter ? ['requestBody', 'blocking'] : ['requestBody']);
  return () => event.removeListener(listener as Listener);
}

// ---- cookies ----

type RawCookie = JarCookie;

function toJar(c: RawCookie): JarCookie {
  const out: JarCookie = {
    name: c.name,
    value: c.value,
    domain: c.domain,
    hostOnly: c.hostOnly,
    path: c.path,
    secure: c.secure,
    httpOnly: c.httpOnly,
    sameSite: c.sameSite ?? 'unspecified',
    session: c.session,
  };
  if (c.expirationDate !== undefined) out.expirationDate = c.expirationDate;
  if (c.storeId !== undefined) out.storeId = c.storeId;
  if (c.partitionKey && (c.partitionKey.topLevelSite !== undefined || c.partitionKey.hasCrossSiteAncestor !== undefined)) {
    out.partitionKey = { ...c.partitionKey };
  }
  // Firefox: '' when the cookie is not isolated; kept when it is, so remove/set address it.
  if (typeof c.firstPartyDomain === 'string' && c.firstPartyDomain !== '') out.firstPartyDomain = c.firstPartyDomain;
  return out;
}

/** The URL a cookie belongs to, as the cookies API wants it for remove() and set(). */
export function cookieUrl(c: JarCookie): string {
  const host = c.domain.replace(/^\./, '');
  return `${c.secure ? 'https' : 'http'}://${host}${c.path || '/'}`;
}

export function createCookieJar(): CookieJar {
  const api = browser.cookies;
  // A burst of failures on one site reads the jar once: a site's cookie list is cached for a
  // moment and dropped as soon as any of its cookies changes.
  const cache = new Map<string, { at: number; list: Promise<JarCookie[]> }>();
  const changed = (change: { cookie: { domain: string } }) => {
    const site = registrableDomain(change.cookie.domain.replace(/^\./, ''));
    for (const key of cache.keys()) if (key.endsWith(`|${site}`)) cache.delete(key);
  };
  // Firefox with first-party isolation lists cookies only when asked with firstPartyDomain
  // (null: every first party); Chrome rejects the unknown property. Learned on the first call.
  let firstParty: boolean | undefined;
  const getAll = async (details: Record<string, unknown>): Promise<RawCookie[]> => {
    if (firstParty !== false) {
      try {
        const list = (await api.getAll({ ...details, firstPartyDomain: null } as never)) as unknown as RawCookie[];
        firstParty = true;
        return list;
      } catch (e) {
        if (firstParty === true) return [];
        if (!/firstPartyDomain|unexpected property/i.test(String((e as Error)?.message ?? e))) return [];
        firstParty = false;
      }
    }
    try {
      return (await api.getAll(details as never)) as unknown as RawCookie[];
    } catch {
      return [];
    }
  };
  const dedupe = (lists: RawCookie[][]): JarCookie[] => {
    const seen = new Map<string, JarCookie>();
    for (const list of lists) for (const c of list) seen.set(cookieIdentity(toJar(c)), toJar(c));
    return [...seen.values()];
  };
  return {
    followChanges(on) {
      if (on && !api.onChanged.hasListener(changed)) api.onChanged.addListener(changed);
      if (!on) {
        api.onChanged.removeListener(changed);
        cache.clear();
      }
    },
    async forUrl(url, storeId, topLevelSite) {
      // Not getAll({url}): it leaves out the cookies the browser would not send (a Secure cookie
      // on an http URL, a host-only cookie of a sibling host, another Path), and those are
      // exactly the ones the diagnosis needs. Every cookie of the registrable domain; the core
      // keeps what matters (core/cookies/cookies.ts jarForRecord).
      const u = parseUrl(url);
      if (!u) return [];
      const host = u.hostname.toLowerCase();
      const site = registrableDomain(host);
      const key = `${storeId ?? ''}|${topLevelSite ?? ''}|${site}`;
      let hit = cache.get(key);
      if (!hit || Date.now() - hit.at > 2000) {
        const base: Record<string, unknown> = { domain: site };
        if (storeId) base['storeId'] = storeId;
        // Unpartitioned cookies, then partitioned ones: Chrome returns those only when asked with
        // a partitionKey ({} = every partition); Firefox accepts the same shape.
        hit = { at: Date.now(), list: Promise.all([getAll(base), getAll({ ...base, partitionKey: topLevelSite ? { topLevelSite } : {} })]).then(dedupe) };
        cache.set(key, hit);
        if (cache.size > 200) cache.delete(cache.keys().next().value!);
      }
      return [...(await hit.list)];
    },
    async forDomain(domain, storeId) {
      const base: Record<string, unknown> = { domain };
      if (storeId) base['storeId'] = storeId;
      return dedupe(await Promise.all([getAll(base), getAll({ ...base, partitionKey: {} })]));
    },
    async remove(cookie) {
      const details: Record<string, unknown> = { url: cookieUrl(cookie), name: cookie.name };
      if (cookie.storeId) details['storeId'] = cookie.storeId;
      if (cookie.partitionKey) details['partitionKey'] = cookie.partitionKey;
      if (cookie.firstPartyDomain) details['firstPartyDomain'] = cookie.firstPartyDomain;
      try {
        return (await api.remove(details as never)) !== null;
      } catch {
        return false;
      }
    },
    async restore(cookie) {
      const details: Record<string, unknown> = {
        url: cookieUrl(cookie),
        name: cookie.name,
        value: cookie.value,
        path: cookie.path,
        secure: cookie.secure,
        httpOnly: cookie.httpOnly,
        sameSite: cookie.sameSite,
      };
      // A host-only cookie is restored by leaving out the domain.
      if (!cookie.hostOnly) details['domain'] = cookie.domain;
      if (!cookie.session && cookie.expirationDate !== undefined) details['expirationDate'] = cookie.expirationDate;
      if (cookie.storeId) details['storeId'] = cookie.storeId;
      if (cookie.partitionKey) details['partitionKey'] = cookie.partitionKey;
      if (cookie.firstPartyDomain) details['firstPartyDomain'] = cookie.firstPartyDomain;
      try {
        return (await api.set(details as never)) !== null;
      } catch {
        return false;
      }
    },
  };
}

// ---- storage ----

function keyValue(area: typeof browser.storage.local): KeyValueStore {
  return {
    get: (keys) => area.get(keys) as Promise<Record<string, unknown>>,
    set: (items) => area.set(items),
    remove: (keys) => area.remove(keys),
  };
}

/** storage.session: in memory, cleared when the browser closes; captured data lives only here. */
export function sessionStore(): KeyValueStore {
  return keyValue(browser.storage.session);
}

/** storage.local: settings, the install's key for mask tags and its "watched once" flag, never captured data. */
export function localStore(): KeyValueStore {
  return keyValue(browser.storage.local);
}

// ---- the toolbar badge ----

export function createBadge(): Badge {
  const action = browser.action;
  return {
    async show(tabId, text, color, title) {
      const which = tabId === undefined ? {} : { tabId };
      try {
        await Promise.all([
          action.setBadgeText({ ...which, text }),
          action.setBadgeBackgroundColor({ ...which, color }),
          action.setTitle({ ...which, title }),
          // Firefox and Chrome pick a readable text colour themselves unless told; white on our colours.
          typeof action.setBadgeTextColor === 'function' ? action.setBadgeTextColor({ ...which, color: '#ffffff' }) : Promise.resolve(),
        ]);
      } catch {
        // The tab closed meanwhile: nothing to show it on.
      }
    },
  };
}

/**
 * The cookie store of a tab: a Firefox container or private window, Chrome's incognito store,
 * or the default. Undefined when the browser cannot say (the tab is gone).
 */
export async function cookieStoreOfTab(tabId: number): Promise<string | undefined> {
  if (tabId < 0) return undefined;
  try {
    for (const store of await browser.cookies.getAllCookieStores()) if (store.tabIds.includes(tabId)) return store.id;
  } catch {
    // fall through
  }
  try {
    const tab = (await browser.tabs.get(tabId)) as { cookieStoreId?: string };
    return tab.cookieStoreId;
  } catch {
    return undefined;
  }
}


interface BrowserSetting<T> {
  get(details: { incognito?: boolean }): Promise<{ value: T }>;
}
interface PrivacyWebsites {
  thirdPartyCookiesAllowed?: BrowserSetting<boolean>;
  cookieConfig?: BrowserSetting<{ behavior?: string }>;
}

/**
 * The browser's third-party-cookie setting, where the user allowed reading it (the optional
 * `privacy` permission): Chrome's privacy.websites.thirdPartyCookiesAllowed, Firefox's
 * privacy.websites.cookieConfig. Undefined when not allowed or not readable; never assumed.
 */
export async function readCookiePolicy(incognito = false): Promise<CookiePolicy | undefined> {
  try {
    if (!(await browser.permissions.contains({ permissions: ['privacy'] }))) return undefined;
    const websites = (browser as unknown as { privacy?: { websites?: PrivacyWebsites } }).privacy?.websites;
    const at = Date.now();
    if (websites?.cookieConfig) {
      const { value } = await websites.cookieConfig.get({});
      return typeof value?.behavior === 'string' ? cookiePolicyFrom({ cookieBehavior: value.behavior }, at) : undefined;
    }
    if (websites?.thirdPartyCookiesAllowed) {
      const { value } = await websites.thirdPartyCookiesAllowed.get(incognito ? { incognito: true } : {}).catch(() => websites.thirdPartyCookiesAllowed!.get({}));
      return typeof value === 'boolean' ? cookiePolicyFrom({ thirdPartyCookiesAllowed: value }, at) : undefined;
    }
  } catch {
    // not readable here: no evidence
  }
  return undefined;
}

/** The extension's own origin, for sender checks. */
export function extensionOrigin(): string {
  return browser.runtime.getURL('');
}
