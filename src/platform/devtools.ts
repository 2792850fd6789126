/**
 * DevTools APIs for the panel, feature-detected: the inspected tab, the DevTools theme, and
 * evaluation in the inspected page (for re-runs that must carry the page's cookies and origin).
 */
import { browser } from './browser.ts';

/** A request DevTools recorded (a HAR entry, and a way to its response body). */
export interface FinishedRequest {
  startedDateTime: string;
  request: { method: string; url: string; postData?: { text?: string } };
  response: { status: number; content?: { size?: number; mimeType?: string } };
  /** Chrome: who sent it (type, URL, call stack). */
  _initiator?: unknown;
  getContent(callback?: (content: string | null, encoding: string) => void): Promise<unknown> | void;
}

interface DevtoolsLike {
  inspectedWindow?: {
    tabId?: number;
    eval?: (code: string, options?: { frameURL?: string }) => Promise<unknown>;
    /** Chrome only: the page's resources, frame documents among them. */
    getResources?: (callback: (resources: { url: string; type?: string }[]) => void) => void;
  };
  network?: {
    onNavigated?: { addListener(cb: (url: string) => void): void };
    onRequestFinished?: { addListener(cb: (request: FinishedRequest) => void): void; removeListener?(cb: (request: FinishedRequest) => void): void };
    getHAR?: (callback?: (log: HarLog) => void) => Promise<HarLog> | void;
  };
  panels?: {
    themeName?: string;
    onThemeChanged?: { addListener(cb: (t: string) => void): void };
    setThemeChangeHandler?: (cb: (t: string) => void) => void;
    openResource?: (url: string, lineNumber: number, columnNumber?: number, callback?: () => void) => unknown;
    network?: { show?: (options?: { filter?: string }) => unknown };
  };
}

type HarLog = { entries?: (Partial<FinishedRequest> & { startedDateTime: string; request: { method: string; url: string; postData?: { text?: string } }; response?: { status: number; content?: { size?: number; mimeType?: string; text?: string; encoding?: string } } })[] };

/**
 * DevTools' log so far. Chrome's getHAR takes a callback and returns nothing (it is not among the
 * APIs Chrome made promise-returning), Firefox's returns a promise: both are read.
 */
export function harLog(): Promise<HarLog | undefined> {
  const network = devtools()?.network;
  if (typeof network?.getHAR !== 'function') return Promise.resolve(undefined);
  return new Promise((resolve) => {
    let done = false;
    const finish = (log: HarLog | undefined) => {
      if (!done) {
        done = true;
        resolve(log);
      }
    };
    const promised = () => {
      try {
        const out = network.getHAR!();
        if (out && typeof out.then === 'function') out.then(finish, () => finish(undefined));
        else finish(undefined);
      } catch {
        finish(undefined);
      }
    };
    try {
      const out = network.getHAR!((log) => finish(log));
      // A promise-only wrapper may refuse the callback: then it is asked without one.
      if (out && typeof out.then === 'function') out.then(finish, promised);
    } catch {
      promised();
    }
    setTimeout(() => finish(undefined), 5000);
  });
}

function devtools(): DevtoolsLike | undefined {
  try {
    return (browser as unknown as { devtools?: DevtoolsLike }).devtools;
  } catch {
    return undefined;
  }
}

/** The tab DevTools inspects; undefined outside DevTools. */
export function inspectedTabId(): number | undefined {
  const id = devtools()?.inspectedWindow?.tabId;
  return typeof id === 'number' ? id : undefined;
}

export function devtoolsTheme(): 'dark' | 'light' | undefined {
  const name = devtools()?.panels?.themeName;
  if (name === undefined) return undefined;
  return name === 'dark' ? 'dark' : 'light';
}

export function onDevtoolsThemeChange(cb: (t: 'dark' | 'light') => void): void {
  const panels = devtools()?.panels;
  const handler = (name: string) => cb(name === 'dark' ? 'dark' : 'light');
  if (panels?.onThemeChanged) panels.onThemeChanged.addListener(handler);
  else if (typeof panels?.setThemeChangeHandler === 'function') panels.setThemeChangeHandler(handler);
}

export interface RecordedResponse {
  method: string;
  url: string;
  startedDateTime: string;
  status: number;
  mimeType: string;
  /** Who sent it, as DevTools recorded it (Chrome's `_initiator`; untrusted, read by core/exchange/initiator.ts). */
  initiator: unknown;
  /** The body as DevTools holds it (text; base64 when `encoding` says so), bounded by the caller. */
  body(): Promise<{ text: string; encoding: string } | undefined>;
}

