/**
 * Two tiers of capture, so the price follows the failures (measured: npm run bench -- load).
 *
 * - Scripted requests (fetch, XMLHttpRequest) are always heard in full (extraHeaders): without
 *   it Chrome hides a cross-origin response that fails the CORS check from listeners entirely.
 * - The light tier hears every other request of the chosen types (documents, frames, scripts,
 *   styles, images…: most of a page), without Chrome's `extraHeaders` (which costs the most per
 *   request): enough to catch their failures (the status and the challenge headers) and to see
 *   Authorization as sent.
 * - The full tier adds `extraHeaders` (Cookie and Set-Cookie) to those for what matters: the
 *   origins that produced a failure (the latest few dozen) and the tabs DevTools inspects with
 *   the panel open.
 *   Its listeners are registered again when that scope changes.
 *
 * A request the full tier hears is left to it: the light tier ignores it. Where the browser shows
 * every header to every listener (Firefox), there is one tier, everything.
 */
import type { KeyValueStore, RequestDetails, WebRequestHandlers } from '../platform/types.ts';
import type { ListenScope } from '../platform/index.ts';
import { originOf, originPattern } from '../core/exchange/url.ts';

export { originPattern };

/** fetch() and XMLHttpRequest (webRequest reports both as "xmlhttprequest"), and beacons. */
const SCRIPTED = new Set(['xmlhttprequest', 'ping']);

export type Listen = (handlers: WebRequestHandlers, types: readonly string[], scope: ListenScope) => () => void;

/** The most failing origins kept in the full tier (least recently failing dropped first). */
export const MAX_FULL_ORIGINS = 64;


