/**
 * Capture: webRequest events in, exchange records out. The per-request path does O(1) work and
 * no storage write: it remembers a request's headers (a reference, not a copy) until its
 * response, and forgets it when the response is not a failure. Only a failure pays for a
 * cookie-jar look-up and the diagnosis.
 */
import { jarForRecord } from '../core/cookies/cookies.ts';
import { judge, pinVerdictInputs } from '../core/verdict/diagnose.ts';
import { entryFromCapture, harEntry, keptEntry } from '../core/exchange/exchange.ts';
import { isFailureResponse, type DiagnoseOptions } from '../core/verdict/facts.ts';
import type { CookiePolicy, HarEntry, HarHeader, JarCookie } from '../core/exchange/har-types.ts';
import { findHeader, hasHeader } from '../core/auth/headers.ts';
import type { StoredRecord } from '../shared/records.ts';
import { siteOf, hostOf } from '../core/cookies/site.ts';
import { iso } from '../core/verdict/time.ts';
import type { CookieJar, RequestDetails, WebRequestHandlers, WebRequestHeader } from '../platform/types.ts';
import { captureAllowed, type Settings } from '../shared/settings.ts';
import type { BadgeController } from './badge.ts';
import { capturedOf, toHarHeaders, type InFlight } from './webrequest-details.ts';
import type { FlowLog } from './flows.ts';
import type { TabStore } from './store.ts';
import { fingerprint } from '../core/tokens/fingerprint.ts';

export interface CaptureDeps {
  store: TabStore;
  jar: CookieJar;
  badge: BadgeController;
  settings: () => Settings;
  /** The cookie store of a tab, when webRequest does not say (Chrome): where its jar is read. */
  storeOfTab?: (tabId: number) => Promise<string | undefined>;
  /** The browser's third-party-cookie setting for a cookie store, when the user allowed reading it. */
  cookiePolicy?: (storeId: string | undefined) => Promise<CookiePolicy | undefined>;
  /** Called after a failure is recorded (notifications, the capture tiers). */
  onFailure?: (tabId: number, url: string) => void;
  /** The sign-in steps the capture follows (background/flows.ts). */
  flows?: FlowLog;
}

export function diagnoseOptions(settings: Settings): DiagnoseOptions {
  return {
    include403: settings.statuses[403],
    exclude401: !settings.statuses[401],
    exclude407: !settings.statuses[407],
    clockSkewSeconds: settings.clockSkewSeconds,
  };
}

/** A minimal exchange for the timeline: only what observe() reads. */
function timelineEntry(d: RequestDetails, requestHeaders: HarHeader[], responseHeaders: HarHeader[]): HarEntry {
  return harEntry({
    startedDateTime: iso(d.timeStamp),
    method: d.method,
    url: d.url,
    requestHeaders,
    status: d.statusCode ?? 0,
    responseHeaders,
    redirectURL: d.redirectUrl ?? '',
    why: { type: d.type, frameId: d.frameId },
  });
}

/** Token requests waiting for their answer (their forms are at most 8 KiB, most under 1 KiB). */
const MAX_PENDING_TOKENS = 500;

/** A token request between its form and its step: the answer's headers (`heard`) and, in Firefox, its body. */
interface PendingToken {
  at: number;
  /** Absent for a discovery document (Firefox reads its answer). */
  form?: string;
  answerFollows: boolean;
  answer?: string;
  heard?: { d: RequestDetails; headers: WebRequestHeader[] | undefined };
}

export class Capture {
  private readonly inFlight = new Map<string, InFlight>();
  /**
   * The Cookie header last folded into the timeline per tab and host — as a fingerprint, never the
   * value — and when (successes with the same cookies are folded at most every few seconds).
   */
  private readonly lastCookies = new Map<string, { fp: string; at: number }>();
  private sweepAt = 0;
  /** Re-runs the panel is sending from a tab (key tab|method|url → until when): not new failures. */
  private readonly expectedReruns = new Map<string, number>();
  /** Token requests' form bodies (platform listenTokenBodies), until their response arrives. */
  private readonly tokenForms = new Map<string, PendingToken>();

  constructor(private readonly deps: CaptureDeps) {}

  /** The capture's listeners, for one tier (background/tiers.ts): the light one sees no Cookie header. */
  handlers(tier: 'light' | 'full' = 'full'): WebRequestHandlers {
    return {
      onSendHeaders: (d) => this.onSendHeaders(d, tier === 'light'),
      onHeadersReceived: (d) => this.onHeadersReceived(d),
      onBeforeRedirect: (d) => this.onBeforeRedirect(d),
    };
  }

