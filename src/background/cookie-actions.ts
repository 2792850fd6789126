/**
 * "Clear site cookies", with undo. What will go is shown before acting; a snapshot of every
 * cleared cookie (with its value and every attribute: partition, cookie store, first party) is
 * kept in storage.session, so one click restores them. Everything acts on one cookie store — the
 * tab's own (a Firefox container or private window, a Chrome incognito window) — and by each
 * cookie's full identity (core/cookies/cookies.ts cookieIdentity). Undo never clobbers a cookie the
 * site has set again since (any attribute changed) unless the user confirms, and keeps what it
 * could not restore for another try.
 */
import { cookieChanges, cookieIdentity, cookieMatchesHost, inPartitionOf } from '../core/cookies/cookies.ts';
import type { JarCookie } from '../core/exchange/har-types.ts';
import { parseUrl, registrableDomain } from '../core/cookies/site.ts';
import type { CookieJar, KeyValueStore } from '../platform/types.ts';
import type { ClearScope, CookieSummary, OtherPartition } from '../shared/protocol.ts';

const UNDO = 'u:';
/** Snapshots older than this are dropped (those of a tab live as long as the tab; the others this long). */
export const UNDO_TTL_MS = 2 * 3600_000;

interface UndoSnapshot {
  tabId: number;
  at: number;
  url: string;
  scope: ClearScope;
  /** The cookie store the clear acted on ('' for the default). */
  storeId: string;
  cookies: JarCookie[];
}

/** The top-level site a partitioned cookie lives under, as a reader names it ("app.test"). */
function partitionName(c: JarCookie): string | undefined {
  const top = c.partitionKey?.topLevelSite;
  if (!top) return undefined;
  return parseUrl(top)?.hostname.toLowerCase() ?? top;
}

export function summarize(c: JarCookie): CookieSummary {
  const under = partitionName(c);
  return { name: c.name, domain: c.domain, path: c.path, partitioned: c.partitionKey !== undefined, ...(under ? { partitionSite: under } : {}), session: c.session };
}

function isSnapshot(v: unknown): v is UndoSnapshot {
  const s = v as Partial<UndoSnapshot> | null;
  return !!s && typeof s.tabId === 'number' && typeof s.at === 'number' && typeof s.url === 'string' && Array.isArray(s.cookies);
}

export class CookieActions {
  private counter = 0;

