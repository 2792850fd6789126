/**
 * One scanner for the shared grammar of WWW-Authenticate / Proxy-Authenticate and
 * Authorization / Proxy-Authorization (RFC 9110 §11.2–§11.4):
 *
 *   challenge   = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 *   credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 *   auth-param  = token BWS "=" BWS ( token / quoted-string )
 *   token68     = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
 *
 * Commas separate both challenges and their parameters, so an element after a comma is a
 * parameter when "=" follows its first token, and a new scheme otherwise.
 *
 * It never throws and every step moves forward, so any input is scanned in linear time. It is
 * lenient the way browsers are (it recovers a usable item from sloppy input) and reports every
 * problem a strict reading finds.
 */
import {
  BACKSLASH,
  COMMA,
  DQUOTE,
  EQUALS,
  excerpt,
  isControl,
  isTchar,
  isToken68Char,
  isWhitespace,
  setOwn,
  unfold,
} from './syntax.ts';

export interface AuthItem {
  /** Lower-case scheme name. */
  scheme: string;
  /** Lower-case parameter names; unquoted, unescaped values. */
  params: Record<string, string>;
  token68: string | null;
}

export type ProblemCode =
  | 'empty-field'
  | 'bad-character'
  | 'control-character'
  | 'unterminated-quote'
  | 'duplicate-parameter'
  | 'parameter-without-scheme'
  | 'missing-value'
  | 'missing-comma'
  | 'comma-after-scheme'
  | 'value-needs-quotes'
  | 'parameter-after-token68'
  | 'text-after-token68'
  | 'text-after-value'
  | 'obs-fold'
  // Credentials only (see credentials.ts).
  | 'multiple-credentials'
  | 'scheme-with-colon'
  | 'scheme-with-equals'
  | 'missing-scheme'
  | 'quoted-token'
  | 'space-in-token'
  | 'missing-token'
  | 'repeated-scheme'
  | 'base64-padding'
  | 'invalid-token-character';

export interface SyntaxProblem {
  code: ProblemCode;
  message: string;
  /** Which header field (0-based) when several were given. */
  field: number;
  /** Offset in that field, where known. */
  offset?: number;
}

export interface ScanOptions {
  /**
   * Accept unquoted parameter values that are not tokens (AWS SigV4 sends
   * `Credential=AKID/20250101/us-east-1/s3/aws4_request` unquoted) without a problem.
   */
  lenientValues?: boolean;
  /**
   * Problem messages may quote the text around a problem. Credentials carry secrets, so their
   * messages never quote the input.
   */
  quoteInput?: boolean;
}

/** The most problems reported for one set of fields (a hostile header can hold thousands). */
export const MAX_PROBLEMS = 100;

/** Kept as its own name: callers of the scanner should not depend on AuthItem growing fields. */
export type ScannedItem = AuthItem;

function describeChar(code: number): string {
  if (code < 0x20 || code === 0x7f) return `control character U+${code.toString(16).padStart(4, '0').toUpperCase()}`;
  if (code > 0x7e) return `non-ASCII character U+${code.toString(16).padStart(4, '0').toUpperCase()}`;
  return `"${String.fromCharCode(code)}"`;
}

/**
 * The scanner's state for one field. A class (not closures) so that scanning a field allocates
 * one object: this runs for every failure captured and every challenge in a HAR.
 */
class Scanner {
  i = 0;
  readonly n: number;
  current: ScannedItem | null = null;
  /** An element ended and no comma has been seen since. */
  needComma = false;
  /** The current challenge is a bare scheme that a comma followed ("Basic, …"). */
  bareScheme = false;

  constructor(
    readonly text: string,
    readonly field: number,
    readonly items: ScannedItem[],
    readonly problems: SyntaxProblem[],
    readonly lenientValues: boolean,
    readonly quoteInput: boolean,
  ) {
    this.n = text.length;
  }

  report(code: ProblemCode, message: string, offset?: number): void {
    // A hostile field can hold a problem every few characters: the first ones say enough.
    if (this.problems.length >= MAX_PROBLEMS) return;
    const where = this.quoteInput && offset !== undefined && offset < this.n ? ` near ${JSON.stringify(excerpt(this.text, offset))}` : '';
    const p: SyntaxProblem = { code, message: message + where, field: this.field };
    if (offset !== undefined) p.offset = offset;
    this.problems.push(p);
  }