  /**
   * A token request's form body, heard before its headers: kept until its response (at most
   * MAX_PENDING_TOKENS: a refresh storm sends hundreds at once, and each one counts).
   */
  tokenBody(b: { requestId: string; at: number; form?: string; answerFollows: boolean }): void {
    this.tokenForms.set(b.requestId, { at: b.at, ...(b.form !== undefined ? { form: b.form } : {}), answerFollows: b.answerFollows });
    if (this.tokenForms.size > MAX_PENDING_TOKENS) this.flushToken(this.tokenForms.keys().next().value!);
  }

  /**
   * A token request's answer body (Firefox's response filter): the step is read once both its
   * headers and its body are here, whichever comes last (text undefined: unread, the step has none).
   */
  tokenAnswer(requestId: string, text: string | undefined): void {
    const pending = this.tokenForms.get(requestId);
    if (!pending) return;
    pending.answer = text ?? '';
    pending.answerFollows = false;
    if (pending.heard) this.flushToken(requestId);
  }

  /** Give a token step to the flows, with what is known of it, and forget it. */
  private flushToken(requestId: string): void {
    const p = this.tokenForms.get(requestId);
    this.tokenForms.delete(requestId);
    if (p?.heard) this.deps.flows?.observe(p.heard.d, p.heard.headers, { ...(p.form !== undefined ? { form: p.form } : {}), at: p.at, ...(p.answer ? { answer: p.answer } : {}) });
  }

  /** The panel re-runs a failure in the page: the answer is that failure's re-run, not a new row. */
  expectRerun(tabId: number, url: string, method: string, now = Date.now()): void {
    for (const [k, until] of this.expectedReruns) if (until < now) this.expectedReruns.delete(k);
    if (this.expectedReruns.size < 50) this.expectedReruns.set(`${tabId}|${method.toUpperCase()}|${url}`, now + 30_000);
  }

  private isExpectedRerun(d: RequestDetails): boolean {
    if (this.expectedReruns.size === 0) return false;
    const key = `${d.tabId}|${d.method.toUpperCase()}|${d.url}`;
    const until = this.expectedReruns.get(key);
    if (until === undefined) return false;
    this.expectedReruns.delete(key);
    return until >= Date.now();
  }

  /** A closed tab: nothing of it stays (requests in flight, cookie fingerprints, expected re-runs). */
  forgetTab(tabId: number): void {
    const prefix = `${tabId}|`;
    for (const k of this.lastCookies.keys()) if (k.startsWith(prefix)) this.lastCookies.delete(k);
    for (const k of this.expectedReruns.keys()) if (k.startsWith(prefix)) this.expectedReruns.delete(k);
    for (const [id, f] of this.inFlight) if (f.tabId === tabId) this.inFlight.delete(id);
  }

  /** Clear all: the capture keeps nothing of any tab. */
  forgetAll(): void {
    this.tokenForms.clear();
    this.lastCookies.clear();
    this.expectedReruns.clear();
    this.inFlight.clear();
  }

  get pendingCount(): number {
    return this.inFlight.size;
  }

  private allowed(d: RequestDetails): boolean {
    if (d.tabId < 0) return false; // not a tab's request (a service worker, the browser itself)
    const host = hostOf(d.url);
    if (host === undefined) return false;
    const settings = this.deps.settings();
    // Cheap when no site list is set (the usual case): no page look-up at all.
    if (settings.siteDenylist.length === 0 && settings.pausedSites.length === 0 && settings.siteAllowlist.length === 0) return true;
    const page = d.type === 'main_frame' ? host : this.deps.store.has(d.tabId) ? hostOf(this.deps.store.meta(d.tabId).topUrl) : undefined;
    return captureAllowed(settings, host, page);
  }

  private onSendHeaders(d: RequestDetails, light = false): void {
    if (!this.allowed(d)) return;
    const f = this.inFlight.get(d.requestId);
    if (f) {
      f.headers = d.requestHeaders;
      f.startedAt = d.timeStamp;
      if (light) f.light = true;
      else delete f.light;
    } else {
      this.inFlight.set(d.requestId, light ? { startedAt: d.timeStamp, tabId: d.tabId, headers: d.requestHeaders, light } : { startedAt: d.timeStamp, tabId: d.tabId, headers: d.requestHeaders });
      if (this.inFlight.size > 200) this.sweep(d.timeStamp);
    }
  }

