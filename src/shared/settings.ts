/**
 * Settings: stored in storage.local (settings only, never captured data) under one key, with
 * defaults, validation of every field, and a version so later changes migrate cleanly.
 */

export const SETTINGS_KEY = 'settings';
export const SETTINGS_VERSION = 1;

/** webRequest resource types the user can choose to watch. */
export const RESOURCE_TYPES = [
  'main_frame',
  'sub_frame',
  'xmlhttprequest',
  'other',
  'script',
  'ping',
  'websocket',
  'stylesheet',
  'image',
  'font',
  'media',
  'object',
] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

/** Watched unless the user asks for more: what carries API calls and documents. */
export const DEFAULT_TYPES: ResourceType[] = ['main_frame', 'sub_frame', 'xmlhttprequest', 'other', 'script', 'ping', 'websocket'];

export interface Settings {
  version: typeof SETTINGS_VERSION;
  /** Which statuses count as failures besides auth challenges (401 and 407 on by default). */
  statuses: { 401: boolean; 407: boolean; 403: boolean };
  resourceTypes: ResourceType[];
  perTabCap: number;
  totalCap: number;
  /** Keep a tab's list across navigations. */
  preserveLog: boolean;
  /**
   * Hear every request in full (Chrome's extraHeaders everywhere), not only fetch/XHR, failing
   * origins and inspected tabs: first failures on a page resource then show their cookies too,
   * at a cost on every page (background/tiers.ts).
   */
  captureInFull: boolean;
  /**
   * Follow OAuth / OpenID Connect sign-ins with DevTools closed: hear the form bodies of requests
   * whose path names a token (and, in Firefox, read their answers as they pass). Off: the sign-in
   * view and the token's lane have only what DevTools records.
   */
  followSignIns: boolean;
  /** Secrets are always masked; this only says whether the UI offers "reveal". */
  allowReveal: boolean;
  /** Tolerance for token times (exp, nbf), seconds. */
  clockSkewSeconds: number;
  /** When not empty, capture only these sites (host suffixes). */
  siteAllowlist: string[];
  /** Never capture these sites (host suffixes). */
  siteDenylist: string[];
  /** Sites paused from the popup (host suffixes). */
  pausedSites: string[];
  /** Flash the badge when a new failure arrives. */
  badgeAlert: boolean;
  /** Show a system notification for new failures (needs the optional "notifications" permission). */
  notifications: boolean;
}

export const CAP_LIMITS = { perTab: [10, 2000], total: [50, 5000] } as const;

export function defaultSettings(): Settings {
  return {
    version: SETTINGS_VERSION,
    statuses: { 401: true, 407: true, 403: false },
    resourceTypes: [...DEFAULT_TYPES],
    perTabCap: 250,
    totalCap: 1000,
    preserveLog: false,
    captureInFull: false,
    followSignIns: true,
    allowReveal: true,
    clockSkewSeconds: 0,
    siteAllowlist: [],
    siteDenylist: [],
    pausedSites: [],
    badgeAlert: false,
    notifications: false,
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function bool(v: unknown, fallback: boolean): boolean {
  return typeof v === 'boolean' ? v : fallback;
}

function int(v: unknown, [lo, hi]: readonly [number, number], fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(hi, Math.max(lo, Math.round(v))) : fallback;
}

/** A site pattern: a host or a host suffix ("example.com" covers its subdomains). */
export function normalizeSite(text: string): string | undefined {
  let t = text.trim().toLowerCase();
  if (t === '') return undefined;
  try {
    if (/^[a-z][a-z0-9+.-]*:\/\//.test(t)) t = new URL(t).hostname;
  } catch {
    return undefined;
  }
  t = t.replace(/^\*\./, '').replace(/^\./, '').replace(/\/.*$/, '').replace(/:\d+$/, '');
  return /^[a-z0-9.-]+$/.test(t) && !t.startsWith('.') && !t.endsWith('.') ? t : undefined;
}

function sites(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  const out = new Set<string>();
  for (const s of v) {
    if (typeof s !== 'string') continue;
    const n = normalizeSite(s);
    if (n) out.add(n);
    if (out.size >= 500) break;
  }
  return [...out];
}

/** Any stored value (of any version, or garbage) to valid settings. */
export function validateSettings(raw: unknown): Settings {
  const d = defaultSettings();
  if (!isRecord(raw)) return d;
  const migrated = migrate(raw);
  const statuses = isRecord(migrated['statuses']) ? migrated['statuses'] : {};
  const types = Array.isArray(migrated['resourceTypes'])
    ? migrated['resourceTypes'].filter((t): t is ResourceType => typeof t === 'string' && (RESOURCE_TYPES as readonly string[]).includes(t))
    : d.resourceTypes;
  const perTabCap = int(migrated['perTabCap'], CAP_LIMITS.perTab, d.perTabCap);
  return {
    version: SETTINGS_VERSION,
    statuses: { 401: bool(statuses['401'], true), 407: bool(statuses['407'], true), 403: bool(statuses['403'], false) },
    resourceTypes: types.length > 0 ? [...new Set(types)] : d.resourceTypes,
    perTabCap,
    totalCap: Math.max(perTabCap, int(migrated['totalCap'], CAP_LIMITS.total, d.totalCap)),
    preserveLog: bool(migrated['preserveLog'], d.preserveLog),
    captureInFull: bool(migrated['captureInFull'], d.captureInFull),
    followSignIns: bool(migrated['followSignIns'], d.followSignIns),
    allowReveal: bool(migrated['allowReveal'], d.allowReveal),
    clockSkewSeconds: int(migrated['clockSkewSeconds'], [0, 3600], d.clockSkewSeconds),
    siteAllowlist: sites(migrated['siteAllowlist']),
    siteDenylist: sites(migrated['siteDenylist']),
    pausedSites: sites(migrated['pausedSites']),
    badgeAlert: bool(migrated['badgeAlert'], d.badgeAlert),
    notifications: bool(migrated['notifications'], d.notifications),
  };
}

/** Migrations from older versions go here, one step per version. */
function migrate(raw: Record<string, unknown>): Record<string, unknown> {
  const version = typeof raw['version'] === 'number' ? raw['version'] : 0;
  let out = { ...raw };
  if (version < 1) {
    // Version 0 (unversioned) stored `include403` as a flag.
    if (typeof out['include403'] === 'boolean') out = { ...out, statuses: { 401: true, 407: true, 403: out['include403'] } };
  }
  return out;
}

export function hostMatches(host: string, pattern: string): boolean {
  return host === pattern || host.endsWith(`.${pattern}`);
}

/**
 * Whether capture is on for a request to `host` made by a page on `pageHost`. A site in a list
 * matches either: pausing the site you are on stops capture of its API calls too, and a denied
 * API host is never captured whichever page calls it.
 */
export function captureAllowed(settings: Settings, host: string, pageHost?: string): boolean {
  const hosts = pageHost && pageHost !== host ? [host, pageHost] : [host];
  const listed = (list: string[]) => hosts.some((h) => list.some((p) => hostMatches(h, p)));
  if (listed(settings.siteDenylist) || listed(settings.pausedSites)) return false;
  if (settings.siteAllowlist.length > 0 && !listed(settings.siteAllowlist)) return false;
  return true;
}
