/** In-memory fakes of the platform adapters (DESIGN.md, How the code is written, 2): logic tests without a browser. */
import { cookieIdentity } from '../../src/core/cookies/cookies.ts';
import type { JarCookie } from '../../src/core/exchange/har-types.ts';
import type { Badge, CookieJar, KeyValueStore, RequestDetails } from '../../src/platform/index.ts';

export class FakeKV implements KeyValueStore {
  data = new Map<string, unknown>();
  writes = 0;
  /** Fail writes beyond this many bytes (JSON size), like storage.session's quota. */
  quotaBytes = Infinity;
  failNext = 0;

  bytes(): number {
    let n = 0;
    for (const [k, v] of this.data) n += k.length + JSON.stringify(v).length;
    return n;
  }
  async get(keys: string[] | null): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of this.data) if (keys === null || keys.includes(k)) out[k] = structuredClone(v);
    return out;
  }
  async set(items: Record<string, unknown>): Promise<void> {
    this.writes++;
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('simulated storage failure');
    }
    const before = new Map(this.data);
    for (const [k, v] of Object.entries(items)) this.data.set(k, structuredClone(v));
    if (this.bytes() > this.quotaBytes) {
      this.data = before;
      throw new Error('Session storage quota bytes exceeded. Values were not stored.');
    }
  }
  async remove(keys: string[]): Promise<void> {
    for (const k of keys) this.data.delete(k);
  }
}

/** A cookie jar with several stores, keyed like a browser's (name, domain, path, store, partition, first party). */
export class FakeJar implements CookieJar {
  cookies: JarCookie[] = [];
  failing = false;
  /** When set, reads wait for it (a worker stopped mid-read never sees them answered). */
  stall: Promise<void> | undefined;
  /** Whether changes are followed (off while paused). */
  following = false;
  followChanges(on: boolean): void {
    this.following = on;
  }
  /** Every cookie of the URL's registrable domain (the platform's contract; the core picks). */
  async forUrl(url: string): Promise<JarCookie[]> {
    if (this.stall) await this.stall;
    if (this.failing) throw new Error('cookies API failed');
    const site = new URL(url).hostname.split('.').slice(-2).join('.');
    return this.cookies.filter((c) => c.domain.replace(/^\./, '').endsWith(site)).map((c) => ({ ...c }));
  }
  async forDomain(domain: string, storeId?: string): Promise<JarCookie[]> {
    return this.cookies.filter((c) => c.domain.replace(/^\./, '').endsWith(domain) && (storeId === undefined || (c.storeId ?? '0') === storeId)).map((c) => ({ ...c }));
  }
  async remove(cookie: JarCookie): Promise<boolean> {
    const before = this.cookies.length;
    this.cookies = this.cookies.filter((c) => cookieIdentity(c) !== cookieIdentity(cookie));
    return this.cookies.length < before;
  }
  async restore(cookie: JarCookie): Promise<boolean> {
    await this.remove(cookie);
    this.cookies.push({ ...cookie });
    return true;
  }
}

export class FakeBadge implements Badge {
  shown = new Map<number | undefined, { text: string; color: string; title: string }>();
  async show(tabId: number | undefined, text: string, color: string, title: string): Promise<void> {
    this.shown.set(tabId, { text, color, title });
  }
}

let requestCounter = 0;

/** webRequest event details for one request, with sensible defaults. */
export function details(over: Partial<RequestDetails> = {}): RequestDetails {
  return {
    requestId: over.requestId ?? String(++requestCounter),
    url: 'https://api.test/v1/me',
    method: 'GET',
    tabId: 1,
    frameId: 0,
    type: 'xmlhttprequest',
    timeStamp: Date.parse('2025-06-01T12:00:00Z'),
    initiator: 'https://app.test',
    ...over,
  };
}

export const flushTimers = () => new Promise((r) => setTimeout(r, 60));
