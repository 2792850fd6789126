/**
 * "Clear site cookies", with undo. What will go is shown before acting; a snapshot of every
 * cleared cookie (with its value and every attribute, partition included) is kept in
 * storage.session, so one click restores them. Undo never clobbers a cookie the site has set
 * again since, unless the user confirms.
 */
import { domainMatches } from '../core/cookies.ts';
import type { JarCookie } from '../core/har-types.ts';
import { parseUrl, registrableDomain } from '../core/site.ts';
import type { CookieJar, KeyValueStore } from '../platform/types.ts';
import type { ClearScope, CookieSummary } from '../shared/protocol.ts';

const UNDO = 'u:';

interface UndoSnapshot {
  tabId: number;
  at: number;
  url: string;
  scope: ClearScope;
  cookies: JarCookie[];
}

export function summarize(c: JarCookie): CookieSummary {
  return { name: c.name, domain: c.domain, path: c.path, partitioned: c.partitionKey !== undefined, session: c.session };
}

function sameCookie(a: JarCookie, b: JarCookie): boolean {
  return (
    a.name === b.name &&
    a.domain.replace(/^\./, '') === b.domain.replace(/^\./, '') &&
    a.path === b.path &&
    (a.partitionKey?.topLevelSite ?? '') === (b.partitionKey?.topLevelSite ?? '') &&
    (a.storeId ?? '') === (b.storeId ?? '')
  );
}

export class CookieActions {
  private counter = 0;

  constructor(
    private readonly jar: CookieJar,
    private readonly kv: KeyValueStore,
  ) {}

  /** The cookies a clear would remove: those sent to this host, or every cookie of its registrable domain. */
  async preview(url: string, scope: ClearScope, storeId?: string): Promise<{ cookies: JarCookie[]; site: string }> {
    const u = parseUrl(url);
    if (!u || !/^https?:$/.test(u.protocol)) throw new Error('cookies can only be cleared for http and https pages');
    const host = u.hostname.toLowerCase();
    const site = registrableDomain(host);
    const all = await this.jar.forDomain(site, storeId);
    const cookies = scope === 'site' ? all : all.filter((c) => (c.hostOnly ? c.domain.replace(/^\./, '') === host : domainMatches(host, c.domain)));
    cookies.sort((a, b) => a.domain.localeCompare(b.domain) || a.name.localeCompare(b.name));
    return { cookies, site: scope === 'site' ? site : host };
  }

  async clear(url: string, scope: ClearScope, tabId: number, storeId?: string): Promise<{ undoId: string; cleared: JarCookie[] }> {
    const { cookies } = await this.preview(url, scope, storeId);
    const undoId = `${tabId}-${Date.now().toString(36)}-${(this.counter++).toString(36)}`;
    // The snapshot is written before anything is removed: nothing can be lost.
    const snapshot: UndoSnapshot = { tabId, at: Date.now(), url, scope, cookies };
    await this.kv.set({ [UNDO + undoId]: snapshot });
    const cleared: JarCookie[] = [];
    for (const c of cookies) {
      // One cookie the browser refuses to remove must not stop the others (or lose the undo).
      if (await this.jar.remove(c).catch(() => false)) cleared.push(c);
    }
    return { undoId, cleared };
  }

  async undo(undoId: string, overwrite = false): Promise<{ restored: number; conflicts: string[]; failed: string[] }> {
    const key = UNDO + undoId;
    const snapshot = (await this.kv.get([key]))[key] as UndoSnapshot | undefined;
    if (!snapshot) throw new Error('nothing to undo: the snapshot is gone (the tab was closed or it was already undone)');
    const conflicts: string[] = [];
    const failed: string[] = [];
    let restored = 0;
    const site = registrableDomain(parseUrl(snapshot.url)?.hostname ?? '');
    const now = await this.jar.forDomain(site, snapshot.cookies[0]?.storeId);
    const remaining: JarCookie[] = [];
    for (const c of snapshot.cookies) {
      const current = now.find((n) => sameCookie(n, c));
      if (current && current.value !== c.value && !overwrite) {
        // The site set this cookie again since: keep the newer one unless the user confirms.
        conflicts.push(c.name);
        remaining.push(c);
        continue;
      }
      if (c.session === false && c.expirationDate !== undefined && c.expirationDate * 1000 <= Date.now()) {
        failed.push(`${c.name} (expired meanwhile)`);
        continue;
      }
      if (await this.jar.restore(c).catch(() => false)) restored++;
      else {
        failed.push(c.name);
        remaining.push(c);
      }
    }
    if (remaining.length === 0 || overwrite) await this.kv.remove([key]);
    else await this.kv.set({ [key]: { ...snapshot, cookies: remaining } });
    return { restored, conflicts, failed };
  }

  /** Undo snapshots live as long as their tab. */
  async forgetTab(tabId: number): Promise<void> {
    const all = await this.kv.get(null);
    const keys = Object.keys(all).filter((k) => k.startsWith(`${UNDO}${tabId}-`));
    if (keys.length > 0) await this.kv.remove(keys);
  }
}
