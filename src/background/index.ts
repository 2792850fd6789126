/**
 * The background entry (service worker in Chrome, event page in Firefox): it only wires things
 * up. Every listener is registered synchronously in the first turn, so that a webRequest event
 * can wake a stopped worker; state is rebuilt from storage.session when it starts again.
 */
import {
  browser,
  cookieStoreOfTab,
  createBadge,
  createCookieJar,
  extensionOrigin,
  features,
  listenWebRequest,
  localStore,
  readCookiePolicy,
  sessionStore,
  type RequestDetails,
  type Runtime,
  type WebRequestHandlers,
} from '../platform/index.ts';
import { PORT_NAME } from '../shared/protocol.ts';
import { SETTINGS_KEY, defaultSettings, validateSettings, type Settings } from '../shared/settings.ts';
import { BadgeController } from './badge.ts';
import { Capture, diagnoseOptions } from './capture.ts';
import { CookieActions } from './cookie-actions.ts';
import { CookiePolicyReader } from './cookie-policy.ts';
import { CaptureTiers } from './tiers.ts';
import { createHandlers } from './handlers.ts';
import { rejudgeAll } from './rejudge.ts';
import { routeMessage } from './router.ts';
import { TabStore } from './store.ts';
import { Subscriptions } from './subscriptions.ts';

const VERSION = typeof WHY401_VERSION === 'string' ? WHY401_VERSION : 'dev';

// ---- state ----

let settings: Settings = defaultSettings();
const local = localStore();
const session = sessionStore();
const errors: string[] = [];
/** Messages and ports refused (from outside the extension, or malformed): counted for diagnostics. */
let rejected = 0;
const reject = () => void rejected++;

const store = new TabStore(session, () => ({ perTab: settings.perTabCap, total: settings.totalCap }), (e) => subscriptions.broadcast(e));
const subscriptions = new Subscriptions(store, reject, (tabId, followed) => tiers.inspect(tabId, followed));
const badge = new BadgeController(createBadge(), (tabId) => (store.has(tabId) ? store.meta(tabId) : undefined), () => settings.badgeAlert);
const jar = createCookieJar();
const cookieActions = new CookieActions(jar, session);
const cookiePolicy = new CookiePolicyReader(readCookiePolicy);
const capture = new Capture({
  store,
  jar,
  badge,
  settings: () => settings,
  storeOfTab: cookieStoreOfTab,
  cookiePolicy: (storeId) => cookiePolicy.forStore(storeId),
  onFailure: (tabId, url) => {
    void notify(tabId);
    // Its origin gets full evidence from now on (kept across a worker restart).
    const before = tiers.failingOrigins().length;
    tiers.failed(url);
    if (tiers.failingOrigins().length !== before) void session.set({ [FULL_ORIGINS_KEY]: tiers.failingOrigins() }).catch(() => undefined);
  },
});
browser.permissions.onAdded?.addListener(() => cookiePolicy.forget());
browser.permissions.onRemoved?.addListener(() => cookiePolicy.forget());

// Events that arrive before the stored state is loaded wait for it, in order.
let ready = false;
const queued: [(d: RequestDetails) => void, RequestDetails][] = [];
function gate(live: WebRequestHandlers): WebRequestHandlers {
  const wrap = (fn: (d: RequestDetails) => void) => (d: RequestDetails) => {
    if (ready) fn(d);
    else if (queued.length < 5000) queued.push([fn, d]);
  };
  return { onSendHeaders: wrap(live.onSendHeaders), onHeadersReceived: wrap(live.onHeadersReceived), onBeforeRedirect: wrap(live.onBeforeRedirect) };
}

// Two tiers (background/tiers.ts): everything lightly, failing origins and inspected tabs in full.
const tiers = new CaptureTiers(listenWebRequest, (tier) => gate(capture.handlers(tier)), features.extraHeaders);
let types = `${settings.resourceTypes.join(',')}|${settings.captureInFull}`;
tiers.start(settings.resourceTypes, settings.captureInFull);
const FULL_ORIGINS_KEY = 'why401.fullOrigins';
void session.get([FULL_ORIGINS_KEY]).then((items) => {
  const saved = items[FULL_ORIGINS_KEY];
  if (Array.isArray(saved)) tiers.restore(saved.filter((x): x is string => typeof x === 'string'));
}, () => undefined);

const settingsLoaded = local
  .get([SETTINGS_KEY])
  .then((items) => {
    applySettings(validateSettings(items[SETTINGS_KEY]));
  })
  .catch(() => undefined);

