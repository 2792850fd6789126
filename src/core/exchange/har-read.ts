/**
 * Reading HAR 1.2 (as Chrome, Firefox and other tools export it, plus our `_why401` fields).
 *
 * Files can be hundreds of megabytes, so entries are streamed: a byte-level scan finds each
 * element of `log.entries` and only that slice is handed to JSON.parse. Read from a file a chunk
 * at a time, only the entry being read is held; time is linear. Every entry is validated
 * into a fresh object of known fields (nothing from the file is merged into our objects, so
 * `__proto__` keys cannot pollute anything); an entry with wrong types is reported and
 * skipped, never guessed at.
 */
import { CONTEXT_CAPS, type ExchangeContext, type PriorSuccess } from './context.ts';
import { readInitiator, writeInitiator } from './initiator.ts';
import { readSummary } from './exchange-summary.ts';
import type { CookiePolicy, DecodedToken, HarContent, HarCookie, HarEntry, HarHeader, HarPostData, JarCookie, RedirectHop, TokenTags, Why401Fields } from './har-types.ts';
import type { CookieEvent, SentCookie } from './timeline.ts';
import { harEntry } from './exchange.ts';

export class HarError extends Error {
  override name = 'HarError';
}

export interface EntrySlice {
  index: number;
  /** Byte offsets of the entry in the file. */
  start: number;
  end: number;
  /**
   * The entry's bytes. When the file is read a chunk at a time they are a view into the reader's
   * buffer, valid until the next entry is asked for.
   */
  bytes: Uint8Array;
}

/**
 * Fills `into` from the start with the next bytes of a file; returns how many it wrote, 0 at
 * the end. The CLI passes a file descriptor's `readSync`; core itself never touches a file.
 */
export type ReadInto = (into: Uint8Array) => number;

const OPEN_OBJ = 0x7b;
const CLOSE_OBJ = 0x7d;
const OPEN_ARR = 0x5b;
const CLOSE_ARR = 0x5d;
const QUOTE = 0x22;
const BSLASH = 0x5c;
const COMMA = 0x2c;
const BOM = [0xef, 0xbb, 0xbf];

const LOG = [0x6c, 0x6f, 0x67]; // "log"
const ENTRIES = [0x65, 0x6e, 0x74, 0x72, 0x69, 0x65, 0x73]; // "entries"

function bytesEqual(bytes: Uint8Array, start: number, end: number, word: readonly number[]): boolean {
  if (end - start !== word.length) return false;
  for (let k = 0; k < word.length; k++) if (bytes[start + k] !== word[k]) return false;
  return true;
}

const MORE = -1;
const MORE_ESCAPED = -2;

/**
 * The closing quote of a string whose content goes on at `p` (`escaped`: the byte at `p` is
 * escaped by a backslash before it), searched in `bytes[0, len)`: its index, or MORE /
 * MORE_ESCAPED when the bytes end first (the latter: the next byte is escaped).
 */
function stringEnd(bytes: Uint8Array, p: number, len: number, escaped: boolean): number {
  if (escaped) {
    if (p >= len) return MORE_ESCAPED;
    p++;
  }
  for (;;) {
    const q = bytes.indexOf(QUOTE, p);
    if (q === -1 || q >= len) {
      let run = 0;
      for (let b = len - 1; b >= p && bytes[b] === BSLASH; b--) run++;
      return run % 2 === 1 ? MORE_ESCAPED : MORE;
    }
    let run = 0;
    for (let b = q - 1; b >= p && bytes[b] === BSLASH; b--) run++;
    if (run % 2 === 0) return q;
    p = q + 1;
  }
}

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Where the scan is: between tokens, in a string, in an entry (an object or a list), in an entry that is a bare value. */
const enum Mode {
  Outside,
  InString,
  InEntry,
  InEntryString,
  InPrimitive,
}

/**
 * A reader's buffer kept for the next scan of the same file (`why401 redact` reads it twice): it
 * grows to the largest entry once, not once per scan.
 */
export interface ScanBuffer {
  bytes: Uint8Array;
}

