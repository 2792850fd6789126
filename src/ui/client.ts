/**
 * The UIs' side of the message protocol: typed requests (errors come back as data and are
 * rethrown here), and a port subscription that reconnects when the service worker restarts.
 */
import { browser } from '../platform/browser.ts';
import { PORT_NAME, type Push, type Reply, type RequestMap, type RequestType } from '../shared/protocol.ts';

export async function request<K extends RequestType>(type: K, payload: RequestMap[K]['req']): Promise<RequestMap[K]['res']> {
  let reply: Reply<RequestMap[K]['res']> | undefined;
  try {
    reply = (await browser.runtime.sendMessage({ ...payload, type })) as Reply<RequestMap[K]['res']> | undefined;
  } catch (e) {
    throw new Error(`The background did not answer (${e instanceof Error ? e.message : String(e)}).`);
  }
  if (!reply) throw new Error('The background did not answer.');
  if (!reply.ok) throw new Error(reply.error);
  return reply.value;
}

export interface Subscription {
  close(): void;
  /** Ask for the records older than `before` (seq) that the first snapshot left out. */
  more?(tabId: number, before: number): void;
}

/**
 * Follow a tab: a snapshot first, then pushes. When the worker stops, the port disconnects; the
 * subscription reconnects and the new snapshot rebuilds the view.
 */
export function subscribe(tabId: number, onPush: (p: Push) => void, onConnected: (connected: boolean) => void): Subscription {
  let closed = false;
  let port: ReturnType<typeof browser.runtime.connect> | undefined;
  let retry = 100;
  const connect = () => {
    if (closed) return;
    try {
      port = browser.runtime.connect({ name: PORT_NAME });
    } catch {
      setTimeout(connect, (retry = Math.min(retry * 2, 2000)));
      return;
    }
    port.onMessage.addListener((m: unknown) => {
      retry = 100;
      onConnected(true);
      onPush(m as Push);
    });
    port.onDisconnect.addListener(() => {
      port = undefined;
      if (closed) return;
      onConnected(false);
      setTimeout(connect, retry);
    });
    port.postMessage({ type: 'subscribe', tabId });
  };
  connect();
  return {
    close() {
      closed = true;
      port?.disconnect();
    },
    more(tab, before) {
      try {
        port?.postMessage({ type: 'more', tabId: tab, before });
      } catch {
        // disconnected: the reconnect's snapshot starts over
      }
    },
  };
}

/** Copy text; in a DevTools panel the async clipboard can be refused, so fall back to execCommand. */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // fall through
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('The browser refused to copy to the clipboard.');
}

/** Save text as a file the user downloads. */
export function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
