/**
 * webRequest events that arrive before the stored state is loaded (a worker woken by the event
 * itself) wait for it, in order, bounded; after that they pass straight through.
 */
import type { RequestDetails, WebRequestHandlers } from '../platform/types.ts';

const MAX_QUEUED = 5000;

export class ReadyGate {
  private open = false;
  private readonly queued: [(d: RequestDetails) => void, RequestDetails][] = [];

  get isOpen(): boolean {
    return this.open;
  }

  wrap(live: WebRequestHandlers): WebRequestHandlers {
    const wrap = (fn: (d: RequestDetails) => void) => (d: RequestDetails) => {
      if (this.open) fn(d);
      else if (this.queued.length < MAX_QUEUED) this.queued.push([fn, d]);
    };
    return { onSendHeaders: wrap(live.onSendHeaders), onHeadersReceived: wrap(live.onHeadersReceived), onBeforeRedirect: wrap(live.onBeforeRedirect) };
  }

  /** The state is loaded: replay what waited, then let everything through. */
  release(): void {
    this.open = true;
    for (const [fn, d] of this.queued.splice(0)) fn(d);
  }
}
