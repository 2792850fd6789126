/**
 * The browser's third-party-cookie setting, read for each failure's evidence once the user has
 * allowed it (the optional `privacy` permission): cached a few seconds, so a burst of failures
 * reads it once, and forgotten when permissions change.
 */
import type { CookiePolicy } from '../core/exchange/har-types.ts';

/** How long a reading stays fresh (the user can change the setting any time). */
const FRESH_MS = 5000;

export class CookiePolicyReader {
  private cache = new Map<boolean, { at: number; value: Promise<CookiePolicy | undefined> }>();

  constructor(
    private readonly read: (incognito: boolean) => Promise<CookiePolicy | undefined>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The setting for a cookie store (Chrome's incognito store "1", Firefox's private one have their own). */
  forStore(storeId: string | undefined): Promise<CookiePolicy | undefined> {
    const incognito = storeId === '1' || storeId === 'firefox-private';
    const hit = this.cache.get(incognito);
    if (hit && this.now() - hit.at < FRESH_MS) return hit.value;
    const value = this.read(incognito).catch(() => undefined);
    this.cache.set(incognito, { at: this.now(), value });
    return value;
  }

  /** Permissions changed: read again next time. */
  forget(): void {
    this.cache.clear();
  }
}
