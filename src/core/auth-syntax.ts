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
  | 'value-needs-quotes'
  | 'parameter-after-token68'
  | 'text-after-token68'
  | 'text-after-value'
  | 'obs-fold'
  // Credentials only (see credentials.ts).
  | 'multiple-credentials'
  | 'scheme-with-colon'
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

export interface ScannedItem extends AuthItem {
  field: number;
  /** The text after the scheme and its whitespace, up to the end of the element's token68. */
  rest: string;
  offset: number;
}

function describeChar(code: number): string {
  if (code < 0x20 || code === 0x7f) return `control character U+${code.toString(16).padStart(4, '0').toUpperCase()}`;
  if (code > 0x7e) return `non-ASCII character U+${code.toString(16).padStart(4, '0').toUpperCase()}`;
  return `"${String.fromCharCode(code)}"`;
}

/** Scan one header field value. Items and problems are appended to the given arrays. */
export function scanAuthField(
  raw: string,
  field: number,
  items: ScannedItem[],
  problems: SyntaxProblem[],
  options: ScanOptions = {},
): void {
  const quoteInput = options.quoteInput ?? true;
  const { text, folded } = unfold(raw);
  const n = text.length;
  let i = 0;
  let current: ScannedItem | null = null;
  /** An element ended and no comma has been seen since. */
  let needComma = false;
  const itemsBefore = items.length;

  const report = (code: ProblemCode, message: string, offset?: number): void => {
    const where = quoteInput && offset !== undefined && offset < n ? ` near ${JSON.stringify(excerpt(text, offset))}` : '';
    const p: SyntaxProblem = { code, message: message + where, field };
    if (offset !== undefined) p.offset = offset;
    problems.push(p);
  };

  if (folded) report('obs-fold', 'obsolete line folding (a line break inside the field value); RFC 9112 §5.2 deprecates it');

  const skipWs = (): void => {
    while (i < n && isWhitespace(text.charCodeAt(i))) i++;
  };
  const tokenEnd = (from: number): number => {
    let j = from;
    while (j < n && isTchar(text.charCodeAt(j))) j++;
    return j;
  };
  /** Skip to the next comma that is not inside a quoted string (error recovery). */
  const skipToComma = (): void => {
    let quoted = false;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (quoted) {
        if (c === BACKSLASH) i++;
        else if (c === DQUOTE) quoted = false;
      } else if (c === DQUOTE) quoted = true;
      else if (c === COMMA) return;
      i++;
    }
  };

  /** Read a quoted-string starting at the opening quote; returns the unescaped value. */
  const readQuoted = (): string => {
    const open = i;
    i++; // opening quote
    let value = '';
    let segment = i;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === DQUOTE) {
        value += text.slice(segment, i);
        i++;
        return value;
      }
      if (c === BACKSLASH) {
        // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
        value += text.slice(segment, i);
        if (i + 1 < n) value += text[i + 1];
        i += 2;
        segment = i;
        continue;
      }
      if (isControl(c)) report('control-character', `${describeChar(c)} inside a quoted string`, i);
      i++;
    }
    value += text.slice(segment, Math.min(i, n));
    report('unterminated-quote', 'a quoted string is not closed', open);
    return value;
  };

  const readParamValue = (item: ScannedItem, name: string, nameOffset: number): void => {
    skipWs();
    let value: string;
    if (i >= n || text.charCodeAt(i) === COMMA) {
      report('missing-value', `parameter "${name}" has no value`, nameOffset);
      value = '';
    } else if (text.charCodeAt(i) === DQUOTE) {
      value = readQuoted();
    } else {
      const start = i;
      let bad = -1;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c === COMMA || isWhitespace(c) || c === DQUOTE) break;
        if (bad === -1 && !isTchar(c)) bad = i;
        i++;
      }
      value = text.slice(start, i);
      if (bad !== -1 && !options.lenientValues) {
        const c = text.charCodeAt(bad);
        report(
          isControl(c) ? 'control-character' : 'value-needs-quotes',
          `parameter "${name}" has ${describeChar(c)} in an unquoted value (it must be a quoted string)`,
          bad,
        );
      }
    }
    if (item.token68 !== null) {
      report('parameter-after-token68', `parameter "${name}" follows a token68 (a challenge has one or the other)`, nameOffset);
    }
    if (Object.hasOwn(item.params, name)) {
      report('duplicate-parameter', `parameter "${name}" appears twice in one ${item.scheme} challenge; the first is kept`, nameOffset);
    } else {
      setOwn(item.params, name, value);
    }
    needComma = true;
    afterValue();
  };

  /** After a value: whitespace, then a comma, the end, or (sloppily) the next element. */
  const afterValue = (): void => {
    skipWs();
    if (i >= n) return;
    const c = text.charCodeAt(i);
    if (c === COMMA) return;
    if (isTchar(c)) return; // the main loop reports the missing comma
    report('text-after-value', `unexpected ${describeChar(c)} after a value`, i);
    skipToComma();
  };

  /** Right after "scheme 1*SP": a token68 or the first auth-param. */
  const readAfterScheme = (item: ScannedItem): void => {
    const start = i;
    const pEnd = tokenEnd(i);
    let m = pEnd;
    while (m < n && isWhitespace(text.charCodeAt(m))) m++;
    let k = i;
    while (k < n && isToken68Char(text.charCodeAt(k))) k++;
    if (pEnd > i && m < n && text.charCodeAt(m) === EQUALS) {
      // "name=value", or a token68 with padding ("abc==") that ends the element.
      let e = m;
      while (e < n && text.charCodeAt(e) === EQUALS) e++;
      let f = e;
      while (f < n && isWhitespace(text.charCodeAt(f))) f++;
      if (m === pEnd && k >= pEnd && (f >= n || text.charCodeAt(f) === COMMA)) {
        item.token68 = text.slice(start, e);
        item.rest = item.token68;
        i = f;
        needComma = true;
        return;
      }
      const name = text.slice(i, pEnd).toLowerCase();
      i = m + 1;
      readParamValue(item, name, start);
      item.rest = text.slice(start, i).trimEnd();
      return;
    }
    if (k > i) {
      let e = k;
      while (e < n && text.charCodeAt(e) === EQUALS) e++;
      item.token68 = text.slice(start, e);
      i = e;
      skipWs();
      if (i < n && text.charCodeAt(i) !== COMMA) {
        report('text-after-token68', `unexpected text after the ${item.scheme} token68`, i);
        skipToComma();
      }
      item.rest = text.slice(start, i).trimEnd();
      needComma = true;
      return;
    }
    const c = text.charCodeAt(i);
    report(isControl(c) ? 'control-character' : 'bad-character', `unexpected ${describeChar(c)} after scheme "${item.scheme}"`, i);
    skipToComma();
    item.rest = text.slice(start, i).trimEnd();
    needComma = true;
  };

  while (true) {
    skipWs();
    if (i >= n) break;
    const c = text.charCodeAt(i);
    if (c === COMMA) {
      i++;
      needComma = false;
      continue;
    }
    const start = i;
    const tEnd = tokenEnd(i);
    if (tEnd === i) {
      report(isControl(c) ? 'control-character' : 'bad-character', `unexpected ${describeChar(c)} where a scheme or parameter was expected`, i);
      skipToComma();
      continue;
    }
    if (needComma) report('missing-comma', 'two elements are not separated by a comma', start);
    let j = tEnd;
    while (j < n && isWhitespace(text.charCodeAt(j))) j++;
    const word = text.slice(i, tEnd);

    if (j < n && text.charCodeAt(j) === EQUALS) {
      // A parameter of the current challenge.
      const name = word.toLowerCase();
      i = j + 1;
      if (current === null) {
        report('parameter-without-scheme', `parameter "${name}" comes before any scheme`, start);
        skipToComma();
        continue;
      }
      readParamValue(current, name, start);
      continue;
    }

    current = { scheme: word.toLowerCase(), params: {}, token68: null, field, rest: '', offset: start };
    items.push(current);
    needComma = true;
    if (j >= n || text.charCodeAt(j) === COMMA) {
      i = j;
      continue;
    }
    if (j === tEnd) {
      // The scheme runs straight into something that is neither a space nor a comma.
      const bad = text.charCodeAt(j);
      report(
        isControl(bad) ? 'control-character' : 'bad-character',
        `unexpected ${describeChar(bad)} right after scheme "${current.scheme}"`,
        j,
      );
      i = j;
      skipToComma();
      current.rest = text.slice(j, i).trim();
      continue;
    }
    i = j;
    readAfterScheme(current);
  }

  if (items.length === itemsBefore && problems.every((p) => p.field !== field || p.code === 'obs-fold')) {
    report('empty-field', 'the field is present but holds no scheme');
  }
}
