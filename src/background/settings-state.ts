/**
 * The settings as the background holds them: loaded from storage.local (validated), applied at
 * once when the options page or a handler changes them, and announced to whoever reacts (the
 * capture tiers, re-diagnosis). The one owner of "the current settings" in the worker.
 */
import type { KeyValueStore } from '../platform/types.ts';
import { SETTINGS_KEY, defaultSettings, validateSettings, type Settings } from '../shared/settings.ts';

export class SettingsState {
  private value: Settings = defaultSettings();
  private readonly listeners: ((next: Settings, before: Settings) => void)[] = [];
  /** Settled once the stored settings are read (or could not be). */
  readonly loaded: Promise<void>;

  constructor(private readonly local: KeyValueStore) {
    this.loaded = local.get([SETTINGS_KEY]).then(
      (items) => this.apply(validateSettings(items[SETTINGS_KEY])),
      () => undefined,
    );
  }

  get current(): Settings {
    return this.value;
  }

  /** Called with the new and the previous settings on every change. */
  onChange(fn: (next: Settings, before: Settings) => void): void {
    this.listeners.push(fn);
  }

  apply(next: Settings): void {
    const before = this.value;
    this.value = next;
    for (const fn of this.listeners) fn(next, before);
  }

  /** A stored value from storage.onChanged (another page saved it): validated like a load. */
  applyStored(raw: unknown): void {
    this.apply(validateSettings(raw));
  }

  async save(next: Settings): Promise<void> {
    this.apply(next);
    await this.local.set({ [SETTINGS_KEY]: next });
  }
}