  /**
   * Requests that never got a response (network errors, aborts, a closed tab) are swept by age;
   * the others are freed when their response arrives. No completion listeners needed.
   */
  private sweep(now: number): void {
    if (now - this.sweepAt < 5_000) return;
    this.sweepAt = now;
    for (const [id, f] of this.inFlight) if (now - f.startedAt > 120_000) this.inFlight.delete(id);
  }

  private onBeforeRedirect(d: RequestDetails): void {
    const f = this.inFlight.get(d.requestId);
    if (!f) return;
    (f.chain ??= []).push({
      url: d.url,
      status: d.statusCode ?? 0,
      location: d.redirectUrl ?? '',
      authorizationSent: hasHeader(f.headers, 'authorization'),
    });
    if (f.chain.length > 20) f.chain.shift();
  }

  private onHeadersReceived(d: RequestDetails): void {
    if (!this.allowed(d)) return;
    // A sign-in step (an authorize request and its redirects, a callback, a token request): one URL test for the others.
    const token = this.tokenForms.get(d.requestId);
    if (token) {
      token.heard = { d, headers: this.inFlight.get(d.requestId)?.headers };
      // Firefox reads the answer's body as it passes: the step waits for it (tokenAnswer).
      if (!token.answerFollows) this.flushToken(d.requestId);
    } else {
      const sent = this.inFlight.get(d.requestId);
      this.deps.flows?.observe(d, sent?.headers, undefined, sent?.startedAt);
    }
    const status = d.statusCode ?? 0;
    if (status >= 300 && status < 400 && d.type !== 'main_frame' && hasHeader(d.responseHeaders, 'location')) return;
    const settings = this.deps.settings();
    const { store } = this.deps;
    const f = this.inFlight.get(d.requestId);
    // The response is here: nothing more to remember (a browser-handled retry, e.g. after a Basic
    // challenge, sends its headers again).
    this.inFlight.delete(d.requestId);
    // A new top-level document starts a new list (unless the log is preserved).
    if (d.type === 'main_frame' && d.frameId === 0 && (status < 300 || status >= 400) && status !== 204) {
      store.newPage(d.tabId, d.url, settings.preserveLog);
      void this.deps.badge.update(d.tabId);
    }
    const responseHeaders = d.responseHeaders ?? [];
    if (isFailureResponse(status, responseHeaders, diagnoseOptions(settings))) {
      if (!this.isExpectedRerun(d)) void this.recordFailure(d, f, settings);
      return;
    }
    this.isExpectedRerun(d); // a re-run that succeeded: nothing more to expect
    // Not a failure: remember only what the timeline needs, and only when it may say something.
    const setsCookie = hasHeader(d.responseHeaders, 'set-cookie');
    const isDoc = d.type === 'main_frame';
    const withAuth = status < 400 && hasHeader(f?.headers, 'authorization');
    let newCookies = false;
    const cookie = !setsCookie && !isDoc && !withAuth ? findHeader(f?.headers, 'cookie') : undefined;
    if (cookie) {
      const key = `${d.tabId}|${hostOf(d.url) ?? ''}`;
      const fp = fingerprint(cookie.value ?? '');
      const last = this.lastCookies.get(key);
      if (last?.fp !== fp || d.timeStamp - last.at > 5000) {
        this.lastCookies.delete(key);
        this.lastCookies.set(key, { fp, at: d.timeStamp });
        if (this.lastCookies.size > 500) this.lastCookies.delete(this.lastCookies.keys().next().value!);
        newCookies = true;
      }
    }
    if (setsCookie || isDoc || withAuth || newCookies) {
      store.observe(d.tabId, timelineEntry(d, toHarHeaders(f?.headers), toHarHeaders(d.responseHeaders)));
    }
  }

