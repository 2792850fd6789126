/**
 * Redaction of URLs and free text: light enough (no cookie or credential parsers, no Public
 * Suffix List) for the panel's list to mask query tokens at first paint. redact.ts re-exports it.
 *
 * A URL is not parsed with `new URL()` here: HAR files hold relative URLs and hosts it refuses,
 * and those must be masked as well as any other (more, not less). The URL is cut by its
 * delimiters — userinfo, path parameters, query, fragment — each part masked by meaning, in one
 * linear pass.
 */
import { tagOf, taggedMask, TAGGABLE_TOKEN } from '../tokens/fingerprint.ts';
import { hasSecretPrefix, isPublicCredentialParam, isSecretName, looksLikeSecretValue, placeholderKind } from './vocabulary.ts';

export { isSecretName } from './vocabulary.ts';

/**
 * A mask, as `mask` and `taggedMask` write them: "[redacted: 12 chars]", "[redacted: 275 chars,
 * #248cbf9a]". Redaction recognises its own masks and leaves them as they are, so a value keeps
 * its length and fingerprint through export → import → CLI → export.
 */
const MASK = /^\[redacted: \d{1,9} chars?(?:, #[0-9a-f]{8})?\]$/;
const MASK_IN_TEXT = /\[redacted: \d{1,9} chars?(?:, #[0-9a-f]{8})?\]/g;

export function isMask(value: string): boolean {
  return value.length <= 48 && MASK.test(value);
}

export function mask(value: string): string {
  if (isMask(value)) return value;
  return `[redacted: ${value.length} char${value.length === 1 ? '' : 's'}]`;
}

/** `text.replace(pattern, fn)`, except inside masks already there (they stay as they are). */
export function replaceOutsideMasks(text: string, pattern: RegExp, fn: (match: string, ...groups: string[]) => string): string {
  if (text.indexOf('[redacted: ') === -1) return text.replace(pattern, fn);
  let out = '';
  let last = 0;
  for (const m of text.matchAll(MASK_IN_TEXT)) {
    out += text.slice(last, m.index).replace(pattern, fn) + m[0];
    last = m.index + m[0].length;
  }
  return out + text.slice(last).replace(pattern, fn);
}

/** Runs of base64url characters and dots: where a JWT can be. A plain character class: linear. */
const TOKEN_RUN = /[A-Za-z0-9_.-]+/g;

/**
 * Any JWT-shaped run inside free text ("eyJ" then base64url segments joined by dots), masked.
 * Linear in the text: each maximal run of token characters is looked at once (a regular
 * expression that searched for the segments themselves backtracks on "eyJeyJeyJ…").
 */
export function redactJwtsInText(text: string): string {
  if (text.indexOf('eyJ') === -1) return text;
  return text.replace(TOKEN_RUN, (run) => {
    const k = run.indexOf('eyJ');
    if (k === -1) return run;
    // A JWT has 3 segments, a JWE 5: up to the fifth segment's end.
    let end = k;
    let dots = 0;
    while (end < run.length && !(run.charCodeAt(end) === 0x2e && dots === 4)) {
      if (run.charCodeAt(end) === 0x2e) dots++;
      end++;
    }
    if (dots === 0) return run;
    return run.slice(0, k) + mask(run.slice(k, end)) + run.slice(end);
  });
}

/** A value decoded, when it decodes (a mask written into a URL is percent-encoded). */
function decoded(value: string): string {
  if (value.indexOf('%') === -1 && value.indexOf('+') === -1) return value;
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

const looksLikeJwtValue = (v: string) => v.startsWith('eyJ') && v.indexOf('.') !== -1;

/**
 * A value that holds a URL or pairs of its own ("redirect_uri=https://app/cb?code=…", often
 * percent-encoded): does any pair inside carry a secret? Then the whole value is one. Linear:
 * one split, each piece looked at once.
 */
function carriesSecretPair(value: string): boolean {
  if (value.indexOf('=') === -1) return false;
  for (const piece of value.split(/[?#&;]/)) {
    const eq = piece.indexOf('=');
    if (eq <= 0) continue;
    const name = piece.slice(0, eq).trim();
    const v = piece.slice(eq + 1);
    if (v !== '' && !isMask(v) && (isSecretName(name) || looksLikeJwtValue(v))) return true;
  }
  return false;
}

/**
 * `name=value&…` (a query, a form body, a fragment, path parameters): secret values masked, the
 * rest as written. Both "&" and ";" separate pairs (old servers and path parameters use ";").
 */
/**
 * The one-time values a sign-in flow links its steps by (its state, nonce and code): masked with
 * their keyed tag when long enough that a tag cannot help guess them, so a masked copy still tells
 * equal values from different ones (core/flows reads the masks as it reads the values).
 */
const LINKING_PARAMS = new Set(['state', 'nonce', 'code']);

/** The mask of a named pair's value (`value` as sent, `plain` decoded): tagged for a flow's linking values, plain for the rest. */
export function maskPairValue(name: string, value: string, plain = value): string {
  return LINKING_PARAMS.has(name.trim().toLowerCase()) && TAGGABLE_TOKEN.test(plain) ? taggedMask(plain.length, tagOf(plain)) : mask(value);
}

export function redactPairs(text: string): { text: string; masked: number } {
  let masked = 0;
  const parts = text.split(/([&;])/).map((kv, i) => {
    if (i % 2 === 1) return kv; // a separator
    const eq = kv.indexOf('=');
    const name = eq === -1 ? kv : kv.slice(0, eq);
    const value = eq === -1 ? '' : kv.slice(eq + 1);
    if (value === '' || isMask(decoded(value))) {
      // A bare JWT with no name ("#eyJ…") is still a token.
      if (eq === -1 && looksLikeJwtValue(decoded(kv))) {
        masked++;
        return encodeURIComponent(mask(kv));
      }
      return kv;
    }
    const plain = decoded(value);
    if (isSecretName(decoded(name).trim()) || looksLikeJwtValue(plain) || carriesSecretPair(plain)) {
      masked++;
      return `${name}=${encodeURIComponent(maskPairValue(decoded(name), value, plain))}`;
    }
    const inner = redactJwtsInText(value);
    if (inner !== value) {
      masked++;
      return `${name}=${inner}`;
    }
    // A word of the value whose shape says "secret" (a known token prefix), under a name that does
    // not: `scope=openid ghp_…`, `note=sk_live_…`.
    const words = plain.split(/([\s+,;"'()]+)/);
    if (words.some((w, i) => i % 2 === 0 && hasSecretPrefix(w))) {
      masked++;
      return `${name}=${encodeURIComponent(words.map((w, i) => (i % 2 === 0 && hasSecretPrefix(w) ? mask(w) : w)).join(''))}`;
    }
    // Pairs of another syntax inside the value: a GraphQL query sent as a form field
    // (`query=mutation{login(password:"…")}`), a JSON string in a parameter.
    if (plain.indexOf(':') !== -1) {
      const shown = redactText(plain);
      if (shown !== plain) {
        masked++;
        return `${name}=${encodeURIComponent(shown)}`;
      }
    }
    return kv;
  });
  return { text: parts.join(''), masked };
}

/** A path: JWT-shaped segments and secret path parameters (`;jsessionid=…`) masked. */
function redactPath(path: string): string {
  if (path.indexOf(';') === -1 && path.indexOf('eyJ') === -1) return path;
  return path
    .split('/')
    .map((segment) => {
      const semi = segment.indexOf(';');
      const head = semi === -1 ? segment : segment.slice(0, semi);
      const params = semi === -1 ? undefined : segment.slice(semi + 1);
      const shownHead = looksLikeJwtValue(decoded(head)) ? encodeURIComponent(mask(head)) : redactJwtsInText(head);
      if (params === undefined) return shownHead;
      return `${shownHead};${redactPairs(params).text}`;
    })
    .join('/');
}

/**
 * Mask every part of a URL that carries a credential: the userinfo password, secret path
 * parameters and JWT path segments, secret or JWT-valued query parameters, and the same in the
 * fragment (`#access_token=…`). Works on any text, absolute or relative, parseable or not.
 */
export function redactUrl(url: string): string {
  // The common URL has nothing to mask: no query, fragment, userinfo, path parameter or JWT.
  if (url.length === 0 || !/[?#@;]|eyJ/.test(url)) return url;
  const hashAt = url.indexOf('#');
  const beforeHash = hashAt === -1 ? url : url.slice(0, hashAt);
  const fragment = hashAt === -1 ? undefined : url.slice(hashAt + 1);
  const queryAt = beforeHash.indexOf('?');
  let base = queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt);
  const query = queryAt === -1 ? undefined : beforeHash.slice(queryAt + 1);

  // Userinfo: scheme://user:password@host — the password goes, the user name stays.
  const authorityAt = base.indexOf('//');
  let prefix = '';
  if (authorityAt !== -1) {
    const start = authorityAt + 2;
    const slash = base.indexOf('/', start);
    const authority = slash === -1 ? base.slice(start) : base.slice(start, slash);
    const at = authority.lastIndexOf('@');
    let shownAuthority = authority;
    if (at !== -1) {
      const userinfo = authority.slice(0, at);
      const colon = userinfo.indexOf(':');
      const user = colon === -1 ? userinfo : userinfo.slice(0, colon);
      // A token sent as the user name ("https://ghp_…@github.com/…") is the secret itself.
      const shownUser = user !== 'redacted' && (hasSecretPrefix(user) || looksLikeSecretValue(decoded(user)) || looksLikeJwtValue(user)) ? 'redacted' : user;
      if (colon !== -1 && userinfo.length > colon + 1 && userinfo.slice(colon + 1) !== 'redacted') shownAuthority = `${shownUser}:redacted${authority.slice(at)}`;
      else if (shownUser !== user) shownAuthority = `${shownUser}${colon === -1 ? '' : ':'}${authority.slice(at)}`;
    }
    prefix = base.slice(0, start) + shownAuthority;
    base = slash === -1 ? '' : base.slice(slash);
  }
  let out = prefix + redactPath(base);
  if (query !== undefined) out += `?${redactPairs(query).text}`;
  if (fragment !== undefined) out += `#${redactPairs(fragment).text}`;
  return out;
}

/** A URL's masks as people read them ("[redacted: 13 chars]"), not percent-encoded; for display only. */
export function readableMasks(text: string): string {
  return text.indexOf('%5Bredacted') === -1 ? text : text.replace(/%5Bredacted%3A%20(\d+)%20(chars?)(%2C%20%23([0-9a-f]{8}))?%5D/gi, (_m, n: string, unit: string, _t, tag: string | undefined) => `[redacted: ${n} ${unit}${tag ? `, #${tag}` : ''}]`);
}

/** A URL to show: secrets masked, the masks readable. */
export function displayUrl(url: string): string {
  return readableMasks(redactUrl(url));
}

/** The endpoint: the URL without its query and fragment (where most secrets ride), the rest redacted. */
export function endpointOf(url: string): string {
  const cut = url.search(/[?#]/);
  return redactUrl(cut === -1 ? url : url.slice(0, cut));
}

/** PEM blocks ("-----BEGIN PRIVATE KEY-----" … END), masked whole; an unclosed one to the text's end. Linear. */
export function redactPemBlocks(text: string): string {
  let at = text.indexOf('-----BEGIN ');
  if (at === -1) return text;
  let out = '';
  let last = 0;
  while (at !== -1) {
    const endMark = text.indexOf('-----END ', at);
    let end = text.length;
    if (endMark !== -1) {
      const close = text.indexOf('-----', endMark + 9);
      end = close === -1 ? text.length : close + 5;
    }
    out += text.slice(last, at) + mask(text.slice(at, end));
    last = end;
    at = text.indexOf('-----BEGIN ', end);
  }
  return out + text.slice(last);
}

/** `name=value`, `"name": "value"` (JSON) and `name: "value"` (GraphQL) inside free text. Bounded: linear. */
const PAIR_IN_TEXT = /("?)([A-Za-z_][\w.[\]-]{0,63})\1(\s{0,4}=\s{0,4}|\s{0,4}:\s{0,4}(?="|'))("(?:[^"\\\n]|\\.){1,4096}"|'[^'\n]{1,4096}'|[^\s,;&"'<>)}\]]{1,4096})/g;
const URL_IN_TEXT = /\bhttps?:\/\/[^\s"'<>]{1,8192}/gi;
const RUN_IN_TEXT = /[A-Za-z0-9_.+/=-]{16}[A-Za-z0-9_.+/=-]*/g;

/**
 * Secrets inside text that Why 401 quotes or writes (a finding's sentence, a challenge's
 * error_description, a body excerpt): JWTs, PEM blocks, known-prefix keys, URLs' secret parts,
 * and the values of secret names in `name=value`, JSON and GraphQL pairs. Masks already there stay
 * as they are; placeholders are not secrets. Linear in the text.
 */
export function redactText(text: string): string {
  if (text.length === 0) return text;
  let out = redactPemBlocks(redactJwtsInText(text));
  if (/https?:\/\//i.test(out)) out = replaceOutsideMasks(out, URL_IN_TEXT, (u) => readableMasks(redactUrl(u)));
  if (out.indexOf('=') !== -1 || out.indexOf(':') !== -1) {
    out = replaceOutsideMasks(out, PAIR_IN_TEXT, (m: string, q: string, name: string, glue: string, value: string) => {
      const bare = value.length >= 2 && (value[0] === '"' || value[0] === "'") ? value.slice(1, -1) : value;
      if (!/[A-Za-z0-9]/.test(bare) || !isSecretName(name) || isPublicCredentialParam(name) || isMask(decoded(bare)) || isMask(bare) || placeholderKind(bare) !== undefined) return m;
      const quote = bare === value ? '' : value[0]!;
      return `${q}${name}${q}${glue}${quote}${mask(bare)}${quote}`;
    });
  }
  return replaceOutsideMasks(out, RUN_IN_TEXT, (run) => (hasSecretPrefix(run) ? mask(run) : run));
}