/**
 * Open a script at a line in DevTools' Sources panel (Chrome: devtools.panels.openResource, lines
 * 0-based as stacks give them). Undefined where the browser has no such API (Firefox).
 */
export function sourceOpener(): ((url: string, line: number, column: number) => Promise<void>) | undefined {
  const panels = devtools()?.panels;
  if (typeof panels?.openResource !== 'function') return undefined;
  return (url, line, column) =>
    new Promise((resolve) => {
      try {
        panels.openResource!(url, line, column, () => resolve());
      } catch {
        resolve();
      }
      setTimeout(resolve, 2000);
    });
}

/** Show DevTools' Network panel filtered to a request (Chrome's devtools.panels.network.show, where present). */
export function networkShower(): ((filter: string) => Promise<void>) | undefined {
  const network = devtools()?.panels?.network;
  if (typeof network?.show !== 'function') return undefined;
  return async (filter) => {
    await Promise.resolve(network.show!({ filter }));
  };
}

/**
 * The error responses DevTools has recorded so far, read when a failure needs them (one getHAR
 * call, not a message for every request the page makes: that cost more than the capture itself).
 */
export async function recordedErrorResponses(): Promise<RecordedResponse[]> {
  try {
    const log = await harLog();
    if (!log) return [];
    const out: RecordedResponse[] = [];
    for (const e of log.entries ?? []) {
      const status = e.response?.status ?? 0;
      if (status < 400) continue;
      const content = e.response?.content;
      out.push({
        method: e.request.method,
        url: e.request.url,
        startedDateTime: e.startedDateTime,
        status,
        mimeType: content?.mimeType ?? '',
        initiator: e._initiator,
        body: () =>
          typeof e.getContent === 'function'
            ? readContent(e as FinishedRequest)
            : Promise.resolve(typeof content?.text === 'string' ? { text: content.text, encoding: content.encoding ?? '' } : undefined),
      });
    }
    return out;
  } catch {
    return [];
  }
}

/**
 * DevTools' network log so far, as plain HAR entries (for the sign-in view: core reads flows from
 * it), with the response bodies `wantsBody` asks for read in (at most 64 KiB each). Undefined where
 * the browser gives no log (the panel opened as a tab).
 */
export async function recordedLog(wantsBody: WantsBody): Promise<unknown[] | undefined> {
  const log = await harLog().catch(() => undefined);
  if (!log) return undefined;
  const entries = log.entries ?? [];
  const out: unknown[] = new Array(entries.length);
  // The bodies asked for are read a few at a time (each read waits up to 5 s for DevTools: one
  // after another, a handful of slow ones would hold the view for long).
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(8, entries.length) }, async () => {
    while (next < entries.length) {
      const i = next++;
      out[i] = await plainEntry(entries[i]!, wantsBody);
    }
  }));
  return out;
}

/** Which response bodies a reader of DevTools' log wants read in (by the request and its status). */
export type WantsBody = (method: string, url: string, postText: string | undefined, status: number) => boolean;

/** A recorded entry as plain HAR (no getContent), with its body read in (at most 64 KiB) when wanted and not already there. */
async function plainEntry(e: NonNullable<HarLog['entries']>[number], wantsBody: WantsBody): Promise<unknown> {
  const { getContent: _read, ...plain } = e;
  if (typeof e.response?.content?.text === 'string' || typeof e.getContent !== 'function' || !wantsBody(e.request.method, e.request.url, e.request.postData?.text, e.response?.status ?? 0)) return plain;
  const body = await readContent(e as FinishedRequest);
  if (!body) return plain;
  return { ...plain, response: { ...plain.response, content: { ...e.response?.content, text: body.text.slice(0, 65_536), ...(body.encoding ? { encoding: body.encoding } : {}) } } };
}

/**
 * Each request DevTools records from now on, as recordedLog gives them (plain HAR, the bodies
 * `wantsBody` asks for read in), in the order they finish. Returns how to stop; undefined where
 * the browser has no such event (the panel opened as a tab).
 */
export function followRecorded(wantsBody: WantsBody, onEntry: (entry: unknown) => void): (() => void) | undefined {
  const finished = devtools()?.network?.onRequestFinished;
  if (!finished) return undefined;
  const listener = (e: FinishedRequest) => void plainEntry(e as unknown as NonNullable<HarLog['entries']>[number], wantsBody).then(onEntry, () => undefined);
  finished.addListener(listener);
  return () => finished.removeListener?.(listener);
}