  constructor(
    private readonly jar: CookieJar,
    private readonly kv: KeyValueStore,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /**
   * The cookies a clear would remove: those sent to this host, or every cookie of its registrable
   * domain — in one cookie store, and in the partition of the page the failure happened in
   * (`topLevelUrl`; the URL itself when not known): a widget's failure under one site does not
   * clear that widget's cookies under every other site. Those are counted by partition.
   */
  async preview(url: string, scope: ClearScope, storeId?: string, topLevelUrl?: string): Promise<{ cookies: JarCookie[]; site: string; otherPartitions: OtherPartition[] }> {
    const u = parseUrl(url);
    if (!u || !/^https?:$/.test(u.protocol)) throw new Error('cookies can only be cleared for http and https pages');
    const host = u.hostname.toLowerCase();
    const site = registrableDomain(host);
    const all = (await this.jar.forDomain(site, storeId)).filter((c) => storeId === undefined || c.storeId === undefined || c.storeId === storeId);
    const inScope = scope === 'site' ? all : all.filter((c) => cookieMatchesHost(c, host));
    const cookies: JarCookie[] = [];
    const others = new Map<string, number>();
    for (const c of inScope) {
      if (inPartitionOf(c, topLevelUrl ?? url)) cookies.push(c);
      else others.set(partitionName(c)!, (others.get(partitionName(c)!) ?? 0) + 1);
    }
    cookies.sort((a, b) => a.domain.localeCompare(b.domain) || a.name.localeCompare(b.name) || a.path.localeCompare(b.path));
    const otherPartitions = [...others].map(([under, count]) => ({ site: under, count })).sort((a, b) => a.site.localeCompare(b.site));
    return { cookies, site: scope === 'site' ? site : host, otherPartitions };
  }

  async clear(url: string, scope: ClearScope, tabId: number, storeId?: string, topLevelUrl?: string): Promise<{ undoId: string; cleared: JarCookie[] }> {
    await this.sweep();
    const { cookies } = await this.preview(url, scope, storeId, topLevelUrl);
    const undoId = `${tabId}-${this.now().toString(36)}-${(this.counter++).toString(36)}`;
    // The snapshot is written before anything is removed: nothing can be lost.
    const snapshot: UndoSnapshot = { tabId, at: this.now(), url, scope, storeId: storeId ?? '', cookies };
    await this.kv.set({ [UNDO + undoId]: snapshot });
    const cleared: JarCookie[] = [];
    for (const c of cookies) {
      // One cookie the browser refuses to remove must not stop the others (or lose the undo).
      if (await this.jar.remove(c).catch(() => false)) cleared.push(c);
    }
    // Only what really went can come back.
    if (cleared.length !== cookies.length) await this.kv.set({ [UNDO + undoId]: { ...snapshot, cookies: cleared } });
    return { undoId, cleared };
  }

  async undo(undoId: string, overwrite = false): Promise<{ restored: number; conflicts: string[]; failed: string[]; back: JarCookie[]; tabId: number; url: string }> {
    const key = UNDO + undoId;
    const raw = (await this.kv.get([key]))[key];
    if (!isSnapshot(raw)) throw new Error('nothing to undo: the snapshot is gone (the tab was closed or it was already undone)');
    const snapshot = raw;
    const conflicts: string[] = [];
    const failed: string[] = [];
    let restored = 0;
    const back: JarCookie[] = [];
    const site = registrableDomain(parseUrl(snapshot.url)?.hostname ?? '');
    const current = new Map((await this.jar.forDomain(site, snapshot.storeId || undefined)).map((c) => [cookieIdentity(c), c]));
    const remaining: JarCookie[] = [];
    for (const c of snapshot.cookies) {
      const now = current.get(cookieIdentity(c));
      if (now && cookieChanges(now, c).length === 0) {
        restored++; // already back as it was
        back.push(c);
        continue;
      }
      if (now && !overwrite) {
        // The site set this cookie again since (a new value, expiry or flags): keep the newer one unless the user confirms.
        conflicts.push(c.name);
        remaining.push(c);
        continue;
      }
      if (c.session === false && c.expirationDate !== undefined && c.expirationDate * 1000 <= this.now()) {
        failed.push(`${c.name} (expired meanwhile)`);
        continue;
      }
      if (await this.jar.restore(c).catch(() => false)) {
        restored++;
        back.push(c);
      } else {
        // Kept for another try, and said.
        failed.push(c.name);
        remaining.push(c);
      }
    }
    if (remaining.length === 0) await this.kv.remove([key]);
    else await this.kv.set({ [key]: { ...snapshot, cookies: remaining } });
    return { restored, conflicts, failed, back, tabId: snapshot.tabId, url: snapshot.url };
  }

  /** Undo snapshots live as long as their tab. */
  async forgetTab(tabId: number): Promise<void> {
    const all = await this.kv.get(null);
    const keys = Object.keys(all).filter((k) => k.startsWith(`${UNDO}${tabId}-`));
    if (keys.length > 0) await this.kv.remove(keys);
  }

  /** Snapshots of no tab (a panel opened as a page) or long forgotten: gone after UNDO_TTL_MS. */
  private async sweep(): Promise<void> {
    const all = await this.kv.get(null);
    const old = Object.entries(all)
      .filter(([k, v]) => k.startsWith(UNDO) && (!isSnapshot(v) || this.now() - v.at > UNDO_TTL_MS))
      .map(([k]) => k);
    if (old.length > 0) await this.kv.remove(old);
  }
}
