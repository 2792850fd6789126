/**
 * The panel's live view of a tab, over a runtime Port: a snapshot of the newest records first
 * (so the list paints at once), the older ones in batches when asked, then a push for every
 * change the store makes. Ports come and go with the panels; every message on them is checked.
 */
import { FIRST_SNAPSHOT, OLDER_BATCH, parsePortMessage, type Push } from '../shared/protocol.ts';
import type { StoreEvent, TabStore } from './store.ts';

/** What this module needs of a runtime Port (tests pass a fake). */
export interface PortLike {
  postMessage(message: unknown): void;
  onMessage: { addListener(cb: (message: unknown) => void): void };
  onDisconnect: { addListener(cb: () => void): void };
}

type StoreView = Pick<TabStore, 'ready' | 'snapshot' | 'meta'>;

export class Subscriptions {
  /** Each open port and the tab it follows (undefined until it subscribes). */
  private readonly ports = new Map<PortLike, number | undefined>();

  constructor(
    private readonly store: StoreView,
    /** Called for every message refused (malformed): counted for diagnostics. */
    private readonly onRejected: () => void = () => undefined,
    /** A tab gained its first follower (a panel opened on it) or lost its last. */
    private readonly onFollow: (tabId: number, followed: boolean) => void = () => undefined,
  ) {}

  private followers(tabId: number | undefined): number {
    let n = 0;
    if (tabId !== undefined) for (const t of this.ports.values()) if (t === tabId) n++;
    return n;
  }

  /** Follow another tab (or none): tell when a tab's first follower comes or its last goes. */
  private follow(port: PortLike, tabId: number | undefined): void {
    const before = this.ports.get(port);
    if (before === tabId && this.ports.has(port)) return;
    if (tabId === undefined) this.ports.delete(port);
    else this.ports.set(port, tabId);
    if (before !== undefined && before !== tabId && this.followers(before) === 0) this.onFollow(before, false);
    if (tabId !== undefined && before !== tabId && this.followers(tabId) === 1) this.onFollow(tabId, true);
  }

  get size(): number {
    return this.ports.size;
  }

  /** A port from one of the extension's pages (the caller has checked its sender). */
  attach(port: PortLike): void {
    this.ports.set(port, undefined);
    port.onMessage.addListener((raw) => this.receive(port, raw));
    port.onDisconnect.addListener(() => this.follow(port, undefined));
  }

  private receive(port: PortLike, raw: unknown): void {
    const msg = parsePortMessage(raw);
    if (!msg) {
      this.onRejected();
      console.warn('Why 401: ignored a malformed port message');
      return;
    }
    if (msg.type === 'more') {
      // The rest of a first snapshot: the newest batch of the records older than the panel's oldest.
      if (this.ports.get(port) !== msg.tabId) return;
      const older = this.store.snapshot(msg.tabId).records.filter((r) => r.seq < msg.before);
      const records = older.slice(-OLDER_BATCH);
      this.send(port, { type: 'older', tabId: msg.tabId, records, older: older.length - records.length });
      return;
    }
    this.follow(port, msg.tabId);
    void this.store.ready.then(() => {
      if (this.ports.get(port) !== msg.tabId) return;
      // The newest records first (a 2,000-record snapshot is ~6 MB of JSON): the list paints, then asks for the rest.
      const snapshot = this.store.snapshot(msg.tabId);
      const older = Math.max(0, snapshot.records.length - FIRST_SNAPSHOT);
      this.send(port, { type: 'snapshot', snapshot: older > 0 ? { ...snapshot, records: snapshot.records.slice(older), older } : snapshot });
    });
  }

  /** A change in the store, to every port that follows its tab. */
  broadcast(e: StoreEvent): void {
    let push: Push | undefined;
    for (const [port, tabId] of this.ports) {
      if (tabId !== e.tabId) continue;
      push ??= this.pushFor(e);
      this.send(port, push);
    }
  }

  private pushFor(e: StoreEvent): Push {
    if (e.type === 'record') {
      const meta = this.store.meta(e.tabId);
      return { type: 'record', tabId: e.tabId, record: e.record, count: meta.count, dropped: meta.dropped };
    }
    if (e.type === 'record-updated') return { type: 'record-updated', tabId: e.tabId, record: e.record };
    if (e.type === 'cleared') return { type: 'cleared', tabId: e.tabId, ...(e.reason ? { reason: e.reason } : {}), ...(e.removed !== undefined ? { removed: e.removed } : {}) };
    const meta = this.store.meta(e.tabId);
    return { type: 'meta', tabId: e.tabId, count: meta.count, dropped: meta.dropped };
  }

  private send(port: PortLike, push: Push): void {
    try {
      port.postMessage(push);
    } catch {
      // The panel went away between its last message and this one.
      this.follow(port, undefined);
    }
  }
}
