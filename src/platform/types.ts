/**
 * The platform's types and pure helpers, without importing the browser: background modules
 * use these, and Node tests pass in-memory fakes (DESIGN.md, How the code is written, 2).
 */
import type { JarCookie } from '../core/exchange/har-types.ts';

export interface WebRequestHeader {
  name: string;
  value?: string;
  binaryValue?: number[];
}

/** What the capture reads from webRequest event details, in both browsers. */
export interface RequestDetails {
  requestId: string;
  url: string;
  method: string;
  tabId: number;
  frameId: number;
  type: string;
  timeStamp: number;
  /** Chrome: the origin that started the request. */
  initiator?: string;
  /** Firefox: the URL of the document that started the request. */
  originUrl?: string;
  documentUrl?: string;
  cookieStoreId?: string;
  requestHeaders?: WebRequestHeader[];
  responseHeaders?: WebRequestHeader[];
  statusCode?: number;
  statusLine?: string;
  redirectUrl?: string;
  fromCache?: boolean;
  ip?: string;
  error?: string;
}

export interface WebRequestHandlers {
  onSendHeaders(d: RequestDetails): void;
  onHeadersReceived(d: RequestDetails): void;
  onBeforeRedirect(d: RequestDetails): void;
}

/** Header value as text; Chrome sends non-UTF-8 values as bytes. */
export function headerText(h: WebRequestHeader): string {
  if (typeof h.value === 'string') return h.value;
  if (Array.isArray(h.binaryValue)) return String.fromCharCode(...h.binaryValue.slice(0, 1 << 16));
  return '';
}

export interface CookieJar {
  /**
   * Every cookie of the URL's registrable domain (those the browser would consider for the URL,
   * and those whose Domain or Path leave it out), partitioned ones included where supported.
   */
  forUrl(url: string, storeId?: string, topLevelSite?: string): Promise<JarCookie[]>;
  /** Every cookie whose domain is `domain` or under it (for clearing a whole site). */
  forDomain(domain: string, storeId?: string): Promise<JarCookie[]>;
  remove(cookie: JarCookie): Promise<boolean>;
  /** Restore a cookie with all its attributes. */
  restore(cookie: JarCookie): Promise<boolean>;
  /**
   * Follow cookie changes (they drop a site's cached list) while capturing; off while paused, so
   * a page's cookies wake nothing and the cache is gone.
   */
  followChanges(on: boolean): void;
}

export interface KeyValueStore {
  get(keys: string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

export interface Badge {
  /** One tab's badge, or (`tabId` undefined) what every tab shows that has none of its own. */
  show(tabId: number | undefined, text: string, color: string, title: string): Promise<void>;
}
