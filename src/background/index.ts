/**
 * The background entry (service worker in Chrome, event page in Firefox): it only wires things
 * up. Every listener is registered synchronously in the first turn, so that a webRequest event
 * can wake a stopped worker; state lives in its own modules (settings-state.ts, store.ts,
 * ready-gate.ts, diagnostics.ts) and is rebuilt from storage when the worker starts again.
 */
import { browser, cookieStoreOfTab, createBadge, createCookieJar, extensionOrigin, features, listenTokenBodies, listenWebRequest, localStore, readCookiePolicy, sessionStore, type Runtime } from '../platform/index.ts';
import { holdsCapture, releaseCapture, requestCapture, watchedSites, webRequestAvailable } from '../platform/watch.ts';
import { PORT_NAME } from '../shared/protocol.ts';
import { SETTINGS_KEY } from '../shared/settings.ts';
import { BadgeController } from './badge.ts';
import { Capture, diagnoseOptions, judgePending } from './capture.ts';
import { CookieActions } from './cookie-actions.ts';
import { CookiePolicyReader } from './cookie-policy.ts';
import { Diagnostics } from './diagnostics.ts';
import { FlowLog } from './flows.ts';
import { createHandlers } from './handlers.ts';
import { notifyFailure } from '../platform/notifications.ts';
import { ReadyGate } from './ready-gate.ts';
import { rejudgeAll } from './rejudge.ts';
import { routeMessage } from './router.ts';
import { SettingsState } from './settings-state.ts';
import { loadTagKey } from './tag-key.ts';
import { TabStore, type StoreEvent } from './store.ts';
import { Watch } from './watch.ts';
import { Subscriptions } from './subscriptions.ts';
import { CaptureTiers, failedOrigin, forgetFailingOrigins, restoreFailingOrigins } from './tiers.ts';
import { VERSION } from '../shared/version.ts';

// ---- state (each piece owned by its module) ----

const diagnostics = new Diagnostics();
diagnostics.listen(globalThis as unknown as Parameters<Diagnostics['listen']>[0]);
const session = sessionStore();
const settings = new SettingsState(localStore());
/** Masks are tagged with the install's key: nothing is judged before it is read. */
const tagKey = loadTagKey(localStore());
/** The store's events go to the panel's ports once they exist (the two need each other). */
const storeEvents: ((e: StoreEvent) => void)[] = [];
const store = new TabStore(session, () => ({ perTab: settings.current.perTabCap, total: settings.current.totalCap }), (e) => storeEvents.forEach((fn) => fn(e)));
const badge = new BadgeController(createBadge(), (tabId) => (store.has(tabId) ? store.meta(tabId) : undefined), () => settings.current.badgeAlert);
const jar = createCookieJar();
const cookieActions = new CookieActions(jar, session);
const cookiePolicy = new CookiePolicyReader(readCookiePolicy);
const gate = new ReadyGate();
/** The sign-in steps of each tab (flows with DevTools closed). */
const flowLog = new FlowLog(session, () => features.responseFilter);

// ---- capture: two tiers (tiers.ts), everything lightly, failing origins and inspected tabs in full ----

let tiers: CaptureTiers | undefined;
const capture = new Capture({
  store,
  jar,
  badge,
  settings: () => settings.current,
  storeOfTab: cookieStoreOfTab,
  cookiePolicy: (storeId) => cookiePolicy.forStore(storeId),
  onFailure: (tabId, url) => {
    void notifyFailure(settings.current.notifications, store.meta(tabId).latest);
    if (tiers) failedOrigin(tiers, session, url);
  },
  flows: flowLog,
});
// Token requests' form bodies, for the sign-in flows (only URLs whose path names a token), and in
// Firefox their answers. Registered at once (a stopped worker wakes for it); removed when the
// settings say not to follow sign-ins, and registered again when they say to.
const followSignIns = (() => {
  let stop: (() => void) | undefined;
  return (on: boolean) => {
    if (on && !stop) stop = listenTokenBodies((b) => capture.tokenBody(b), (a) => capture.tokenAnswer(a.requestId, a.text));
    else if (!on && stop) {
      stop();
      stop = undefined;
    }
  };
})();
tiers = new CaptureTiers(listenWebRequest, (tier) => gate.wrap(capture.handlers(tier)), () => features.extraHeaders);
const captureTiers = tiers;
// Firefox resets tab badges on navigation: show the count again (while watching; paused, every
// badge says off, the default).
function tabUpdated(tabId: number, change: { status?: string; url?: string }): void {
  if (change.status === 'loading' || change.url !== undefined) void store.ready.then(() => badge.reapply(tabId));
}
// Watching or paused (watch.ts): the listeners exist only while the capture's optional
// permissions are held. A worker that starts with them registers in this first turn.
const watch = new Watch({
  start: () => {
    captureTiers.start(settings.current.resourceTypes, settings.current.captureInFull);
    followSignIns(settings.current.followSignIns);
    jar.followChanges(true);
    if (!browser.tabs.onUpdated.hasListener(tabUpdated)) browser.tabs.onUpdated.addListener(tabUpdated);
  },
  // Paused, nothing of a page wakes the worker: no request, no cookie change, no tab update.
  stop: () => {
    captureTiers.stop();
    followSignIns(false);
    jar.followChanges(false);
    browser.tabs.onUpdated.removeListener(tabUpdated);
  },
  held: holdsCapture,
  release: releaseCapture,
  changed: (on) => void store.ready.then(() => badge.setPaused(!on, store.tabIds())),
  memory: localStore(),
});
watch.boot(webRequestAvailable());
void restoreFailingOrigins(captureTiers, session);
const subscriptions = new Subscriptions(store, diagnostics.reject, (tabId, followed) => captureTiers.inspect(tabId, followed));
storeEvents.push((e) => subscriptions.broadcast(e));