/** Chrome's getContent takes a callback, Firefox's returns a promise of [content, mimeType]: both are read. */
export function readContent(req: FinishedRequest): Promise<{ text: string; encoding: string } | undefined> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (v: { text: string; encoding: string } | undefined) => {
      if (!done) {
        done = true;
        resolve(v);
      }
    };
    try {
      const out = req.getContent((content, encoding) => finish(typeof content === 'string' ? { text: content, encoding: encoding ?? '' } : undefined));
      if (out && typeof (out as Promise<unknown>).then === 'function') {
        (out as Promise<unknown>).then(
          (v) => finish(Array.isArray(v) && typeof v[0] === 'string' ? { text: v[0], encoding: '' } : typeof v === 'string' ? { text: v, encoding: '' } : undefined),
          () => finish(undefined),
        );
      }
    } catch {
      finish(undefined);
    }
    setTimeout(() => finish(undefined), 5000);
  });
}

/** The inspected page navigated (DevTools' own event: the new URL, once committed). */
export function onInspectedNavigation(cb: (url: string) => void): void {
  devtools()?.network?.onNavigated?.addListener(cb);
}

/**
 * A request's body as DevTools recorded it (it records only while open). The background does
 * not capture bodies: that would cost every request a requestBody listener.
 */
export async function recordedBody(url: string, method: string, startedDateTime: string): Promise<string | undefined> {
  try {
    const log = await harLog();
    if (!log) return undefined;
    const at = Date.parse(startedDateTime);
    let best: { d: number; text: string } | undefined;
    for (const e of log.entries ?? []) {
      if (e.request.url !== url || e.request.method !== method || e.request.postData?.text === undefined) continue;
      const d = Math.abs(Date.parse(e.startedDateTime) - at);
      if (!best || d < best.d) best = { d, text: e.request.postData.text };
    }
    return best && best.d < 10_000 ? best.text : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Evaluate an expression in the inspected page, or in its frame whose document has this URL;
 * rejects with its exception (a frame that is gone: "Object not found").
 */
export async function evalInInspectedPage(code: string, frameUrl?: string): Promise<unknown> {
  const ev = devtools()?.inspectedWindow?.eval;
  if (!ev) throw new Error('not in DevTools');
  const out = await (frameUrl === undefined ? ev(code) : ev(code, { frameURL: frameUrl }));
  // The callback-style API resolves to [result, exceptionInfo].
  if (Array.isArray(out)) {
    const [result, exception] = out as [unknown, { isException?: boolean; value?: string; description?: string; code?: string } | undefined];
    if (exception && exception.code === 'E_NOTFOUND' && frameUrl !== undefined) throw new Error('the frame that sent it is no longer in the page');
    if (exception && (exception.isException || exception.value || exception.description)) throw new Error(exception.value ?? exception.description ?? 'evaluation failed');
    return result;
  }
  return out;
}

/**
 * The inspected page's frame documents (the top one first), where an evaluation can run in a
 * frame: Chrome's getResources lists them, and its eval takes a frame's URL. Firefox has neither
 * (its eval ignores options), so there re-runs of a frame's request go from the extension.
 */
export function frameDocumentsReader(): (() => Promise<string[]>) | undefined {
  const w = devtools()?.inspectedWindow;
  const list = w?.getResources;
  if (!list || !w.eval) return undefined;
  return () =>
    new Promise<string[]>((resolve) => {
      try {
        list.call(w, (resources) => resolve((resources ?? []).filter((r) => r.type === 'document' && typeof r.url === 'string' && /^https?:/.test(r.url)).map((r) => r.url)));
      } catch {
        resolve([]);
      }
    });
}

/**
 * Clear a site's storage and cache (not its cookies): origins in Chrome, host names in Firefox.
 * browsingData is an optional permission, asked for the first time the user does this (the
 * request must come first, while the click still counts as a user gesture).
 */
export async function clearSiteData(origin: string): Promise<void> {
  const granted = await browser.permissions.request({ permissions: ['browsingData'] }).catch(() => false);
  if (!granted) throw new Error('Why 401 needs the "browsing data" permission to clear a site’s storage; it was not granted.');
  const data = { cache: true, cacheStorage: true, indexedDB: true, localStorage: true, serviceWorkers: true };
  const bd = browser.browsingData;
  try {
    await bd.remove({ origins: [origin] } as never, data);
  } catch {
    await bd.remove({ hostnames: [new URL(origin).hostname] }, data);
  }
}
