/**
 * What the panel needs from the browser, behind one interface: the live panel uses DevTools and
 * the background; component tests pass a fake. (The panel opened as an ordinary tab, with
 * ?tab=ID, is a fast fixture for its states; it has no chrome.devtools.)
 */
import type { Push, RequestMap, RequestType } from '../shared/protocol.ts';
import type { Subscription } from '../platform/messages.ts';

import type { RerunOutcome, RerunRequest } from '../core/actions/rerun-result.ts';
import type { RecordedResponse } from '../platform/devtools.ts';

/** A re-run's request and answer (core/actions/rerun.ts owns them). */
export type PageFetch = RerunRequest;
export type FetchOutcome = RerunOutcome;

export interface PanelBackend {
  /** The inspected tab, when there is one. */
  tabId: number | undefined;
  theme(): 'dark' | 'light';
  onThemeChange(cb: (t: 'dark' | 'light') => void): void;
  subscribe(tabId: number, onPush: (p: Push) => void, onConnected: (c: boolean) => void): Subscription;
  request<K extends RequestType>(type: K, payload: RequestMap[K]['req']): Promise<RequestMap[K]['res']>;
  /** The inspected page's URL (for "same origin?" and the site to clear). */
  pageUrl(): Promise<string | undefined>;
  /** Called with the new URL when the inspected page navigates. */
  onNavigated(cb: (url: string) => void): void;
  /**
   * fetch() in the inspected page, or in one of its frames (by its document's URL): same cookies,
   * same origin. Undefined when there is no page.
   */
  fetchInPage?: (f: PageFetch, frameUrl?: string) => Promise<FetchOutcome>;
  /** The URLs of the inspected page's frame documents, the top one included; only where a fetch can run in a frame. */
  frameDocuments?: () => Promise<string[]>;
  /** The error responses DevTools has recorded (their bodies and stacks are evidence the background never has); only while DevTools is open. */
  recordedResponses?: () => Promise<RecordedResponse[]>;
  /** DevTools' network log so far, with the response bodies `wantsBody` asks for (the sign-in view); only while DevTools is open. */
  recordedLog?: (wantsBody: (method: string, url: string, postText: string | undefined, status: number) => boolean) => Promise<unknown[] | undefined>;
  /** Each request DevTools records from now on, as recordedLog gives them; returns how to stop (undefined: no such event). Only while DevTools is open. */
  followLog?: (wantsBody: (method: string, url: string, postText: string | undefined, status: number) => boolean, onEntry: (entry: unknown) => void) => (() => void) | undefined;
  /** The body of a request as DevTools recorded it, when it was open. */
  recordedBody?: (url: string, method: string, startedDateTime: string) => Promise<string | undefined>;
  /** DevTools shows (true) or hides (false) the panel; returns a way to stop listening. */
  onVisibility?: (cb: (shown: boolean) => void) => () => void;
  /** Open a script line in DevTools' Sources panel (0-based), where the browser allows it. */
  openSource?: (url: string, line: number, column: number) => Promise<void>;
  /** Show the Network panel filtered to a request, where the browser allows it. */
  showInNetwork?: (filter: string) => Promise<void>;
  /** fetch() from the extension. */
  fetchFromExtension(f: PageFetch): Promise<FetchOutcome>;
  /** The panel's window got focus (the user may have paused or resumed from the popup meanwhile); returns a way to stop listening. */
  onFocus?: (cb: () => void) => () => void;
  /** Whether the browser lets Why 401 see this page's site (its site access). */
  canSeePage?: (url: string) => Promise<boolean>;
  /** Resume watching: ask for the capture's permission (in the click; no prompt appears), then tell the background. */
  startWatching?: () => Promise<boolean>;
  /** Ask the user to let Why 401 read the browser's cookie setting (the optional `privacy` permission); in a click. */
  allowCookiePolicy(): Promise<boolean>;
  /** Clear a site's storage and cache (not its cookies). */
  clearSiteData(origin: string): Promise<void>;
  copy(text: string): Promise<void>;
  download(name: string, text: string, type: string): void;
}

export async function fetchFrom(f: PageFetch): Promise<FetchOutcome> {
  try {
    const init: RequestInit = { method: f.method, headers: f.headers, credentials: f.credentials, cache: 'no-store', redirect: 'follow' };
    if (f.body !== undefined && f.method !== 'GET' && f.method !== 'HEAD') init.body = f.body;
    const r = await fetch(f.url, init);
    return { status: r.status, statusText: r.statusText, headers: [...r.headers] };
  } catch (e) {
    return { status: 0, statusText: '', headers: [], error: e instanceof Error ? e.message : String(e) };
  }
}