settings.onChange((next, before) => {
  if (next.followSignIns !== before.followSignIns) followSignIns(next.followSignIns && watch.listening);
  if (next.clockSkewSeconds !== before.clockSkewSeconds && gate.isOpen) rejudgeAll(store, diagnoseOptions(next), `because the clock-skew tolerance changed to ${next.clockSkewSeconds} s`);
  if (watch.listening && `${next.resourceTypes.join(',')}|${next.captureInFull}` !== `${before.resourceTypes.join(',')}|${before.captureInFull}`) captureTiers.start(next.resourceTypes, next.captureInFull);
});

void Promise.all([store.ready, settings.loaded, tagKey]).then(async () => {
  // Failures a stopped worker recorded but never judged (their jar was being read): judged now.
  judgePending(store, diagnoseOptions(settings.current));
  gate.release();
  if (!watch.listening) await badge.setPaused(true, store.tabIds());
  await watch.sync();
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

// ---- browser events ----

// A grant or removal made elsewhere (the options page, the browser's add-ons manager) is followed.
browser.permissions.onAdded?.addListener(() => {
  cookiePolicy.forget();
  void watch.sync();
});
browser.permissions.onRemoved?.addListener(() => {
  cookiePolicy.forget();
  void watch.sync();
});

// The keyboard shortcut pauses, or resumes (a shortcut is a user gesture: the permissions may be asked for).
browser.commands?.onCommand.addListener((command) => {
  if (command !== 'toggle-watching') return;
  if (watch.listening) void watch.pause();
  else void requestCapture().then(() => watch.sync());
});

// A new install asks for the capture's permission once, on a page that says what it is for.
browser.runtime.onInstalled.addListener((details) => {
  if (details.reason === 'install' && !watch.listening) void browser.tabs.create({ url: browser.runtime.getURL('options.html#welcome') });
});

browser.tabs.onRemoved.addListener((tabId) => {
  void store.ready.then(() => {
    store.removeTab(tabId);
    badge.forget(tabId);
  });
  void cookieActions.forgetTab(tabId);
  capture.forgetTab(tabId);
  flowLog.forgetTab(tabId);
});

browser.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && changes[SETTINGS_KEY]) settings.applyStored(changes[SETTINGS_KEY].newValue);
});

// Write what is pending before the event page / worker is unloaded.
browser.runtime.onSuspend?.addListener(() => void store.flush());

// ---- messages: only the extension's own pages ----

const handlers = createHandlers({
  store,
  tagKey,
  judgeOptions: () => diagnoseOptions(settings.current),
  storeOfTab: cookieStoreOfTab,
  cookiePolicy: (storeId) => {
    cookiePolicy.forget();
    return cookiePolicy.forStore(storeId);
  },
  expectRerun: (tabId, url, method) => capture.expectRerun(tabId, url, method),
  flows: flowLog,
  badge,
  cookies: cookieActions,
  settings: () => settings.current,
  saveSettings: (next) => settings.save(next),
  forgetCapture: async () => {
    capture.forgetAll();
    await forgetFailingOrigins(captureTiers, session);
  },
  version: VERSION,
  watch: async (on) => {
    if (on === false) await watch.pause();
    else await watch.sync();
    return { listening: watch.listening, started: await watch.started(), sites: await watchedSites() };
  },
  diagnostics: () => ({
    version: VERSION,
    errors: [...diagnostics.errors],
    writeErrors: [...store.writeErrors],
    pendingRequests: capture.pendingCount,
    records: store.size,
    tabs: store.tabIds().length,
    extraHeaders: features.extraHeaders,
    listening: watch.listening,
    fullCapture: captureTiers.scope(),
    rejected: diagnostics.rejected,
  }),
});

function fromOwnPage(sender: Runtime.MessageSender | undefined): boolean {
  return sender?.id === browser.runtime.id && typeof sender.url === 'string' && sender.url.startsWith(extensionOrigin());
}

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) =>
  routeMessage(message, sender, { fromOwnPage, onRejected: diagnostics.reject, handle: async (r) => {
    await tagKey;
    return (handlers[r.type] as (x: typeof r) => Promise<unknown>)(r);
  } }),
);

browser.runtime.onConnect.addListener((port) => {
  if (port.name !== PORT_NAME || !fromOwnPage(port.sender)) {
    diagnostics.reject();
    port.disconnect();
    return;
  }
  subscriptions.attach(port);
});

// For tests and diagnostics in the worker's console.
(globalThis as Record<string, unknown>)['why401'] = { store, capture, settings: () => settings.current, version: VERSION, errors: diagnostics.errors, writeErrors: store.writeErrors };