  private async recordFailure(d: RequestDetails, f: InFlight | undefined, settings: Settings): Promise<void> {
    const { store, jar, badge } = this.deps;
    const { seq, page } = store.reserve(d.tabId);
    const meta = store.meta(d.tabId);
    const repeatsBefore = meta.repeats ?? 0;
    const topLevelUrl = d.type === 'main_frame' ? d.url : meta.topUrl;
    const options = diagnoseOptions(settings);
    const flight: InFlight = f ?? { startedAt: d.timeStamp };
    const noHeaders = f?.headers
      ? undefined
      : 'The request left before the background was listening (it had been stopped or was starting), so its headers and cookies as sent are unknown.';
    let record: StoredRecord | undefined;
    let pinned: HarEntry;
    try {
      // The context is pinned from the timeline now, before this exchange is folded in (its own
      // Set-Cookie matters to later failures). Recorded at once, not yet judged, so a worker
      // stopped now loses nothing (judgePending judges it at the next start); the one judgement
      // follows when the cookie jar has been read.
      pinned = pinVerdictInputs(entryFromCapture(capturedOf(d, flight, { topLevelUrl })), meta.timeline, options);
      store.observe(d.tabId, pinned);
      record = store.complete(d.tabId, seq, page, keptEntry(pinned), [], noHeaders ?? JAR_PENDING, [], true);
    } catch (e) {
      // A failure to record must not lose the count or crash the worker.
      console.warn('Why 401: could not record a failure', e);
      store.abandon(d.tabId, page);
      void badge.update(d.tabId);
      return;
    }
    // The badge at once; a repeat of the failure before it (a storm, a loop: core/verdict/burst.ts) is not counted, nor announced.
    void badge.update(d.tabId, (store.meta(d.tabId).repeats ?? 0) === repeatsBefore);
    if (!record) return;
    let cookies: JarCookie[] | undefined;
    let storeId = d.cookieStoreId;
    let cookiePolicy: CookiePolicy | undefined;
    let jarUnread = false;
    try {
      storeId ??= await this.deps.storeOfTab?.(d.tabId);
      [cookies, cookiePolicy] = await Promise.all([jar.forUrl(d.url, storeId, siteOf(topLevelUrl ?? d.url)).then((list) => jarForRecord(list, d.url)), this.deps.cookiePolicy?.(storeId)]);
    } catch {
      jarUnread = true;
    }
    // The pinned context and settings, now with the jar (and the browser's setting) when read.
    const withJar = cookies ? entryFromCapture(capturedOf(d, flight, { topLevelUrl, jar: cookies, storeId, ...(cookiePolicy ? { cookiePolicy } : {}) })) : pinned;
    // Evidence that arrived meanwhile (the body DevTools recorded, a re-run) stays with the record.
    const current = store.record(record.id);
    if (!current) return; // cleared meanwhile
    const { content } = current.entry.response;
    const who = current.entry._initiator === undefined ? {} : { _initiator: current.entry._initiator };
    const partial = noHeaders ?? (jarUnread ? 'The cookies the browser held could not be read.' : undefined);
    store.updateRecord(judged(current, { ...withJar, ...who, response: { ...withJar.response, content }, _why401: { ...withJar._why401, ...pick(pinned._why401) } }, options, partial));
    void badge.update(d.tabId);
    this.deps.onFailure?.(d.tabId, d.url);
  }
}

/**
 * The one judgement of a captured failure: its entry (verdict inputs pinned) judged, the record
 * no longer pending. `partial` says what evidence is missing, if any.
 */
export function judged(record: StoredRecord, entry: HarEntry, options: DiagnoseOptions, partial: string | undefined): StoredRecord {
  const j = judge(entry, undefined, options);
  const { pending: _, partial: __, notes: ___, ...rest } = record;
  const updated: StoredRecord = { ...rest, entry: keptEntry(j.entry), findings: j.findings };
  if (j.notes.length > 0) updated.notes = j.notes;
  if (partial) updated.partial = partial;
  return updated;
}

/** Records a stopped worker left unjudged (their jar never read): judged now, without it. */
export function judgePending(store: Pick<TabStore, 'tabIds' | 'records' | 'updateRecord'>, options: DiagnoseOptions): number {
  let n = 0;
  for (const tabId of store.tabIds()) {
    for (const record of [...store.records(tabId)]) {
      if (!record.pending) continue;
      const partial = record.partial === JAR_PENDING ? JAR_LOST : record.partial;
      store.updateRecord(judged(record, record.entry, options, partial));
      n++;
    }
  }
  return n;
}

/** The verdict inputs pinned on an entry (its context and settings). */
function pick(why: HarEntry['_why401']): Pick<NonNullable<HarEntry['_why401']>, 'context' | 'options'> {
  return { ...(why?.context ? { context: why.context } : {}), ...(why?.options ? { options: why.options } : {}) };
}

/** Evidence still being gathered; replaced when the jar has been read. */
const JAR_PENDING = 'The cookies the browser held are not captured yet (the background was stopped before it could read them).';
/** The jar of a failure a stopped worker left pending: judged without it at the next start. */
const JAR_LOST = 'The cookies the browser held were not read: the background was stopped before it could read them.';
