/**
 * The typed, versioned message protocol between the background and the extension's pages
 * (DESIGN.md, How the code is written, 3): one map of requests (runtime.sendMessage → reply) and one of pushes (over a
 * runtime Port). Every inbound message is `unknown` until a guard here accepts it; errors
 * cross contexts as data.
 */
import type { FlowView } from '../core/flows/view.ts';
import type { CauseId, Severity } from '../core/verdict/causes.ts';
import type { CookiePolicy, Har } from '../core/exchange/har-types.ts';
import { parseRerunResult } from '../core/actions/rerun-result.ts';
import type { Timeline } from '../core/exchange/timeline.ts';
import type { RerunResult, StoredRecord, TabSnapshot } from './records.ts';
import type { Settings } from './settings.ts';

export const PROTOCOL_VERSION = 1;
export const PORT_NAME = `why401/${PROTOCOL_VERSION}`;

/** Why a tab's list was emptied: a new page while Preserve log was off, or the user's Clear. */
export type ClearReason = 'navigation' | 'user';

export type ClearScope = 'host' | 'site';

export interface CookieSummary {
  name: string;
  domain: string;
  path: string;
  partitioned: boolean;
  /** A partitioned cookie's top-level site, as a reader names it ("app.test"). */
  partitionSite?: string;
  session: boolean;
}

/** Cookies of the site that a clear leaves alone because they live under another top-level site. */
export interface OtherPartition {
  site: string;
  count: number;
}

export interface RequestMap {
  /** The automation hook (DESIGN.md): a tab's exchanges as HAR, redacted unless asked. */
  'export-har': { req: { tabId: number; includeSecrets?: boolean }; res: Har };
  'get-snapshot': { req: { tabId: number }; res: TabSnapshot };
  /** What the popup shows: the count and the latest few failures, light enough to open at once. */
  'get-summary': { req: { tabId: number; latest?: number }; res: TabSummary };
  /** The tab's auth-relevant context (cookies set and deleted, tokens that worked, redirects). */
  'clear-tab': { req: { tabId: number }; res: { cleared: number } };
  /** The tab's sign-in flows as the capture saw them, broken ones first; `answers`: it read the token answers (Firefox), else it saw no response body. */
  'get-flows': { req: { tabId: number }; res: { flows: FlowView[]; answers: boolean } };
  'get-settings': { req: Record<string, never>; res: Settings };
  /** The install's tag key (background/tag-key.ts), so that the panel tags masks as the background does. */
  'get-tag-key': { req: Record<string, never>; res: { key: string } };
  'set-settings': { req: { settings: unknown }; res: Settings };
  'clear-all': { req: Record<string, never>; res: { tabs: number } };
  /** The tab's own cookie store is used (a container, a private or incognito window) unless a store is named. */
  /** `topLevelUrl`: the page the failure happened in; its partition is the one cleared (the URL's own when absent). */
  'preview-clear-cookies': { req: { url: string; scope: ClearScope; tabId?: number; storeId?: string; topLevelUrl?: string }; res: { cookies: CookieSummary[]; site: string; otherPartitions: OtherPartition[] } };
  'clear-cookies': { req: { url: string; scope: ClearScope; tabId: number; storeId?: string; topLevelUrl?: string }; res: { undoId: string; cleared: number; cookies: CookieSummary[] } };
  'undo-clear-cookies': { req: { undoId: string; overwrite?: boolean }; res: { restored: number; conflicts: string[]; failed: string[] } };
  'record-rerun': { req: { recordId: string; result: RerunResult }; res: StoredRecord };
  /**
   * What DevTools recorded for a failure while it was open: its response body (stored, and the
   * failure judged again with it) and who sent it (Chrome's initiator and call stack).
   */
  'attach-recorded': { req: { recordId: string; body?: { text: string; mimeType: string }; initiator?: unknown }; res: StoredRecord };
  /** The user allowed reading the browser's cookie setting: the tab's failures that want it are judged again with it. */
  'read-cookie-policy': { req: { tabId: number }; res: { policy: CookiePolicy | null; rejudged: number } };
  /** A re-run is about to be sent from the tab itself: its answer belongs to that failure, not a new row. */
  'expect-rerun': { req: { tabId: number; url: string; method: string }; res: { expected: true } };
  'set-paused': { req: { host: string; paused: boolean }; res: Settings };
  /** Watching or paused (background/watch.ts), and the sites the browser lets it see. */
  'get-watch': { req: Record<string, never>; res: WatchState };
  /**
   * `on: false` pauses (the listeners go, then the capture's permissions); `on: true` follows a
   * grant the page has just asked for in its click (only a page's gesture may ask).
   */
  'set-watching': { req: { on: boolean }; res: WatchState };
  /** What the background has run into (uncaught errors, failed writes), for the options page and tests. */
  'get-diagnostics': { req: Record<string, never>; res: Diagnostics };
}