  skipWs(): void {
    const { text, n } = this;
    let i = this.i;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09) break;
      i++;
    }
    this.i = i;
  }

  tokenEnd(from: number): number {
    const { text, n } = this;
    let j = from;
    while (j < n && isTchar(text.charCodeAt(j))) j++;
    return j;
  }

  /** Skip to the next comma that is not inside a quoted string (error recovery). */
  skipToComma(): void {
    const { text, n } = this;
    let i = this.i;
    let quoted = false;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (quoted) {
        if (c === BACKSLASH) i++;
        else if (c === DQUOTE) quoted = false;
      } else if (c === DQUOTE) quoted = true;
      else if (c === COMMA) break;
      i++;
    }
    this.i = Math.min(i, n);
  }

  /** Read a quoted-string starting at the opening quote; returns the unescaped value. */
  readQuoted(): string {
    const { text, n } = this;
    const open = this.i;
    let i = open + 1;
    // Fast path: no escape and no control character before the closing quote.
    const close = text.indexOf('"', i);
    if (close !== -1) {
      const plain = text.slice(i, close);
      if (!SLOW_QUOTED.test(plain)) {
        this.i = close + 1;
        return plain;
      }
    }
    let value = '';
    let segment = i;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === DQUOTE) {
        this.i = i + 1;
        return value + text.slice(segment, i);
      }
      if (c === BACKSLASH) {
        // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
        value += text.slice(segment, i);
        if (i + 1 < n) value += text[i + 1];
        i += 2;
        segment = i;
        continue;
      }
      if (c < 0x20 && c !== HTAB_CODE) this.report('control-character', `${describeChar(c)} inside a quoted string`, i);
      else if (c === 0x7f) this.report('control-character', `${describeChar(c)} inside a quoted string`, i);
      i++;
    }
    this.i = n;
    this.report('unterminated-quote', 'a quoted string is not closed', open);
    return value + text.slice(segment, n);
  }

  readParamValue(item: ScannedItem, name: string, nameOffset: number): void {
    this.skipWs();
    const { text, n } = this;
    let value: string;
    if (this.i >= n || text.charCodeAt(this.i) === COMMA) {
      this.report('missing-value', `parameter "${name}" has no value`, nameOffset);
      value = '';
    } else if (text.charCodeAt(this.i) === DQUOTE) {
      value = this.readQuoted();
    } else {
      const start = this.i;
      let i = start;
      let bad = -1;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c === COMMA || c === 0x20 || c === 0x09 || c === DQUOTE) break;
        if (bad === -1 && !isTchar(c)) bad = i;
        i++;
      }
      this.i = i;
      value = text.slice(start, i);
      if (bad !== -1 && !this.lenientValues) {
        const c = text.charCodeAt(bad);
        this.report(
          isControl(c) ? 'control-character' : 'value-needs-quotes',
          `parameter "${name}" has ${describeChar(c)} in an unquoted value (it must be a quoted string)`,
          bad,
        );
      }
    }
    if (item.token68 !== null) {
      this.report('parameter-after-token68', `parameter "${name}" follows a token68 (a challenge has one or the other)`, nameOffset);
    }
    if (Object.hasOwn(item.params, name)) {
      this.report('duplicate-parameter', `parameter "${name}" appears twice in one ${item.scheme} challenge; the first is kept`, nameOffset);
    } else {
      setOwn(item.params, name, value);
    }
    this.needComma = true;
    // After a value: whitespace, then a comma, the end, or (sloppily) the next element.
    this.skipWs();
    if (this.i >= n) return;
    const c = text.charCodeAt(this.i);
    if (c === COMMA || isTchar(c)) return; // the main loop reports a missing comma
    this.report('text-after-value', `unexpected ${describeChar(c)} after a value`, this.i);
    this.skipToComma();
  }

  /** Right after "scheme 1*SP": a token68 or the first auth-param. */
  readAfterScheme(item: ScannedItem): void {
    const { text, n } = this;
    const start = this.i;
    const pEnd = this.tokenEnd(start);
    let m = pEnd;
    while (m < n && isWhitespace(text.charCodeAt(m))) m++;
    let k = start;
    while (k < n && isToken68Char(text.charCodeAt(k))) k++;
    if (pEnd > start && m < n && text.charCodeAt(m) === EQUALS) {
      // "name=value", or a token68 with padding ("abc==") that ends the element.
      let e = m;
      while (e < n && text.charCodeAt(e) === EQUALS) e++;
      let f = e;
      while (f < n && isWhitespace(text.charCodeAt(f))) f++;
      if (m === pEnd && k >= pEnd && (f >= n || text.charCodeAt(f) === COMMA)) {
        item.token68 = text.slice(start, e);
        this.i = f;
        this.needComma = true;
        return;
      }
      const name = lowerSlice(text, start, pEnd);
      this.i = m + 1;
      this.readParamValue(item, name, start);
      return;
    }
    if (k > start) {
      let e = k;
      while (e < n && text.charCodeAt(e) === EQUALS) e++;
      item.token68 = text.slice(start, e);
      this.i = e;
      this.skipWs();
      if (this.i < n && text.charCodeAt(this.i) !== COMMA) {
        this.report('text-after-token68', `unexpected text after the ${item.scheme} token68`, this.i);
        this.skipToComma();
      }
      this.needComma = true;
      return;
    }
    const c = text.charCodeAt(start);
    this.report(isControl(c) ? 'control-character' : 'bad-character', `unexpected ${describeChar(c)} after scheme "${item.scheme}"`, start);
    this.skipToComma();
    this.needComma = true;
  }

  run(): void {
    const { text, n } = this;
    while (true) {
      this.skipWs();
      if (this.i >= n) break;
      const c = text.charCodeAt(this.i);
      if (c === COMMA) {
        this.i++;
        this.needComma = false;
        continue;
      }
      const start = this.i;
      const tEnd = this.tokenEnd(start);
      if (tEnd === start) {
        this.report(isControl(c) ? 'control-character' : 'bad-character', `unexpected ${describeChar(c)} where a scheme or parameter was expected`, start);
        this.skipToComma();
        continue;
      }
      if (this.needComma) this.report('missing-comma', 'two elements are not separated by a comma', start);
      let j = tEnd;
      while (j < n && isWhitespace(text.charCodeAt(j))) j++;

      if (j < n && text.charCodeAt(j) === EQUALS) {
        // A parameter of the current challenge.
        const name = lowerSlice(text, start, tEnd);
        this.i = j + 1;
        if (this.current === null) {
          this.report('parameter-without-scheme', `parameter "${name}" comes before any scheme`, start);
          this.skipToComma();
          continue;
        }
        if (this.bareScheme) {
          // "Basic, realm=…": read leniently (as browsers do), but it is not RFC 9110 §11.3 syntax.
          this.report('comma-after-scheme', `a comma follows the scheme "${this.current.scheme}" before its parameters; write "${this.current.scheme} ${name}=…" (a space, no comma)`, start);
          this.bareScheme = false;
        }
        this.readParamValue(this.current, name, start);
        continue;
      }

      const item: ScannedItem = { scheme: lowerSlice(text, start, tEnd), params: {}, token68: null };
      this.current = item;
      this.items.push(item);
      this.needComma = true;
      this.bareScheme = false;
      if (j >= n || text.charCodeAt(j) === COMMA) {
        this.bareScheme = j < n;
        this.i = j;
        continue;
      }
      if (j === tEnd) {
        // The scheme runs straight into something that is neither a space nor a comma.
        const bad = text.charCodeAt(j);
        this.report(isControl(bad) ? 'control-character' : 'bad-character', `unexpected ${describeChar(bad)} right after scheme "${item.scheme}"`, j);
        this.i = j;
        this.skipToComma();
        continue;
      }
      this.i = j;
      this.readAfterScheme(item);
    }
  }
}

