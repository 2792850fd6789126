/**
 * Authorization and Proxy-Authorization (RFC 9110 §11.6.2, §11.7.2): Basic (RFC 7617), Bearer
 * (RFC 6750 §2.1), DPoP (RFC 9449 §7.1), Digest (RFC 7616 §3.4), token68 schemes and
 * parameter-list schemes such as AWS SigV4.
 *
 * Problems are reported without ever quoting the input: credentials are secrets.
 */
import { scanAuthField, type ScannedItem, type SyntaxProblem } from './auth-syntax.ts';
import { checkBase64, decodeBase64, decodeText } from './base64.ts';
import { isTchar, isToken68Char, isWhitespace, unfold } from './syntax.ts';
import { KNOWN_SCHEMES, TOKEN68_SCHEMES, isSchemeWord } from '../redaction/vocabulary.ts';

export type BasicCredentials = { username: string; password: string } | { error: 'empty' | 'invalid-base64' | 'no-colon' };

export interface Credentials {
  /** Lower-case scheme; '' when the value has none (it is a bare credential). */
  scheme: string;
  /** The scheme as written ('' when there is none). */
  schemeText: string;
  /** What separates the scheme from the token when it is not a space: "Bearer:x", "Bearer=x". */
  glue: '' | ':' | '=';
  /** No scheme at all: the whole value is the credential ("Authorization: eyJ…", "sk_live_…"). */
  bare: boolean;
  params: Record<string, string>;
  token68: string | null;
  basic?: BasicCredentials;
  problems: SyntaxProblem[];
  /**
   * The token as the client meant it (Bearer, DPoP and other token68 schemes): the token68, or
   * the best reading of a malformed one (quotes stripped, the repeated scheme removed).
   */
  token: string | null;
  /** `Bearer Bearer …`: the scheme name repeated at the start of the token. */
  repeatedScheme: boolean;
  /** The Authorization field was sent more than once, or holds a comma-joined list. */
  multiple: boolean;
  /** The token was masked by an export (ours): well-formed as far as anyone can tell. */
  redacted: boolean;
}