/**
 * Find every element of `log.entries`, in a HAR held in memory or read a chunk at a time (then
 * only the entry being read is held: the reader's buffer grows to the largest entry, never to
 * the file). Throws HarError for input that is not JSON, not a HAR, or truncated; the message
 * is one line and never quotes the file's content.
 */
export function* scanHarEntries(input: Uint8Array | ReadInto, chunkSize = 1 << 20, buffer?: ScanBuffer): Generator<EntrySlice> {
  const read = typeof input === 'function' ? input : undefined;
  let bytes = read ? (buffer?.bytes ?? new Uint8Array(chunkSize)) : (input as Uint8Array);
  /** Valid bytes in `bytes`, and the file offset of `bytes[0]`. */
  let len = read ? 0 : bytes.length;
  let base = 0;
  let ended = read === undefined;

  let mode = Mode.Outside;
  let escaped = false;
  /** Where the current entry, or a key that may be "log" or "entries", starts in `bytes` (-1: none): kept when the buffer moves. */
  let hold = -1;
  let depthInEntry = 0;
  /** 1 = object, 2 = array, per depth. */
  const stack: number[] = [];
  /** Per depth up to 2: whether the last key was "log" / "entries". */
  const keyWord: (0 | 1 | 2)[] = [0, 0, 0];
  let stringIsKey = false;
  let expectKey = false;
  let entriesDepth = -1;
  let entriesClosed = false;
  let index = 0;
  let rootSeen = false;
  let rootClosed = false;
  let bomAt = 0;

  const truncated = (): HarError => new HarError(truncatedMessage(entriesDepth, entriesClosed, index));
  const slice = (start: number, end: number): EntrySlice => ({ index: index++, start: base + start, end: base + end, bytes: bytes.subarray(start, end) });

  let p = 0;
  for (;;) {
    if (p >= len) {
      if (ended) break;
      // Keep what is held (an entry or a key being read), move it to the front, grow the
      // buffer if it is full, and read on after it.
      const keep = hold === -1 ? p : hold;
      if (keep > 0) {
        bytes.copyWithin(0, keep, len);
        len -= keep;
        base += keep;
        p -= keep;
        if (hold !== -1) hold -= keep;
      }
      if (len === bytes.length) {
        const bigger = new Uint8Array(bytes.length * 2);
        bigger.set(bytes.subarray(0, len));
        bytes = bigger;
        if (buffer) buffer.bytes = bigger;
      }
      const got = read!(bytes.subarray(len));
      if (got === 0) ended = true;
      len += got;
      continue;
    }
    switch (mode) {
      case Mode.InEntry: {
        // Inside an entry only its end matters (JSON.parse validates the rest): a tight loop
        // over brackets and strings.
        let q = p;
        let depth = depthInEntry;
        let cut = false;
        for (; q < len; q++) {
          const c = bytes[q]!;
          if (c === QUOTE) {
            const e = stringEnd(bytes, q + 1, len, false);
            if (e < 0) {
              // The string goes on past what has been read.
              cut = true;
              escaped = e === MORE_ESCAPED;
              break;
            }
            q = e;
          } else if (c === OPEN_OBJ || c === OPEN_ARR) depth++;
          else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
            depth--;
            if (depth === 0) break;
          }
        }
        depthInEntry = depth;
        if (cut) {
          mode = Mode.InEntryString;
          p = len;
          break;
        }
        if (q >= len) {
          p = q;
          break;
        }
        const start = hold;
        hold = -1;
        mode = Mode.Outside;
        expectKey = false;
        p = q + 1;
        yield slice(start, q + 1);
        break;
      }
      case Mode.InEntryString:
      case Mode.InString: {
        const q = stringEnd(bytes, p, len, escaped);
        if (q < 0) {
          escaped = q === MORE_ESCAPED;
          p = len;
          break;
        }
        p = q + 1;
        if (mode === Mode.InEntryString) {
          if (depthInEntry > 0) {
            mode = Mode.InEntry;
            break;
          }
          // The entry was itself a string.
          const start = hold;
          hold = -1;
          mode = Mode.Outside;
          expectKey = false;
          yield slice(start, q + 1);
          break;
        }
        mode = Mode.Outside;
        if (stringIsKey) {
          const depth = stack.length;
          keyWord[depth] = bytesEqual(bytes, hold + 1, q, LOG) ? 1 : bytesEqual(bytes, hold + 1, q, ENTRIES) ? 2 : 0;
          hold = -1;
          stringIsKey = false;
        }
        expectKey = false;
        break;
      }
      case Mode.InPrimitive: {
        let q = p;
        for (; q < len; q++) {
          const c = bytes[q]!;
          if (c === COMMA || c === CLOSE_ARR || isWs(c)) break;
        }
        p = q;
        if (q >= len) break;
        const start = hold;
        hold = -1;
        mode = Mode.Outside;
        yield slice(start, q);
        break;
      }
      case Mode.Outside: {
        const c = bytes[p]!;
        if (!rootSeen) {
          // A UTF-8 byte order mark, then white space, then the HAR's "{".
          if (base + p === bomAt && bomAt < 3 && c === BOM[bomAt]) {
            bomAt++;
            p++;
            break;
          }
          if (bomAt > 0 && bomAt < 3) throw new HarError('not JSON: a HAR file starts with "{"');
          bomAt = 3;
          if (isWs(c)) {
            p++;
            break;
          }
          if (c !== OPEN_OBJ) {
            throw new HarError(c === OPEN_ARR ? 'not a HAR file: the JSON is a list, a HAR is an object with "log"' : 'not JSON: a HAR file starts with "{"');
          }
          rootSeen = true;
        }
        if (rootClosed) {
          if (!isWs(c)) throw new HarError(`not JSON: unexpected data after the end of the HAR object (byte ${base + p})`);
          p++;
          break;
        }
        const atEntryLevel = entriesDepth !== -1 && !entriesClosed && stack.length === entriesDepth;
        switch (c) {
          case QUOTE:
            if (atEntryLevel) {
              hold = p;
              depthInEntry = 0;
              mode = Mode.InEntryString;
            } else {
              stringIsKey = expectKey && stack.length <= 2;
              if (stringIsKey) hold = p;
              mode = Mode.InString;
            }
            escaped = false;
            break;
          case OPEN_OBJ:
          case OPEN_ARR:
            if (atEntryLevel) {
              hold = p;
              depthInEntry = 1;
              mode = Mode.InEntry;
              break;
            }
            stack.push(c === OPEN_OBJ ? 1 : 2);
            expectKey = c === OPEN_OBJ;
            if (c === OPEN_ARR && entriesDepth === -1 && stack.length === 3 && stack[0] === 1 && stack[1] === 1 && keyWord[1] === 1 && keyWord[2] === 2) {
              entriesDepth = 3;
            }
            break;
          case CLOSE_OBJ:
          case CLOSE_ARR: {
            const top = stack.pop();
            if (top !== (c === CLOSE_OBJ ? 1 : 2)) throw new HarError(`not JSON: mismatched "${String.fromCharCode(c)}" at byte ${base + p}`);
            expectKey = false;
            if (entriesDepth !== -1 && !entriesClosed && stack.length === entriesDepth - 1) entriesClosed = true;
            if (stack.length === 0) rootClosed = true;
            break;
          }
          case COMMA:
            if (stack[stack.length - 1] === 1) expectKey = true;
            break;
          default:
            if (atEntryLevel && !isWs(c)) {
              hold = p;
              mode = Mode.InPrimitive;
            }
            break;
        }
        p++;
        break;
      }
    }
  }
  if (!rootSeen) throw new HarError('the file is empty');
  if (!rootClosed) throw truncated();
  if (entriesDepth === -1) throw new HarError('not a HAR file: there is no "log" object with an "entries" list');
}

