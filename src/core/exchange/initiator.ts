/**
 * Who sent a request: Chrome's `_initiator` (in its HAR files, and in the entries DevTools hands
 * extensions while it is open): a type ("script", "parser", "preflight", "other"), a URL and
 * line, and for scripts the call stack, async parents included. The webRequest capture never has
 * a stack; the panel attaches DevTools' one to a live failure. Everything here is untrusted input
 * (a file, a message): read into fresh, bounded objects. Line and column numbers stay 0-based,
 * as Chrome writes them and as devtools.panels.openResource takes them.
 */
import { redactUrl } from '../redaction/redact-url.ts';

export interface CallFrame {
  /** The function's name ('' for an anonymous one). */
  fn: string;
  url: string;
  /** 0-based. */
  line: number;
  /** 0-based. */
  column: number;
  /** Where an async boundary starts before this frame (e.g. "await", "Promise.then", "setTimeout"). */
  asyncFrom?: string;
}

export interface Initiator {
  type: string;
  url?: string;
  /** 0-based. */
  line?: number;
  /** The call stack, innermost first (empty when the browser recorded none). */
  frames: CallFrame[];
}

/** The most frames kept (a deep framework stack says little past its first screens). */
export const MAX_FRAMES = 24;
const MAX_TEXT = 2048;

function rec(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v.slice(0, MAX_TEXT) : undefined);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 1e9 ? v : undefined);

/** Chrome's `_initiator` (or ours, which has the same shape) read for display; undefined when it is not one. */
export function readInitiator(v: unknown): Initiator | undefined {
  if (!rec(v)) return undefined;
  const type = text(v['type']);
  if (type === undefined) return undefined;
  const out: Initiator = { type: type.slice(0, 40), frames: [] };
  const url = text(v['url']);
  if (url) out.url = url;
  const line = int(v['lineNumber']);
  if (line !== undefined) out.line = line;
  let stack: unknown = v['stack'];
  let asyncFrom: string | undefined;
  // The stack and its async parents, innermost first; bounded in depth and in frames.
  for (let depth = 0; rec(stack) && depth < 32 && out.frames.length < MAX_FRAMES; depth++) {
    const frames = Array.isArray(stack['callFrames']) ? stack['callFrames'] : [];
    for (const f of frames) {
      if (out.frames.length >= MAX_FRAMES) break;
      if (!rec(f)) continue;
      const fu = text(f['url']);
      const fl = int(f['lineNumber']);
      if (fu === undefined || fl === undefined) continue;
      const frame: CallFrame = { fn: (text(f['functionName']) ?? '').slice(0, 200), url: fu, line: fl, column: int(f['columnNumber']) ?? 0 };
      if (asyncFrom !== undefined) {
        frame.asyncFrom = asyncFrom;
        asyncFrom = undefined;
      }
      out.frames.push(frame);
    }
    stack = stack['parent'];
    asyncFrom = rec(stack) ? (text(stack['description']) ?? 'async').slice(0, 60) : undefined;
  }
  return out;
}

/** The same, written back in Chrome's shape (what a record keeps and an export carries), URLs masked when asked. */
export function writeInitiator(i: Initiator, mask = false): Record<string, unknown> {
  const u = (s: string) => (mask ? redactUrl(s) : s);
  const out: Record<string, unknown> = { type: i.type };
  if (i.url !== undefined) out['url'] = u(i.url);
  if (i.line !== undefined) out['lineNumber'] = i.line;
  if (i.frames.length === 0) return out;
  // Async parents as Chrome nests them.
  const groups: { description?: string; frames: CallFrame[] }[] = [{ frames: [] }];
  for (const f of i.frames) {
    if (f.asyncFrom !== undefined) groups.push({ description: f.asyncFrom, frames: [] });
    groups[groups.length - 1]!.frames.push(f);
  }
  let parent: Record<string, unknown> | undefined;
  for (let k = groups.length - 1; k >= 0; k--) {
    const g = groups[k]!;
    const node: Record<string, unknown> = { callFrames: g.frames.map((f) => ({ functionName: f.fn, url: u(f.url), lineNumber: f.line, columnNumber: f.column })) };
    if (g.description !== undefined) node['description'] = g.description;
    if (parent) node['parent'] = parent;
    parent = node;
  }
  out['stack'] = parent;
  return out;
}

/**
 * The frame to show first: the innermost one that is not the browser's own or an extension's
 * (those have no source the user wrote).
 */
export function firstOwnFrame(i: Initiator): CallFrame | undefined {
  return i.frames.find((f) => /^https?:/i.test(f.url)) ?? i.frames[0];
}