export interface SummaryItem {
  id: string;
  at: number;
  method: string;
  /** Already redacted (query tokens, URL passwords): the popup does not load the redaction code. */
  url: string;
  status: number;
  cause: CauseId;
  severity: Severity;
  title: string;
  plain: string;
  userFixes: string[];
  fixed: boolean;
  /** The first note's title (the app's script never saw this status), when there is one. */
  note?: string;
  /** How many failures repeated this one (core/verdict/burst.ts: a storm, a loop), when some did. */
  repeats?: number;
}

export interface TabSummary {
  tabId: number;
  /** Failures as the badge counts them: a group of repeats once. */
  count: number;
  dropped: number;
  lost: number;
  topUrl?: string;
  latest: SummaryItem[];
  /** The tab's broken sign-in flows as the capture followed them: how many, and the first one's finding (core's words, masked). */
  signIn?: { broken: number; label: string; title: string };
}

export interface WatchState {
  listening: boolean;
  /** Whether it ever watched in this install: false until the first "Start watching" (a first run, not a pause). */
  started: boolean;
  /** Every site, or the ones the user allowed (the browser's own site access). */
  sites: { all: boolean; origins: string[] };
}

export interface Diagnostics {
  version: string;
  errors: string[];
  writeErrors: string[];
  pendingRequests: number;
  records: number;
  tabs: number;
  extraHeaders: boolean;
  /** Watching (false: paused, the capture's permissions given back). */
  listening?: boolean;
  /** What the full capture tier hears (Chrome): failing origins' patterns and inspected tabs. */
  fullCapture?: { origins: string[]; tabs: number[] };
  /** Messages and ports refused since the worker started: from outside the extension, or malformed. */
  rejected: number;
}

export type RequestType = keyof RequestMap;
export type Request = { [K in RequestType]: { type: K } & RequestMap[K]['req'] }[RequestType];
export type Reply<T> = { ok: true; value: T } | { ok: false; error: string };

export type Push =
  | { type: 'snapshot'; snapshot: TabSnapshot }
  | { type: 'record'; tabId: number; record: StoredRecord; count: number; dropped: number }
  | { type: 'record-updated'; tabId: number; record: StoredRecord }
  | { type: 'cleared'; tabId: number; reason?: ClearReason; removed?: number }
  | { type: 'meta'; tabId: number; count: number; dropped: number }
  /**
   * Records a snapshot left out (older than its first), asked for with a `more` message, at most
   * OLDER_BATCH at a time (the newest of them); `older` says how many are older still.
   */
  | { type: 'older'; tabId: number; records: StoredRecord[]; older: number };

export type PortMessage = { type: 'subscribe'; tabId: number } | { type: 'more'; tabId: number; before: number };

/** How many of the newest records a subscription's first snapshot carries. */
export const FIRST_SNAPSHOT = 100;
/** How many older records one `older` answer carries: small enough to parse within a frame. */
export const OLDER_BATCH = 200;

// ---- guards ----

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isStr = (v: unknown, max = 1 << 16): v is string => typeof v === 'string' && v.length <= max;
const optional = (v: unknown, check: (x: unknown) => boolean) => v === undefined || check(v);
const isScope = (v: unknown) => v === 'host' || v === 'site';

const CHECKS: { [K in RequestType]: (m: Record<string, unknown>) => boolean } = {
  'export-har': (m) => isInt(m['tabId']) && optional(m['includeSecrets'], (v) => typeof v === 'boolean'),
  'get-snapshot': (m) => isInt(m['tabId']),
  'get-summary': (m) => isInt(m['tabId']) && optional(m['latest'], (v) => isInt(v) && (v as number) >= 0 && (v as number) <= 50),
  'clear-tab': (m) => isInt(m['tabId']),
  'get-flows': (m) => isInt(m['tabId']),
  'get-settings': () => true,
  'get-tag-key': () => true,
  'set-settings': (m) => isRecord(m['settings']),
  'clear-all': () => true,
  'preview-clear-cookies': (m) => isStr(m['url'], 8192) && isScope(m['scope']) && optional(m['tabId'], isInt) && optional(m['storeId'], (v) => isStr(v, 200)) && optional(m['topLevelUrl'], (v) => isStr(v, 8192)),
  'clear-cookies': (m) => isStr(m['url'], 8192) && isScope(m['scope']) && isInt(m['tabId']) && optional(m['storeId'], (v) => isStr(v, 200)) && optional(m['topLevelUrl'], (v) => isStr(v, 8192)),
  'undo-clear-cookies': (m) => isStr(m['undoId'], 100) && optional(m['overwrite'], (v) => typeof v === 'boolean'),
  'record-rerun': (m) => isStr(m['recordId'], 100) && parseRerunResult(m['result']) !== undefined,
  'attach-recorded': (m) =>
    isStr(m['recordId'], 100) &&
    optional(m['body'], (b) => typeof b === 'object' && b !== null && isStr((b as Record<string, unknown>)['text'], 1 << 20) && isStr((b as Record<string, unknown>)['mimeType'], 200)),
  'read-cookie-policy': (m) => isInt(m['tabId']),
  'expect-rerun': (m) => isInt(m['tabId']) && isStr(m['url'], 16_384) && isStr(m['method'], 32),
  'set-paused': (m) => isStr(m['host'], 300) && typeof m['paused'] === 'boolean',
  'get-diagnostics': () => true,
  'get-watch': () => true,
  'set-watching': (m) => typeof m['on'] === 'boolean',
};

