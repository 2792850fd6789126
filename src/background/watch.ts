/**
 * Watching or paused: whether the capture listens. The truth is the browser's — whether the
 * capture's optional permissions are held (platform/watch.ts) — so a pause gives them back, a
 * resume asks for them again, and a grant or removal made elsewhere (the options page, the
 * browser's add-ons manager) is followed. Nothing captured is dropped by a pause.
 */
import type { KeyValueStore } from '../platform/types.ts';

/** Where the install remembers that it once watched (storage.local): a first run is told from a pause. */
const STARTED = 'watchStarted';

export interface WatchDeps {
  /** Register the capture's listeners (synchronously: a woken worker's first turn). */
  start(): void;
  /** Remove them. */
  stop(): void;
  held(): Promise<boolean>;
  release(): Promise<boolean>;
  /** The state changed (the badge shows it). */
  changed(listening: boolean): void;
  /** storage.local, for the one flag that says it once watched. */
  memory?: KeyValueStore;
}

export class Watch {
  private on = false;

  constructor(private readonly deps: WatchDeps) {}

  get listening(): boolean {
    return this.on;
  }

  /** Whether it ever watched in this install (false: a first run the user has not started yet). */
  async started(): Promise<boolean> {
    if (this.on) return true;
    try {
      return (await this.deps.memory?.get([STARTED]))?.[STARTED] === true;
    } catch {
      return false;
    }
  }

  /** The first turn: listen at once when this context started with the permission. */
  boot(available: boolean): void {
    if (available) this.begin();
  }

  /** Follow the permissions as the browser holds them now (after a grant, a removal, a start). */
  async sync(): Promise<boolean> {
    const held = await this.deps.held();
    if (held && !this.on) this.begin();
    else if (!held && this.on) this.end();
    return this.on;
  }

  /** Pause: the listeners go first (nothing is heard from now on), then the permissions. */
  async pause(): Promise<boolean> {
    if (this.on) this.end();
    await this.deps.release();
    return this.sync();
  }

  private begin(): void {
    this.deps.start();
    this.on = true;
    this.deps.changed(true);
    void this.deps.memory?.set({ [STARTED]: true }).catch(() => undefined);
  }

  private end(): void {
    this.deps.stop();
    this.on = false;
    this.deps.changed(false);
  }
}
