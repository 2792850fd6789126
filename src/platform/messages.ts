/**
 * The UIs' side of the message protocol (runtime messaging, so it lives in the platform layer):
 * typed requests (errors come back as data and are rethrown here), and a port subscription that
 * reconnects when the service worker restarts.
 */
import { PORT_NAME, parsePush, parseReply, type Push, type RequestMap, type RequestType } from '../shared/protocol.ts';
import { browser } from './browser.ts';

export async function request<K extends RequestType>(type: K, payload: RequestMap[K]['req']): Promise<RequestMap[K]['res']> {
  let raw: unknown;
  try {
    raw = await browser.runtime.sendMessage({ ...payload, type });
  } catch (e) {
    throw new Error(`The background did not answer (${e instanceof Error ? e.message : String(e)}).`);
  }
  const reply = parseReply(raw);
  if (!reply) throw new Error('The background did not answer.');
  if (!reply.ok) throw new Error(reply.error);
  // The value's type is the request's (RequestMap): the background is the only sender that is heard.
  return reply.value as RequestMap[K]['res'];
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
      const push = parsePush(m);
      if (push) onPush(push);
      else console.warn('Why 401: ignored a malformed message from the background');
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