/** Accept a message only if it is a known request with fields of the right types. */
export function parseRequest(raw: unknown): Request | undefined {
  if (!isRecord(raw) || typeof raw['type'] !== 'string') return undefined;
  const check = (CHECKS as Record<string, ((m: Record<string, unknown>) => boolean) | undefined>)[raw['type']];
  if (!check || !Object.hasOwn(CHECKS, raw['type'])) return undefined;
  return check(raw) ? (raw as unknown as Request) : undefined;
}

export function parsePortMessage(raw: unknown): PortMessage | undefined {
  if (!isRecord(raw) || !isInt(raw['tabId'])) return undefined;
  if (raw['type'] === 'subscribe') return { type: 'subscribe', tabId: raw['tabId'] };
  if (raw['type'] === 'more' && isInt(raw['before'])) return { type: 'more', tabId: raw['tabId'], before: raw['before'] };
  return undefined;
}

// ---- guards for what the pages receive (replies and pushes) ----

/** A reply from the background: `{ ok: true, value }` or `{ ok: false, error }`, nothing else. */
export function parseReply(raw: unknown): Reply<unknown> | undefined {
  if (!isRecord(raw)) return undefined;
  if (raw['ok'] === true && 'value' in raw) return { ok: true, value: raw['value'] };
  if (raw['ok'] === false && typeof raw['error'] === 'string') return { ok: false, error: raw['error'].slice(0, 2000) };
  return undefined;
}

function isHeaderList(v: unknown): boolean {
  return Array.isArray(v) && v.every((h) => isRecord(h) && typeof h['name'] === 'string' && typeof h['value'] === 'string');
}

/** The shape every view relies on: ids, the request line, headers as text, findings as a list. */
export function isStoredRecord(v: unknown): v is StoredRecord {
  if (!isRecord(v) || typeof v['id'] !== 'string' || !isInt(v['tabId']) || !isInt(v['seq']) || typeof v['at'] !== 'number' || !Array.isArray(v['findings'])) return false;
  const e = v['entry'];
  if (!isRecord(e) || typeof e['startedDateTime'] !== 'string') return false;
  const req = e['request'];
  const res = e['response'];
  return (
    isRecord(req) && typeof req['method'] === 'string' && typeof req['url'] === 'string' && isHeaderList(req['headers']) &&
    isRecord(res) && isInt(res['status']) && isHeaderList(res['headers']) &&
    v['findings'].every((f) => isRecord(f) && typeof f['cause'] === 'string' && typeof f['title'] === 'string')
  );
}

const isCount = (v: unknown) => isInt(v) && (v as number) >= 0;

function isSnapshot(v: unknown): v is TabSnapshot {
  return isRecord(v) && isInt(v['tabId']) && isCount(v['count']) && isCount(v['dropped']) && Array.isArray(v['records']) && v['records'].every(isStoredRecord);
}

/** A push from the background, checked before any view touches it. */
export function parsePush(raw: unknown): Push | undefined {
  if (!isRecord(raw) || typeof raw['type'] !== 'string') return undefined;
  const m = raw;
  switch (m['type']) {
    case 'snapshot':
      return isSnapshot(m['snapshot']) ? (m as unknown as Push) : undefined;
    case 'record':
      return isInt(m['tabId']) && isStoredRecord(m['record']) && isCount(m['count']) && isCount(m['dropped']) ? (m as unknown as Push) : undefined;
    case 'record-updated':
      return isInt(m['tabId']) && isStoredRecord(m['record']) ? (m as unknown as Push) : undefined;
    case 'cleared':
      return isInt(m['tabId']) && optional(m['reason'], (v) => v === 'navigation' || v === 'user') && optional(m['removed'], isCount) ? (m as unknown as Push) : undefined;
    case 'meta':
      return isInt(m['tabId']) && isCount(m['count']) && isCount(m['dropped']) ? (m as unknown as Push) : undefined;
    case 'older':
      return isInt(m['tabId']) && Array.isArray(m['records']) && m['records'].every(isStoredRecord) && isCount(m['older']) ? (m as unknown as Push) : undefined;
    default:
      return undefined;
  }
}