const HTAB_CODE = 0x09;

/** A lower-case slice of a token; no second string when it is lower-case already (the usual case). */
function lowerSlice(text: string, start: number, end: number): string {
  for (let k = start; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c >= 0x41 && c <= 0x5a) return text.slice(start, end).toLowerCase();
  }
  return text.slice(start, end);
}
/** What makes a quoted string need the careful loop: an escape or a control character. */
const SLOW_QUOTED = /[\\\u0000-\u0008\u000a-\u001f\u007f]/;

/** Scan one header field value. Items and problems are appended to the given arrays. */
export function scanAuthField(
  raw: string,
  field: number,
  items: ScannedItem[],
  problems: SyntaxProblem[],
  options: ScanOptions = {},
): void {
  // Obsolete line folding is rare: only unfold when there is a line break at all.
  const { text, folded } = raw.indexOf('\n') === -1 && raw.indexOf('\r') === -1 ? { text: raw, folded: false } : unfold(raw);
  const itemsBefore = items.length;
  const problemsBefore = problems.length;
  const scanner = new Scanner(text, field, items, problems, options.lenientValues ?? false, options.quoteInput ?? true);
  if (folded) scanner.report('obs-fold', 'obsolete line folding (a line break inside the field value); RFC 9112 §5.2 deprecates it');
  scanner.run();
  if (items.length === itemsBefore && (problems.length === problemsBefore || problems.slice(problemsBefore).every((p) => p.code === 'obs-fold'))) {
    scanner.report('empty-field', 'the field is present but holds no scheme');
  }
}