function truncatedMessage(entriesDepth: number, entriesClosed: boolean, index: number): string {
  if (entriesDepth === -1) return 'truncated or not JSON: the file ends before the JSON is complete';
  if (entriesClosed) return 'truncated HAR: the file ends after log.entries, before the JSON is complete';
  return `truncated HAR: the file ends in the middle of entry ${index} of log.entries`;
}

const decoder = new TextDecoder('utf-8');

/** Parse and validate one entry slice. */
export function readEntry(slice: EntrySlice): { entry: HarEntry } | { error: string } {
  let raw: unknown;
  try {
    raw = slice.bytes.length < LARGE_VALUE * 2 ? JSON.parse(decoder.decode(slice.bytes)) : parseLargeEntry(slice.bytes);
  } catch {
    return { error: `entry ${slice.index} is not valid JSON` };
  }
  return normalizeEntry(raw, slice.index);
}

/** A string value of this many bytes or more is parsed on its own when a large entry is read. */
const LARGE_VALUE = 64 << 10;
/** What stands in for such a value in the entry's text: no value of a file can be it (a NUL and this run's random digits). */
const STAND_IN = `\u0000why401-${Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('')}:`;

/**
 * A large entry parsed without its whole text: each string value of LARGE_VALUE bytes or more is
 * decoded and parsed on its own, the entry's text is parsed with a short stand-in for it, and a
 * reviver puts the value back. The same result as JSON.parse of the whole text, but an entry of
 * megabyte values is never held as its bytes, its text and its parsed values at once (a key, however
 * long, is left in the text: a reviver cannot put a key back).
 */