function applySettings(next: Settings): void {
  const before = settings;
  settings = next;
  if (next.clockSkewSeconds !== before.clockSkewSeconds && ready) {
    rejudgeAll(store, diagnoseOptions(next), `because the clock-skew tolerance changed to ${next.clockSkewSeconds} s`);
  }
  const nextTypes = `${next.resourceTypes.join(',')}|${next.captureInFull}`;
  if (nextTypes !== types) {
    types = nextTypes;
    tiers.start(next.resourceTypes, next.captureInFull);
  }
}

async function saveSettings(next: Settings): Promise<void> {
  applySettings(next);
  await local.set({ [SETTINGS_KEY]: next });
}

void Promise.all([store.ready, settingsLoaded]).then(async () => {
  ready = true;
  for (const [fn, d] of queued.splice(0)) fn(d);
  // A restarted worker re-shows every badge; tabs closed meanwhile are forgotten.
  for (const tabId of store.tabIds()) {
    try {
      await browser.tabs.get(tabId);
      await badge.reapply(tabId);
    } catch {
      store.removeTab(tabId);
    }
  }
});

// ---- tabs ----

browser.tabs.onRemoved.addListener((tabId) => {
  void store.ready.then(() => {
    store.removeTab(tabId);
    badge.forget(tabId);
  });
  void cookieActions.forgetTab(tabId);
});

// Firefox resets tab badges on navigation: show the count again.
browser.tabs.onUpdated.addListener((tabId, change) => {
  if (change.status === 'loading' || change.url !== undefined) void store.ready.then(() => badge.reapply(tabId));
});

browser.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && changes[SETTINGS_KEY]) applySettings(validateSettings(changes[SETTINGS_KEY].newValue));
});

// ---- messages: only the extension's own pages ----

const handlers = createHandlers({
  store,
  judgeOptions: () => diagnoseOptions(settings),
  storeOfTab: cookieStoreOfTab,
  cookiePolicy: (storeId) => {
    cookiePolicy.forget();
    return cookiePolicy.forStore(storeId);
  },
  expectRerun: (tabId, url, method) => capture.expectRerun(tabId, url, method),
  badge,
  cookies: cookieActions,
  settings: () => settings,
  saveSettings,
  version: VERSION,
  diagnostics: () => ({
    version: VERSION,
    errors: [...errors],
    writeErrors: [...store.writeErrors],
    pendingRequests: capture.pendingCount,
    records: store.size,
    tabs: store.tabIds().length,
    extraHeaders: features.extraHeaders,
    fullCapture: tiers.scope(),
    rejected,
  }),
});

function fromOwnPage(sender: Runtime.MessageSender | undefined): boolean {
  return sender?.id === browser.runtime.id && typeof sender.url === 'string' && sender.url.startsWith(extensionOrigin());
}

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) =>
  routeMessage(message, sender, { fromOwnPage, onRejected: reject, handle: (r) => (handlers[r.type] as (x: typeof r) => Promise<unknown>)(r) }),
);

browser.runtime.onConnect.addListener((port) => {
  if (port.name !== PORT_NAME || !fromOwnPage(port.sender)) {
    reject();
    port.disconnect();
    return;
  }
  subscriptions.attach(port);
});

// Write what is pending before the event page / worker is unloaded.
browser.runtime.onSuspend?.addListener(() => void store.flush());

// ---- optional system notifications (off unless the user turns them on) ----

async function notify(tabId: number): Promise<void> {
  if (!settings.notifications) return;
  const notifications = (browser as unknown as { notifications?: { create(o: Record<string, unknown>): Promise<string> } }).notifications;
  const latest = store.meta(tabId).latest;
  if (!notifications || !latest) return;
  try {
    await notifications.create({ type: 'basic', iconUrl: browser.runtime.getURL('icons/icon-128.png'), title: 'Why 401', message: latest.plain.slice(0, 200) });
  } catch {
    // Permission not granted: nothing to show.
  }
}

// Uncaught errors are kept (bounded) for diagnostics and for the browser tests' "no errors" checks.
// (Declared before the handlers that report them.)
const keepError = (text: string) => {
  errors.push(text.slice(0, 500));
  if (errors.length > 50) errors.shift();
};
globalThis.addEventListener?.('error', (e: Event) => keepError(String((e as ErrorEvent).message ?? e)));
globalThis.addEventListener?.('unhandledrejection', (e: Event) => keepError(`unhandled rejection: ${String((e as PromiseRejectionEvent).reason)}`));

// For tests and diagnostics in the worker's console.
(globalThis as Record<string, unknown>)['why401'] = { store, capture, settings: () => settings, version: VERSION, errors, writeErrors: store.writeErrors };