/** A mask written by redact.ts: "[redacted: 812 chars]" or "[redacted: 812 chars, #1a2b3c4d]". */
export const REDACTED_TOKEN = /^\[redacted: \d+ chars?(, #[0-9a-f]{8})?\]$/;
const MASKS = /\[redacted: \d+ chars?(, #[0-9a-f]{8})?\]/g;

/** Schemes whose credentials are a single token68 (never an auth-param list). */
/** Schemes that send parameters. */
const PARAM_SCHEMES = new Set(['digest', 'hoba', 'mutual', 'vapid', 'signature', 'aws4-hmac-sha256', 'hmac']);

function problem(code: SyntaxProblem['code'], message: string, field = 0): SyntaxProblem {
  return { code, message, field };
}

/** The text without trailing spaces and tabs. A scan from the end: `/[ \t]+$/` is quadratic on long runs of spaces. */
export function trimTrailingWs(text: string): string {
  let end = text.length;
  while (end > 0 && isWhitespace(text.charCodeAt(end - 1))) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** Leading scheme word, an optional glue character ("Bearer: …", "Bearer=…"), then the rest. Linear. */
function splitScheme(text: string): { scheme: string; glue: '' | ':' | '='; rest: string; gap: boolean } | undefined {
  let i = 0;
  while (i < text.length && isWhitespace(text.charCodeAt(i))) i++;
  const start = i;
  while (i < text.length && isTchar(text.charCodeAt(i))) i++;
  if (i === start) return undefined;
  const scheme = text.slice(start, i);
  let glue: '' | ':' | '=' = '';
  const c = text.charCodeAt(i);
  if (c === 0x3a || c === 0x3d) {
    glue = c === 0x3a ? ':' : '=';
    i++;
  }
  const afterScheme = i;
  while (i < text.length && isWhitespace(text.charCodeAt(i))) i++;
  return { scheme, glue, rest: trimTrailingWs(text.slice(i)), gap: i > afterScheme };
}

function looksLikeParams(rest: string): boolean {
  let i = 0;
  while (i < rest.length && isTchar(rest.charCodeAt(i))) i++;
  if (i === 0) return false;
  while (i < rest.length && isWhitespace(rest.charCodeAt(i))) i++;
  if (rest.charCodeAt(i) !== 0x3d) return false;
  // "abc==" is a padded token68, "name=value" a parameter.
  return i + 1 < rest.length && rest.charCodeAt(i + 1) !== 0x3d;
}

/** Judge a token that should be token68 (RFC 9110 §11.2; RFC 6750 §2.1 b64token). */
function readToken(rest: string, scheme: string, problems: SyntaxProblem[]): { token: string; repeatedScheme: boolean; masked: boolean } {
  let token = rest;
  let repeatedScheme = false;
  const prefix = scheme.toLowerCase();
  // "Bearer Bearer x", "Basic Basic x", and "Bearer bearer x".
  if (token.length > prefix.length && token.slice(0, prefix.length).toLowerCase() === prefix) {
    const next = token.charCodeAt(prefix.length);
    if (isWhitespace(next) || next === 0x3a) {
      repeatedScheme = true;
      problems.push(problem('repeated-scheme', `the scheme ${shownScheme(scheme)} is repeated at the start of the token`));
      token = token.slice(prefix.length + 1).replace(/^[ \t:]+/, '');
    }
  }
  if (token.length === 0) {
    problems.push(problem('missing-token', `no token follows the scheme ${shownScheme(scheme)}`));
    return { token, repeatedScheme, masked: false };
  }
  if (token.length >= 2 && (token.startsWith('"') && token.endsWith('"') || token.startsWith("'") && token.endsWith("'"))) {
    problems.push(problem('quoted-token', 'the token is wrapped in quotes; token68 is never quoted'));
    token = token.slice(1, -1);
  }
  // A masked export keeps the token's shape (quotes, spaces) and masks its runs: judge the
  // shape with each mask standing for a run of token characters.
  const shape = token.indexOf('[redacted: ') === -1 ? token : token.replace(MASKS, 'REDACTED');
  const masked = shape !== token;
  let sawSpace = false;
  let sawBad = false;
  let sawControl = false;
  let padding = false;
  for (let i = 0; i < shape.length; i++) {
    const c = shape.charCodeAt(i);
    if (c === 0x3d) {
      padding = true;
      continue;
    }
    if (padding && !sawBad) {
      sawBad = true; // "=" is only allowed as trailing padding
      continue;
    }
    if (isToken68Char(c)) continue;
    if (isWhitespace(c)) sawSpace = true;
    else if (c < 0x20 || c === 0x7f) sawControl = true;
    else sawBad = true;
  }
  if (sawSpace) problems.push(problem('space-in-token', 'the token contains a space'));
  if (sawControl) problems.push(problem('control-character', 'the token contains a control character (a line break or tab?)'));
  if (sawBad) problems.push(problem('invalid-token-character', 'the token contains characters outside the token68 alphabet (A–Z a–z 0–9 - . _ ~ + / and trailing =)'));
  return { token, repeatedScheme, masked };
}

/** A scheme named in a problem message: only a known scheme's name is quoted (anything else might be the secret). */
function shownScheme(scheme: string): string {
  return KNOWN_SCHEMES.has(scheme.toLowerCase()) ? `"${scheme}"` : '(not a known scheme name)';
}

function decodeBasic(token: string, problems: SyntaxProblem[]): BasicCredentials {
  if (token.length === 0) return { error: 'empty' };
  const check = checkBase64(token);
  const bytes = check.ok ? decodeBase64(token) : undefined;
  if (!bytes) return { error: 'invalid-base64' };
  if (check.ok && !check.padded) problems.push(problem('base64-padding', 'the Basic credentials lack base64 padding ("=")'));
  const { text } = decodeText(bytes);
  if (text.length === 0) return { error: 'empty' };
  const colon = text.indexOf(':');
  if (colon === -1) return { error: 'no-colon' };
  // RFC 7617 §2: the user-id cannot contain a colon; the password may.
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

/**
 * Parse the Authorization (or Proxy-Authorization) field values of one request. Returns null
 * when there is none.
 */
export function parseCredentials(fields: string | readonly string[]): Credentials | null {
  const list = (typeof fields === 'string' ? [fields] : [...fields]).filter((f) => f !== undefined);
  if (list.length === 0) return null;
  const problems: SyntaxProblem[] = [];
  let multiple = false;
  if (list.length > 1) {
    multiple = true;
    problems.push(problem('multiple-credentials', `the header was sent ${list.length} times; servers read one credential`));
  }
  const { text, folded } = unfold(list[0]!);
  if (folded) problems.push(problem('obs-fold', 'the header value contains a line break'));
  const split = splitScheme(text);
  const bare = (token: string): Credentials => {
    problems.push(problem('missing-scheme', 'the header has no scheme: it holds a bare credential (the token without "Bearer " or another scheme before it)'));
    return { scheme: '', schemeText: '', glue: '', bare: true, params: {}, token68: null, problems, token, repeatedScheme: false, multiple, redacted: REDACTED_TOKEN.test(token) };
  };
  if (!split) {
    const t = text.trim();
    if (t.length === 0) {
      problems.push(problem('missing-token', 'the header is empty'));
      return { scheme: '', schemeText: '', glue: '', bare: false, params: {}, token68: null, problems, token: '', repeatedScheme: false, multiple, redacted: false };
    }
    return bare(t);
  }
  // A first word that cannot be a scheme (a JWT, "sk_live_…", base64 with its padding) is the credential itself.
  const known = KNOWN_SCHEMES.has(split.scheme.toLowerCase());
  if (!known && (split.glue !== '' || !isSchemeWord(split.scheme, split.gap && split.rest.length > 0))) return bare(text.trim());
  const scheme = split.scheme.toLowerCase();
  const creds: Credentials = { scheme, schemeText: split.scheme, glue: split.glue, bare: false, params: {}, token68: null, problems, token: null, repeatedScheme: false, multiple, redacted: false };
  if (split.glue === ':') problems.push(problem('scheme-with-colon', `the scheme is followed by a colon ("${split.scheme}:"); write "${split.scheme} <token>"`));
  else if (split.glue === '=') problems.push(problem('scheme-with-equals', `the scheme is followed by "=" ("${split.scheme}="); write "${split.scheme} <token>"`));
  else if (!split.gap && split.rest.length > 0) problems.push(problem('bad-character', 'the scheme is not followed by a space'));

  const rest = split.rest;
  if (REDACTED_TOKEN.test(rest)) {
    // A masked export: nothing to judge in the token itself.
    creds.redacted = true;
    creds.token = rest;
    creds.token68 = rest;
    return creds;
  }
  if (!TOKEN68_SCHEMES.has(scheme) && (PARAM_SCHEMES.has(scheme) || scheme.startsWith('aws4-') || looksLikeParams(rest))) {
    const items: ScannedItem[] = [];
    scanAuthField(`${split.scheme} ${rest}`, 0, items, problems, { lenientValues: true, quoteInput: false });
    const first = items[0];
    if (first) {
      creds.params = first.params;
      creds.token68 = first.token68;
      creds.token = first.token68;
    }
    if (items.length > 1) {
      creds.multiple = true;
      problems.push(problem('multiple-credentials', 'the header holds more than one credential'));
    }
    return creds;
  }

  // A comma-joined list of credentials ("Bearer a, Bearer b") from two fields merged upstream.
  const joined = /,[ \t]*(?:basic|bearer|dpop|digest|negotiate|ntlm)[ \t]/i.exec(rest);
  let tokenText = rest;
  if (joined) {
    creds.multiple = true;
    problems.push(problem('multiple-credentials', 'the header holds more than one credential, joined by a comma'));
    tokenText = trimTrailingWs(rest.slice(0, joined.index));
  }
  const { token, repeatedScheme, masked } = readToken(tokenText, split.scheme, problems);
  creds.redacted = masked;
  creds.token = token;
  creds.repeatedScheme = repeatedScheme;
  const isToken68 = token.length > 0 && problems.every((p) => !['space-in-token', 'invalid-token-character', 'control-character', 'quoted-token'].includes(p.code));
  creds.token68 = isToken68 && !repeatedScheme && !joined ? token : tokenText.length > 0 ? tokenText : null;
  if (scheme === 'basic' && !creds.redacted) creds.basic = decodeBasic(token, problems);
  return creds;
}