function parseLargeEntry(bytes: Uint8Array): unknown {
  const parts: string[] = [];
  const values: string[] = [];
  let from = 0;
  // In JSON a quote outside a string always opens one: from quote to string end, string by string.
  for (let q = bytes.indexOf(QUOTE); q !== -1; q = bytes.indexOf(QUOTE, q)) {
    const end = stringEnd(bytes, q + 1, bytes.length, false);
    if (end < 0) break; // unterminated: JSON.parse says so below
    let next = end + 1;
    while (next < bytes.length && isWs(bytes[next]!)) next++;
    if (end - q - 1 >= LARGE_VALUE && bytes[next] !== 0x3a) {
      parts.push(decoder.decode(bytes.subarray(from, q)), JSON.stringify(`${STAND_IN}${values.length}`));
      values.push(plainString(bytes, q + 1, end) ?? (JSON.parse(decoder.decode(bytes.subarray(q, end + 1))) as string));
      from = end + 1;
    }
    q = end + 1;
  }
  if (values.length === 0) return JSON.parse(decoder.decode(bytes));
  parts.push(decoder.decode(bytes.subarray(from)));
  return JSON.parse(parts.join(''), (_key, v: unknown) => (typeof v === 'string' && v.startsWith(STAND_IN) ? (values[Number(v.slice(STAND_IN.length))] ?? v) : v));
}

/**
 * A JSON string's value read straight from its bytes (between its quotes), when it has no escape
 * and no control character: then it is its own text, and the quoted text need not be decoded
 * once to be parsed into a second copy. Undefined otherwise (JSON.parse reads it, or says what
 * is wrong).
 */
function plainString(bytes: Uint8Array, from: number, to: number): string | undefined {
  const inner = bytes.subarray(from, to);
  if (inner.indexOf(BSLASH) !== -1) return undefined;
  for (let i = 0; i < inner.length; i++) if (inner[i]! < 0x20) return undefined;
  return keepingBom.decode(inner);
}

/** A decoder that keeps a U+FEFF the value starts with (the default one drops it, as a text's byte order mark). */
const keepingBom = new TextDecoder('utf-8', { ignoreBOM: true });

/** Read a whole HAR held in memory: entries and per-entry errors, in order. */
export function readHar(input: Uint8Array | string): { entries: { index: number; entry: HarEntry }[]; errors: string[] } {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const entries: { index: number; entry: HarEntry }[] = [];
  const errors: string[] = [];
  for (const slice of scanHarEntries(bytes)) {
    const r = readEntry(slice);
    if ('entry' in r) entries.push({ index: slice.index, entry: r.entry });
    else errors.push(r.error);
  }
  return { entries, errors };
}

// ---- validation: every field read explicitly into a fresh object ----

type Rec = Record<string, unknown>;

function isRec(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

class EntryError extends Error {}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new EntryError(what);
  return value;
}