export class CaptureTiers {
  private types: readonly string[] = [];
  /** The request types the light tier hears (all but the scripted ones). */
  private lightTypes: readonly string[] = [];
  private removeLight: (() => void) | undefined;
  private removeFull: (() => void)[] = [];
  /** Failing origins by recency (a Map keeps insertion order). */
  private readonly origins = new Map<string, string>();
  private readonly inspected = new Set<number>();
  /** What the registered full-tier listeners hear: hosts by pattern, and tabs. */
  private fullPatterns = new Set<string>();
  private fullTabs = new Set<number>();
  private rescopeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly listen: Listen,
    private readonly handlers: (tier: 'light' | 'full') => WebRequestHandlers,
    /** The browser hides some headers from listeners without extraHeaders (Chrome); asked when listening starts (the API exists only while its permission is held). */
    private readonly hidesHeaders: () => boolean,
  ) {}

  private twoTiers = false;
  /** Stopped (a pause): no listener; failing origins and inspected tabs are kept for a resume. */
  private stopped = true;

  /**
   * Listen for these request types (synchronously: the first turn of a woken worker); `inFull`
   * (a setting) hears everything in full, as one tier.
   */
  start(types: readonly string[], inFull = false): void {
    this.types = [...types];
    this.stopped = false;
    this.twoTiers = this.hidesHeaders();
    this.removeLight?.();
    for (const remove of this.removeFull) remove();
    this.removeFull = [];
    this.fullPatterns = new Set();
    this.fullTabs = new Set();
    if (!this.twoTiers || inFull) {
      this.lightTypes = [];
      this.removeLight = this.listen(this.handlers('full'), this.types, { extraHeaders: true });
      return;
    }
    // Scripted requests (fetch, XMLHttpRequest) are always heard in full: without extraHeaders
    // Chrome hides a cross-origin response that fails the CORS check (the 401 the page's script
    // never sees) from listeners altogether, and those are the failures developers chase.
    const scripted = this.types.filter((t) => SCRIPTED.has(t));
    const rest = this.types.filter((t) => !SCRIPTED.has(t));
    const removers: (() => void)[] = [];
    if (scripted.length > 0) removers.push(this.listen(this.handlers('full'), scripted, { extraHeaders: true }));
    if (rest.length > 0) {
      const light = this.handlers('light');
      const skip = (d: RequestDetails) => this.heardInFull(d);
      removers.push(
        this.listen(
          {
            onSendHeaders: (d) => skip(d) || light.onSendHeaders(d),
            onHeadersReceived: (d) => skip(d) || light.onHeadersReceived(d),
            onBeforeRedirect: (d) => skip(d) || light.onBeforeRedirect(d),
          },
          rest,
          { extraHeaders: false },
        ),
      );
    }
    this.removeLight = () => {
      for (const r of removers) r();
    };
    this.lightTypes = rest;
    this.registerFull();
  }

  /** Remove every listener (a pause); `start` registers them again, with the same failing origins and inspected tabs. */
  stop(): void {
    this.stopped = true;
    this.removeLight?.();
    this.removeLight = undefined;
    for (const remove of this.removeFull) remove();
    this.removeFull = [];
    this.fullPatterns = new Set();
    this.fullTabs = new Set();
  }

  get listening(): boolean {
    return !this.stopped;
  }

  /** Whether the full tier's listeners hear this request (then the light tier leaves it to them). */
  heardInFull(d: Pick<RequestDetails, 'url' | 'tabId'>): boolean {
    if (!this.twoTiers) return false;
    if (this.fullTabs.has(d.tabId)) return true;
    if (this.fullPatterns.size === 0) return false;
    const origin = originOf(d.url);
    const pattern = origin && originPattern(origin);
    return pattern !== undefined && this.fullPatterns.has(pattern);
  }

  /** An origin failed: its next requests get full evidence. */
  failed(url: string): void {
    if (!this.hidesHeaders()) return;
    const origin = originOf(url);
    const pattern = origin && originPattern(origin);
    if (!pattern) return;
    const known = this.origins.has(pattern);
    this.origins.delete(pattern);
    this.origins.set(pattern, pattern);
    if (this.origins.size > MAX_FULL_ORIGINS) this.origins.delete(this.origins.keys().next().value!);
    if (!known) this.rescopeSoon();
  }

  /** DevTools opened (or closed) the panel on a tab: everything it does gets full evidence. */
  inspect(tabId: number, on: boolean): void {
    if (tabId < 0) return;
    const had = this.inspected.has(tabId);
    if (on === had) return;
    if (on) this.inspected.add(tabId);
    else this.inspected.delete(tabId);
    this.rescopeSoon(0);
  }

  /** For diagnostics and tests. */
  scope(): { origins: string[]; tabs: number[] } {
    return { origins: [...this.fullPatterns], tabs: [...this.fullTabs] };
  }

  /** Failing origins to restore after a restart (kept by the caller in storage.session). */
  restore(patterns: readonly string[]): void {
    for (const p of patterns.slice(-MAX_FULL_ORIGINS)) if (/^https?:\/\/[^/]+\/\*$/.test(p)) this.origins.set(p, p);
    this.rescopeSoon(0);
  }

  /** Clear all: no origin is remembered as failing (each starts light again). */
  forget(): void {
    if (this.origins.size === 0) return;
    this.origins.clear();
    this.rescopeSoon(0);
  }

  failingOrigins(): string[] {
    return [...this.origins.keys()];
  }

  /** A burst of new failing origins re-registers once. */
  private rescopeSoon(delay = 50): void {
    if (this.rescopeTimer !== undefined) return;
    this.rescopeTimer = setTimeout(() => {
      this.rescopeTimer = undefined;
      this.registerFull();
    }, delay);
  }

  private registerFull(): void {
    if (this.stopped || !this.twoTiers || this.lightTypes.length === 0) return;
    // New listeners first, then the old ones go: a request in between is heard twice at worst
    // (the capture keys its state by request id), never not at all.
    const full = this.handlers('full');
    const removers: (() => void)[] = [];
    const patterns = [...this.origins.keys()];
    if (patterns.length > 0) removers.push(this.listen(full, this.lightTypes, { urls: patterns, extraHeaders: true }));
    for (const tabId of this.inspected) {
      // A tab already heard in full through its origins would be heard twice: only the rest.
      removers.push(this.listen({ ...full, onSendHeaders: (d) => this.onlyOnce(d) || full.onSendHeaders(d), onHeadersReceived: (d) => this.onlyOnce(d) || full.onHeadersReceived(d), onBeforeRedirect: (d) => this.onlyOnce(d) || full.onBeforeRedirect(d) }, this.lightTypes, { tabId, extraHeaders: true }));
    }
    for (const remove of this.removeFull) remove();
    this.removeFull = removers;
    this.fullPatterns = new Set(patterns);
    this.fullTabs = new Set(this.inspected);
  }

  /** In an inspected tab, a request to a failing origin is heard by the origins' listener already. */
  private onlyOnce(d: RequestDetails): boolean {
    const origin = originOf(d.url);
    const pattern = origin && originPattern(origin);
    return pattern !== undefined && this.fullPatterns.has(pattern);
  }
}

/** Where the failing origins heard in full are kept across a worker restart (storage.session). */
export const FULL_ORIGINS_KEY = 'why401.fullOrigins';

/** A worker that starts again hears the origins that failed before in full, as it did. */
export async function restoreFailingOrigins(tiers: CaptureTiers, session: KeyValueStore): Promise<void> {
  try {
    const saved = (await session.get([FULL_ORIGINS_KEY]))[FULL_ORIGINS_KEY];
    if (Array.isArray(saved)) tiers.restore(saved.filter((x): x is string => typeof x === 'string'));
  } catch {
    // nothing kept: every origin starts light
  }
}

/** A failure's origin is heard in full from now on, and kept for a restarted worker. */
export function failedOrigin(tiers: CaptureTiers, session: KeyValueStore, url: string): void {
  const before = tiers.failingOrigins().length;
  tiers.failed(url);
  if (tiers.failingOrigins().length !== before) void session.set({ [FULL_ORIGINS_KEY]: tiers.failingOrigins() }).catch(() => undefined);
}

/** Clear all: the failing origins are forgotten, in memory and in storage.session. */
export async function forgetFailingOrigins(tiers: CaptureTiers, session: KeyValueStore): Promise<void> {
  tiers.forget();
  await session.remove([FULL_ORIGINS_KEY]).catch(() => undefined);
}
