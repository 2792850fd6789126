/**
 * Character classes and small scanners shared by the challenge and credential parsers
 * (RFC 9110 §5.6: tokens, quoted strings, whitespace). Table look-ups by char code keep every
 * scan linear and allocation-free.
 */

const TCHAR = 1;
const TOKEN68 = 2;

const table = new Uint8Array(128);
for (let c = 0x30; c <= 0x39; c++) table[c] = TCHAR | TOKEN68; // DIGIT
for (let c = 0x41; c <= 0x5a; c++) table[c] = TCHAR | TOKEN68; // upper ALPHA
for (let c = 0x61; c <= 0x7a; c++) table[c] = TCHAR | TOKEN68; // lower ALPHA
for (const ch of "!#$%&'*^`|") table[ch.charCodeAt(0)] = TCHAR;
for (const ch of '+-._~') table[ch.charCodeAt(0)] = TCHAR | TOKEN68;
table['/'.charCodeAt(0)] = TOKEN68;

/** RFC 9110 §5.6.2 tchar. */
export function isTchar(code: number): boolean {
  return code < 128 && (table[code]! & TCHAR) !== 0;
}

/** RFC 9110 §11.2 token68 characters (without the trailing "=" padding). */
export function isToken68Char(code: number): boolean {
  return code < 128 && (table[code]! & TOKEN68) !== 0;
}

export const SP = 0x20;
export const HTAB = 0x09;
export const COMMA = 0x2c;
export const EQUALS = 0x3d;
export const DQUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const CR = 0x0d;
export const LF = 0x0a;

export function isWhitespace(code: number): boolean {
  return code === SP || code === HTAB;
}

/** A control character other than HTAB, or DEL: never valid in a field value. */
export function isControl(code: number): boolean {
  return (code < 0x20 && code !== HTAB) || code === 0x7f;
}

/**
 * Unfold obsolete line folding (RFC 9112 §5.2: "CRLF 1*(SP / HTAB)" is replaced by SP) and
 * report whether any was found. Linear; returns the input unchanged when there is none.
 */
export function unfold(value: string): { text: string; folded: boolean } {
  if (value.indexOf('\n') === -1 && value.indexOf('\r') === -1) return { text: value, folded: false };
  let folded = false;
  const text = value.replace(/\r?\n[ \t]+/g, () => {
    folded = true;
    return ' ';
  });
  return { text, folded };
}

/**
 * Characters that can garble or hide text: C0 and C1 controls, DEL, zero-width and bidi marks
 * and overrides (U+061C, U+200B–U+200F, U+202A–U+202E, U+2066–U+2069), line and paragraph
 * separators (U+2028, U+2029), U+180E, the interlinear annotation marks (U+FFF9–U+FFFB) and the
 * BOM. One list for the UI, the terminal and JSON.
 */
const HIDING = '\\u007f-\\u009f\\u061c\\u180e\\u200b-\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069\\ufeff\\ufff9-\\ufffb';
const CONTROLS = new RegExp(`[\\u0000-\\u001f${HIDING}]`, 'g');
/** The colour sequences the CLI's own painter writes (bold, dim, red, green, yellow, blue, and their resets): nothing else passes. */
const TERMINAL = new RegExp(`\\u001b\\[(?:1|2|22|31|32|33|34|39)m|[\\u0000-\\u0009\\u000b-\\u001f${HIDING}]`, 'g');
const JSON_HIDING = new RegExp(`[${HIDING}]`, 'g');

const escapeOne = (ch: string) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Escape control, bidi, separator and zero-width characters so quoted network text cannot garble a terminal or the UI. */
export function escapeControls(text: string): string {
  // A search first: clean text (nearly all of it) comes back as it is, not as a copy.
  return text.search(CONTROLS) === -1 ? text : text.replace(CONTROLS, escapeOne);
}

/**
 * Text bound for a terminal: every control character (C0 but the line feed, DEL, C1), every bidi,
 * separator and zero-width character becomes a visible escape, except the few colour sequences
 * the CLI's own painter writes. Everything from a file or an argument has already passed
 * `escapeControls` (so an `ESC` in it is an escape, never a sequence): nothing from outside can
 * write the clipboard (OSC 52), retitle the window, clear the screen or hide text (SGR 8).
 */
export function terminalSafe(text: string): string {
  return text.search(TERMINAL) === -1 ? text : text.replace(TERMINAL, (m) => (m.length > 1 ? m : escapeOne(m)));
}

/**
 * JSON for a terminal: JSON.stringify escapes C0 controls but not DEL, C1, bidi or separator
 * characters; these become \\u escapes too (the same value, still valid JSON).
 */
export function terminalSafeJson(json: string): string {
  return json.search(JSON_HIDING) === -1 ? json : json.replace(JSON_HIDING, escapeOne);
}

/** Show at most `max` characters of `text` around `at`, for a problem message. */
export function excerpt(text: string, at: number, max = 24): string {
  const start = Math.max(0, at - 4);
  const slice = text.slice(start, start + max);
  return (start > 0 ? '…' : '') + escapeControls(slice) + (start + max < text.length ? '…' : '');
}

/**
 * Own-property assignment that is safe for any key, `__proto__` included (a plain `obj[key] =`
 * would set the prototype instead of storing a parameter called "__proto__").
 */
export function setOwn(target: Record<string, string>, key: string, value: string): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

export function getOwn(target: Record<string, string>, key: string): string | undefined {
  return Object.hasOwn(target, key) ? target[key] : undefined;
}

/**
 * A value as a report prints it: whole up to `limit` characters, else its head and how much was
 * left out ("… 1,048,000 more characters"), so a 1 MB header cannot make a 60 MB report. Masks
 * are short: they always print whole.
 */
export function bounded(text: string, limit = 4096): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}… ${groupDigits(text.length - limit)} more characters`;
}

/**
 * A whole number with its thousands grouped ("1,048,000"), as `toLocaleString('en-US')` writes
 * it, without the locale machinery: its first use costs the CLI about 9 MiB (ICU's data), which
 * a report of one long value would pay to print one count.
 */
export function groupDigits(n: number): string {
  const digits = String(Math.trunc(Math.abs(n)));
  let out = '';
  for (let i = 0; i < digits.length; i++) out += (i > 0 && (digits.length - i) % 3 === 0 ? ',' : '') + digits[i];
  return n < 0 ? `-${out}` : out;
}