function readHeaders(v: unknown, where: string): HarHeader[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new EntryError(`${where} is not a list`);
  // The common case, every header already {name: text, value: text}: keep the parsed list
  // rather than copy it (this runs for every entry of a large file).
  let clean = true;
  for (const h of v) {
    if (!isRec(h) || typeof h['name'] !== 'string' || typeof h['value'] !== 'string') {
      clean = false;
      break;
    }
  }
  if (clean) return v as HarHeader[];
  const out: HarHeader[] = [];
  for (const h of v) {
    if (!isRec(h)) throw new EntryError(`${where} holds something that is not a header`);
    const name = str(h['name']);
    const value = h['value'];
    if (name === undefined) throw new EntryError(`${where} holds a header without a name`);
    // Some tools write numbers or null; a header value is text.
    out.push({ name, value: typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value) });
  }
  return out;
}

function readCookies(v: unknown, where: string): HarCookie[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new EntryError(`${where} is not a list`);
  const out: HarCookie[] = [];
  for (const c of v) {
    if (!isRec(c)) continue;
    const name = str(c['name']);
    if (name === undefined) continue;
    const cookie: HarCookie = { name, value: str(c['value']) ?? '' };
    const path = str(c['path']);
    const domain = str(c['domain']);
    const expires = str(c['expires']);
    const sameSite = str(c['sameSite']);
    if (path !== undefined) cookie.path = path;
    if (domain !== undefined) cookie.domain = domain;
    if (expires !== undefined) cookie.expires = expires;
    if (typeof c['httpOnly'] === 'boolean') cookie.httpOnly = c['httpOnly'];
    if (typeof c['secure'] === 'boolean') cookie.secure = c['secure'];
    if (sameSite !== undefined) cookie.sameSite = sameSite;
    out.push(cookie);
  }
  return out;
}

function readPostData(v: unknown): HarPostData | undefined {
  if (!isRec(v)) return undefined;
  const out: HarPostData = { mimeType: str(v['mimeType']) ?? '' };
  const text = str(v['text']);
  if (text !== undefined) out.text = text;
  if (Array.isArray(v['params'])) {
    out.params = v['params'].filter(isRec).flatMap((p) => {
      const name = str(p['name']);
      if (name === undefined) return [];
      const value = str(p['value']);
      return [value === undefined ? { name } : { name, value }];
    });
  }
  return out;
}

const SAME_SITE = new Set(['no_restriction', 'lax', 'strict', 'unspecified']);

function readJar(v: unknown): JarCookie[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: JarCookie[] = [];
  for (const c of v) {
    if (!isRec(c)) continue;
    const name = str(c['name']);
    const domain = str(c['domain']);
    if (name === undefined || domain === undefined) continue;
    const sameSite = str(c['sameSite']);
    const cookie: JarCookie = {
      name,
      value: str(c['value']) ?? '',
      domain,
      hostOnly: c['hostOnly'] === true,
      path: str(c['path']) ?? '/',
      secure: c['secure'] === true,
      httpOnly: c['httpOnly'] === true,
      sameSite: sameSite !== undefined && SAME_SITE.has(sameSite) ? (sameSite as JarCookie['sameSite']) : 'unspecified',
      session: c['session'] === true || num(c['expirationDate']) === undefined,
    };
    if (c['jwt'] === true) cookie.jwt = true;
    const exp = num(c['expirationDate']);
    if (exp !== undefined) cookie.expirationDate = exp;
    const storeId = str(c['storeId']);
    if (storeId !== undefined) cookie.storeId = storeId;
    const pk = c['partitionKey'];
    if (isRec(pk)) {
      const key: NonNullable<JarCookie['partitionKey']> = {};
      const top = str(pk['topLevelSite']);
      if (top !== undefined) key.topLevelSite = top;
      if (typeof pk['hasCrossSiteAncestor'] === 'boolean') key.hasCrossSiteAncestor = pk['hasCrossSiteAncestor'];
      cookie.partitionKey = key;
    }
    out.push(cookie);
  }
  return out;
}

function readRedirectChain(v: unknown): RedirectHop[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: RedirectHop[] = [];
  for (const h of v) {
    if (!isRec(h)) continue;
    const url = str(h['url']);
    const location = str(h['location']);
    const status = num(h['status']);
    if (url === undefined || location === undefined || status === undefined) continue;
    out.push({ url, status, location, authorizationSent: h['authorizationSent'] === true });
  }
  return out;
}

const THIRD_PARTY = new Set(['allowed', 'blocked', 'partitioned', 'visited-only', 'trackers-blocked']);

function readWhy401(v: unknown): Why401Fields | undefined {
  if (!isRec(v)) return undefined;
  const out: Why401Fields = {};
  const tabId = num(v['tabId']);
  const frameId = num(v['frameId']);
  const initiator = str(v['initiator']);
  const top = str(v['topLevelUrl']);
  const type = str(v['type']);
  if (tabId !== undefined) out.tabId = tabId;
  if (frameId !== undefined) out.frameId = frameId;
  if (initiator !== undefined) out.initiator = initiator;
  if (top !== undefined) out.topLevelUrl = top;
  if (type !== undefined) out.type = type;
  const storeId = str(v['storeId']);
  if (storeId !== undefined) out.storeId = storeId.slice(0, 200);
  const jar = readJar(v['cookieJar']);
  if (jar) out.cookieJar = jar;
  if (v['capture'] === 'light') out.capture = 'light';
  const policy = v['cookiePolicy'];
  if (isRec(policy)) {
    const setting = short(policy['setting'], 200);
    const at = num(policy['at']);
    if (typeof policy['thirdParty'] === 'string' && THIRD_PARTY.has(policy['thirdParty']) && setting !== undefined && at !== undefined) {
      out.cookiePolicy = { thirdParty: policy['thirdParty'] as CookiePolicy['thirdParty'], setting, at };
    }
  }
  const chain = readRedirectChain(v['redirectChain']);
  if (chain) out.redirectChain = chain;
  if (typeof v['fromCache'] === 'boolean') out.fromCache = v['fromCache'];
  if (Array.isArray(v['findings'])) out.findings = v['findings'];
  const basic = v['basic'];
  if (isRec(basic)) {
    if (typeof basic['username'] === 'string') out.basic = { username: basic['username'].slice(0, 500) };
    else if (basic['error'] === 'empty' || basic['error'] === 'invalid-base64' || basic['error'] === 'no-colon') out.basic = { error: basic['error'] };
  }
  const decoded = readDecodedToken(v['token']);
  if (decoded) out.token = decoded;
  if (typeof v['pkceVerifierS256'] === 'string' && /^[A-Za-z0-9_-]{43}$/.test(v['pkceVerifierS256'])) out.pkceVerifierS256 = v['pkceVerifierS256'];
  const tags = v['tokenTags'];
  if (isRec(tags)) {
    const kept: TokenTags = {};
    for (const k of ['bearer', 'access', 'refresh', 'sentRefresh'] as const) if (typeof tags[k] === 'string' && /^[0-9a-f]{8}$/.test(tags[k])) kept[k] = tags[k];
    if (Object.keys(kept).length > 0) out.tokenTags = kept;
  }
  const idToken = v['issuedIdToken'];
  if (isRec(idToken)) {
    const kept: NonNullable<Why401Fields['issuedIdToken']> = {};
    if (typeof idToken['iss'] === 'string') kept.iss = idToken['iss'].slice(0, 1024);
    if (Array.isArray(idToken['aud'])) kept.aud = idToken['aud'].filter((a): a is string => typeof a === 'string').slice(0, 20).map((a) => a.slice(0, 256));
    if (typeof idToken['nonce'] === 'string' && /^\[redacted: \d{1,9} chars, #[0-9a-f]{8}\]$/.test(idToken['nonce'])) kept.nonce = idToken['nonce'];
    if (kept.iss !== undefined || kept.aud !== undefined || kept.nonce !== undefined) out.issuedIdToken = kept;
  }
  const context = readContext(v['context']);
  if (context) out.context = context;
  if (isRec(v['options'])) {
    const skew = num(v['options']['clockSkewSeconds']);
    out.options = skew !== undefined && skew >= 0 && skew <= 86_400 ? { clockSkewSeconds: skew } : {};
  }
  if (isRec(v['cookieTokens'])) {
    const tokens: Record<string, DecodedToken> = {};
    for (const [name, value] of Object.entries(v['cookieTokens'])) {
      const d = readDecodedToken(value);
      if (d && name !== '__proto__') tokens[name] = d;
    }
    out.cookieTokens = tokens;
  }
  return out;
}

// ---- the context a failure was judged on (core/exchange/context.ts), as JSON wrote it ----

/** A time: JSON writes NaN (an unknown time) as null. */
function time(v: unknown): number | undefined {
  return v === null ? Number.NaN : num(v);
}

const short = (v: unknown, max = 4096): string | undefined => (typeof v === 'string' ? v.slice(0, max) : undefined);
const COOKIE_ACTIONS = new Set(['set', 'delete', 'rejected']);
const CONTEXT_SAME_SITE = new Set(['strict', 'lax', 'none', 'unspecified']);

function readCookieEvent(v: unknown): CookieEvent | undefined {
  if (!isRec(v)) return undefined;
  const at = time(v['at']);
  const url = short(v['url']);
  const method = short(v['method'], 64);
  const status = num(v['status']);
  const name = short(v['name'], 512);
  const domain = short(v['domain'], 512);
  const path = short(v['path'], 2048);
  const action = v['action'];
  const expiresAt = v['expiresAt'] === null ? null : num(v['expiresAt']);
  const sameSite = v['sameSite'];
  if (at === undefined || url === undefined || method === undefined || status === undefined || name === undefined || domain === undefined || path === undefined) return undefined;
  if (typeof action !== 'string' || !COOKIE_ACTIONS.has(action) || expiresAt === undefined || typeof sameSite !== 'string' || !CONTEXT_SAME_SITE.has(sameSite)) return undefined;
  const e: CookieEvent = {
    at,
    url,
    method,
    status,
    name,
    domain,
    hostOnly: v['hostOnly'] === true,
    path,
    action: action as CookieEvent['action'],
    expiresAt,
    secure: v['secure'] === true,
    httpOnly: v['httpOnly'] === true,
    sameSite: sameSite as CookieEvent['sameSite'],
    partitioned: v['partitioned'] === true,
  };
  const rejected = short(v['rejected'], 300);
  if (rejected !== undefined) e.rejected = rejected;
  const jwtExp = num(v['jwtExp']);
  if (jwtExp !== undefined) e.jwtExp = jwtExp;
  if (v['by'] === 'why401') e.by = 'why401';
  return e;
}

function readSentCookie(v: unknown): SentCookie | undefined {
  if (!isRec(v)) return undefined;
  const name = short(v['name'], 512);
  const host = short(v['host'], 512);
  const at = time(v['at']);
  const url = short(v['url']);
  return name === undefined || host === undefined || at === undefined || url === undefined ? undefined : { name, host, at, url };
}

function readPrior(v: unknown): PriorSuccess | undefined {
  if (!isRec(v)) return undefined;
  const at = time(v['at']);
  const url = short(v['url']);
  const status = num(v['status']);
  const scheme = short(v['scheme'], 32) ?? '';
  return at === undefined || url === undefined || status === undefined ? undefined : { at, url, status, scheme };
}

function list<T>(v: unknown, read: (x: unknown) => T | undefined, max: number): T[] {
  if (!Array.isArray(v)) return [];
  const out: T[] = [];
  for (const x of v.slice(-max)) {
    const r = read(x);
    if (r !== undefined) out.push(r);
  }
  return out;
}

function readContext(v: unknown): ExchangeContext | undefined {
  if (!isRec(v)) return undefined;
  const c: ExchangeContext = {
    cookieEvents: list(v['cookieEvents'], readCookieEvent, CONTEXT_CAPS.cookieEvents),
    sentCookies: list(v['sentCookies'], readSentCookie, CONTEXT_CAPS.sentCookies),
  };
  const nearby = list(v['siteCookieEvents'], readCookieEvent, CONTEXT_CAPS.siteCookieEvents);
  if (nearby.length > 0) c.siteCookieEvents = nearby;
  const last = readPrior(v['lastCredentialed']);
  if (last) c.lastCredentialed = last;
  const same = readPrior(v['sameCredentials']);
  if (same) c.sameCredentials = same;
  const redirects = readRedirectChain(Array.isArray(v['redirects']) ? v['redirects'].slice(-CONTEXT_CAPS.redirects) : undefined);
  if (redirects && redirects.length > 0) c.redirects = redirects;
  const top = short(v['topLevelUrl']);
  if (top !== undefined) c.topLevelUrl = top;
  const success = readSummary(v['lastSuccess']);
  if (success) c.lastSuccess = success;
  return c;
}

const TOKEN_KINDS = new Set(['jwt', 'jwe', 'opaque', 'broken-jwt']);

function readDecodedToken(v: unknown): DecodedToken | undefined {
  if (!isRec(v) || typeof v['kind'] !== 'string' || !TOKEN_KINDS.has(v['kind'])) return undefined;
  const d: DecodedToken = { kind: v['kind'] as DecodedToken['kind'] };
  if (isRec(v['header'])) d.header = v['header'];
  if (isRec(v['claims'])) d.claims = v['claims'];
  if (typeof v['problem'] === 'string') d.problem = v['problem'].slice(0, 300);
  return d;
}

/** Validate an entry from any source into a HarEntry, or say in one line what is wrong with it. */
export function normalizeEntry(raw: unknown, index: number): { entry: HarEntry } | { error: string } {
  try {
    if (!isRec(raw)) throw new EntryError('is not an object');
    const req = raw['request'];
    const res = raw['response'];
    if (!isRec(req)) throw new EntryError('has no request object');
    if (!isRec(res)) throw new EntryError('has no response object');
    const method = need(str(req['method']), 'request.method is not text');
    const url = need(str(req['url']), 'request.url is not text');
    const status = need(num(res['status']), 'response.status is not a number');
    const content = isRec(res['content']) ? res['content'] : {};
    const body: HarContent = { size: num(content['size']) ?? 0, mimeType: str(content['mimeType']) ?? '' };
    const text = str(content['text']);
    if (text !== undefined) body.text = text;
    const encoding = str(content['encoding']);
    if (encoding !== undefined) body.encoding = encoding;
    const post = readPostData(req['postData']);
    const t = isRec(raw['timings']) ? raw['timings'] : undefined;
    const ip = str(raw['serverIPAddress']);
    const rt = str(raw['_resourceType']);
    const why = readWhy401(raw['_why401']);
    const entry = harEntry({
      startedDateTime: str(raw['startedDateTime']) ?? '',
      time: num(raw['time']) ?? 0,
      method,
      url,
      httpVersion: str(req['httpVersion']) ?? '',
      requestHeaders: readHeaders(req['headers'], 'request.headers'),
      requestCookies: readCookies(req['cookies'], 'request.cookies'),
      queryString: Array.isArray(req['queryString'])
        ? req['queryString'].filter(isRec).flatMap((q) => {
            const name = str(q['name']);
            return name === undefined ? [] : [{ name, value: str(q['value']) ?? '' }];
          })
        : [],
      ...(post ? { postData: post } : {}),
      status,
      statusText: str(res['statusText']) ?? '',
      responseHeaders: readHeaders(res['headers'], 'response.headers'),
      responseCookies: readCookies(res['cookies'], 'response.cookies'),
      content: body,
      redirectURL: str(res['redirectURL']) ?? '',
      sizes: { requestHeaders: num(req['headersSize']) ?? -1, requestBody: num(req['bodySize']) ?? -1, responseHeaders: num(res['headersSize']) ?? -1, responseBody: num(res['bodySize']) ?? -1 },
      timings: t ? { send: num(t['send']) ?? 0, wait: num(t['wait']) ?? 0, receive: num(t['receive']) ?? 0 } : { send: 0, wait: 0, receive: 0 },
      ...(ip !== undefined ? { serverIPAddress: ip } : {}),
      ...(rt !== undefined ? { resourceType: rt } : {}),
      ...(readInitiator(raw['_initiator']) ? { initiator: writeInitiator(readInitiator(raw['_initiator'])!) } : {}),
      ...(why ? { why } : {}),
    });
    return { entry };
  } catch (e) {
    if (e instanceof EntryError) return { error: `entry ${index} ${e.message.startsWith('is ') || e.message.startsWith('has ') ? e.message : `is unusable: ${e.message}`}` };
    throw e;
  }
}

