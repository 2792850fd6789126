/**
 * Redaction: the one place that decides what is a secret and how it is masked. Every output
 * (UI, CLI, HAR, report, cURL) goes through it. Masks say what they hide ("[redacted: 812
 * chars]") so a reader can still reason about it, and never keep a prefix of the secret.
 *
 * Placeholders (`undefined`, `null`, `[object Object]`, `${TOKEN}`…) are not secrets: they are
 * the diagnosis, so they are shown.
 */
import type { ExchangeContext } from './context.ts';
import type { HarCookie, HarEntry, HarHeader, HarPostData, Why401Fields } from './har-types.ts';
import { parseCookieHeader } from './cookies.ts';
import { parseCredentials } from './credentials.ts';
import { fingerprint, taggedMask, TAGGABLE_TOKEN } from './fingerprint.ts';
import { decodedOf, inspectToken, looksLikeJwt } from './jwt.ts';
import { isMask, isSecretName, mask, redactJwtsInText, redactUrl, replaceOutsideMasks } from './redact-url.ts';

export { isMask, isSecretName, mask, redactJwtsInText, redactUrl } from './redact-url.ts';

/** Values that stand where a token should be but are not one (DESIGN.md placeholder-token). */
export function placeholderKind(value: string): string | undefined {
  const v = value.trim();
  if (v === '') return 'empty';
  const lower = v.toLowerCase();
  if (['undefined', 'null', 'nil', 'none', 'nan', 'false', 'true', '[object object]', 'object object', 'bearer', 'token', 'string', '""', "''"].includes(lower)) {
    return v;
  }
  if (/^(\$\{[^}]{0,64}\}|\{\{[^}]{0,64}\}\}|<[^>]{0,64}>|%[A-Za-z_]{1,64}%|\$[A-Z_][A-Z0-9_]{0,63})$/.test(v)) return 'an unexpanded template';
  if (/^(your|my|insert|put|paste|replace|example)[-_ ]?(access[-_ ]?)?(token|key|jwt|api[-_ ]?key)([-_ ]?here)?$/i.test(v)) return 'a sample value';
  if (/^x{6,}$/i.test(v) || /^\*{3,}$/.test(v)) return 'a masked sample value';
  return undefined;
}

/** Mask a secret unless it is a placeholder (which is shown because it is the diagnosis). */
export function redactSecret(value: string): string {
  return placeholderKind(value) !== undefined ? value : mask(value);
}

/** Headers whose whole value is a secret. */
const SECRET_HEADERS = new Set([
  'dpop',
  'x-api-key',
  'api-key',
  'apikey',
  'x-auth-token',
  'x-access-token',
  'x-id-token',
  'x-refresh-token',
  'x-csrf-token',
  'x-xsrf-token',
  'csrf-token',
  'x-amz-security-token',
  'x-goog-api-key',
  'x-functions-key',
  'ocp-apim-subscription-key',
  'x-session-token',
  'x-session-id',
  'x-jwt',
  'token',
  'x-token',
  'access-token',
  'authentication',
  'x-authorization',
  'x-upstream-authorization',
  'cf-access-token',
  'x-shopify-access-token',
  'private-token',
  'x-vault-token',
]);

export function isSecretHeader(name: string): boolean {
  const n = name.toLowerCase();
  return n === 'authorization' || n === 'proxy-authorization' || n === 'cookie' || n === 'set-cookie' || SECRET_HEADERS.has(n);
}

/** Parameters of Authorization that carry secrets (Digest response, SigV4 Signature…). */
const SECRET_CREDENTIAL_PARAMS = new Set(['response', 'signature', 'cnonce', 'password', 'token', 'sig', 'mac', 'client_secret']);

export function isSecretCredentialParam(name: string): boolean {
  return SECRET_CREDENTIAL_PARAMS.has(name.toLowerCase());
}

const SHAPE_PROBLEMS = new Set(['quoted-token', 'space-in-token', 'control-character', 'invalid-token-character', 'scheme-with-colon']);

/** Authorization: keep the scheme and non-secret parameters; mask tokens and passwords. */
export function redactAuthorization(value: string): string {
  // Already masked (an export read back): as it is, so its length and fingerprint survive.
  const masked = /^\s*(\S+)[ \t]+(\[redacted: [^\]]{1,40}\])\s*$/.exec(value);
  if (masked && isMask(masked[2]!)) return value.trim();
  if (isMask(value.trim())) return value.trim();
  const creds = parseCredentials(value);
  if (!creds || creds.scheme === '') return mask(value);
  const schemeText = /^\s*([^\s:]+)/.exec(value)?.[1] ?? creds.scheme;
  const names = Object.keys(creds.params);
  if (names.length > 0) {
    const shown = names.map((n) => {
      const v = creds.params[n] ?? '';
      return `${n}=${JSON.stringify(isSecretCredentialParam(n) || looksLikeJwt(v) ? mask(v) : v)}`;
    });
    return `${schemeText} ${shown.join(', ')}`;
  }
  const token = creds.token ?? '';
  const trimmed = value.trim();
  if (creds.scheme !== 'basic' && !creds.repeatedScheme && trimmed === `${schemeText} ${token}` && TAGGABLE_TOKEN.test(token)) {
    return `${schemeText} ${taggedMask(token.length, fingerprint(trimmed))}`;
  }
  if (creds.repeatedScheme) return `${schemeText} ${schemeText} ${redactSecret(token)}`;
  if (token === '' && !/\S\s+\S/.test(value.trim())) return schemeText;
  if (creds.problems.some((p) => SHAPE_PROBLEMS.has(p.code))) {
    // Keep the defect visible (quotes, spaces, a colon, stray characters): mask each run of
    // token characters, not the whole.
    const m = /^(\s*[^\s:]+:?[ \t]*)([\s\S]*)$/.exec(value);
    if (m) return m[1]! + replaceOutsideMasks(m[2]!, /[A-Za-z0-9\-._~+/]+=*/g, (run) => redactSecret(run));
  }
  return `${schemeText} ${redactSecret(token)}`;
}

export function redactCookieHeader(value: string): string {
  return parseCookieHeader(value)
    .map((c) => (c.name === '' ? mask(c.value) : `${c.name}=${c.value === '' ? '' : mask(c.value)}`))
    .join('; ');
}

export function redactSetCookie(value: string): string {
  const semi = value.indexOf(';');
  const pair = semi === -1 ? value : value.slice(0, semi);
  const attrs = semi === -1 ? '' : value.slice(semi);
  const eq = pair.indexOf('=');
  if (eq === -1) return mask(pair.trim()) + attrs;
  const v = pair.slice(eq + 1).trim();
  return `${pair.slice(0, eq).trim()}=${v === '' ? '' : mask(v)}${attrs}`;
}

/** Mask secrets inside any header value. */
export function redactHeaderValue(name: string, value: string): string {
  const n = name.toLowerCase();
  if (n === 'authorization' || n === 'proxy-authorization') return redactAuthorization(value);
  if (n === 'cookie') return redactCookieHeader(value);
  if (n === 'set-cookie') return redactSetCookie(value);
  if (SECRET_HEADERS.has(n)) return redactSecret(value);
  if (n === 'location' || n === 'referer' || n === 'content-location') return redactUrl(value);
  return redactJwtsInText(value);
}

/** Walk parsed JSON and mask values of secret keys and JWT-looking strings. Returns the count masked. */
function redactJson(value: unknown, depth: number, counter: { n: number }): unknown {
  if (depth > 64) return '[redacted: too deep]';
  if (typeof value === 'string') {
    if (looksLikeJwt(value)) {
      counter.n++;
      return mask(value);
    }
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => redactJson(v, depth + 1, counter));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      let next: unknown;
      if (isSecretName(k) && (typeof v === 'string' || typeof v === 'number')) {
        counter.n++;
        next = mask(String(v));
      } else {
        next = redactJson(v, depth + 1, counter);
      }
      if (k === '__proto__') Object.defineProperty(out, k, { value: next, enumerable: true, writable: true, configurable: true });
      else out[k] = next;
    }
    return out;
  }
  return value;
}

/**
 * A body (request postData or response content): JSON and form bodies keep their shape with
 * secret fields masked; anything else that mentions a secret is masked whole.
 */
export function redactBody(text: string, mimeType: string): { text: string; masked: number } {
  const counter = { n: 0 };
  const trimmed = text.trim();
  if (/json/i.test(mimeType) || trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      const out = JSON.stringify(redactJson(parsed, 0, counter));
      return { text: out, masked: counter.n };
    } catch {
      // not JSON after all
    }
  }
  if (/x-www-form-urlencoded/i.test(mimeType) || /^[\w.%-]+=[^&]*(&[\w.%-]+=[^&]*)*$/.test(trimmed.slice(0, 4096))) {
    const out = trimmed
      .split('&')
      .map((kv) => {
        const eq = kv.indexOf('=');
        if (eq === -1) return kv;
        const name = kv.slice(0, eq);
        const value = kv.slice(eq + 1);
        let decoded = name;
        try {
          decoded = decodeURIComponent(name.replace(/\+/g, ' '));
        } catch {
          // keep raw
        }
        let plain = value;
        try {
          plain = decodeURIComponent(value.replace(/\+/g, ' '));
        } catch {
          // keep raw
        }
        if (value !== '' && !isMask(plain) && (isSecretName(decoded) || value.startsWith('eyJ'))) {
          counter.n++;
          return `${name}=${encodeURIComponent(mask(value))}`;
        }
        return kv;
      })
      .join('&');
    return { text: out, masked: counter.n };
  }
  if (text.length === 0) return { text, masked: 0 };
  // Free text: mask it whole when it might hold a credential.
  if (/eyJ|token|secret|passw|api[_-]?key|session|bearer|basic /i.test(text)) return { text: mask(text), masked: 1 };
  return { text, masked: 0 };
}

/** The receipt of what an export masked. */
export class RedactionReceipt {
  private readonly counts = new Map<string, number>();

  add(what: string, n = 1): void {
    if (n > 0) this.counts.set(what, (this.counts.get(what) ?? 0) + n);
  }

  lines(): string[] {
    return [...this.counts].map(([what, n]) => `${what}: ${n}`);
  }

  get total(): number {
    let t = 0;
    for (const n of this.counts.values()) t += n;
    return t;
  }
}

function redactHeaders(headers: readonly HarHeader[], receipt: RedactionReceipt): HarHeader[] {
  return headers.map((h) => {
    const value = redactHeaderValue(h.name, h.value);
    if (value !== h.value) receipt.add(`${h.name.toLowerCase()} header values`);
    return { name: h.name, value };
  });
}

function redactHarCookies(cookies: readonly HarCookie[], receipt: RedactionReceipt): HarCookie[] {
  return cookies.map((c) => {
    const value = mask(c.value);
    if (c.value === '' || value === c.value) return { ...c };
    receipt.add('cookie values');
    return { ...c, value };
  });
}

function redactPostData(post: HarPostData, receipt: RedactionReceipt): HarPostData {
  const out: HarPostData = { mimeType: post.mimeType };
  if (typeof post.text === 'string') {
    const r = redactBody(post.text, post.mimeType);
    receipt.add('request body fields', r.masked);
    out.text = r.text;
  }
  if (Array.isArray(post.params)) {
    out.params = post.params.map((p) => {
      if (p.value !== undefined && p.value !== '' && (isSecretName(p.name) || p.value.startsWith('eyJ'))) {
        receipt.add('request body fields');
        return { name: p.name, value: mask(p.value) };
      }
      return { ...p };
    });
  }
  return out;
}

type Decoded = Pick<Why401Fields, 'token' | 'cookieTokens' | 'basic'>;

function decodedTokens(entry: HarEntry): Decoded {
  const out: Decoded = {};
  for (const h of entry.request.headers) {
    const n = h.name.toLowerCase();
    if (n === 'authorization' || n === 'proxy-authorization') {
      const creds = parseCredentials(h.value);
      if (creds && creds.scheme !== 'basic' && creds.token && !creds.redacted && placeholderKind(creds.token) === undefined) {
        out.token = decodedOf(inspectToken(creds.token));
      }
      if (creds?.basic) out.basic = 'error' in creds.basic ? { error: creds.basic.error } : { username: creds.basic.username };
    } else if (n === 'cookie') {
      for (const c of parseCookieHeader(h.value)) {
        if (!looksLikeJwt(c.value) || c.name === '__proto__') continue;
        (out.cookieTokens ??= {})[c.name] = decodedOf(inspectToken(c.value));
      }
    }
  }
  return out;
}

/** The context holds redacted URLs already (the timeline keeps no other kind); masked again, it is unchanged. */
function redactContext(c: ExchangeContext): ExchangeContext {
  const out: ExchangeContext = {
    ...c,
    cookieEvents: c.cookieEvents.map((e) => ({ ...e, url: redactUrl(e.url) })),
    sentCookies: c.sentCookies.map((x) => ({ ...x, url: redactUrl(x.url) })),
  };
  if (c.lastCredentialed) out.lastCredentialed = { ...c.lastCredentialed, url: redactUrl(c.lastCredentialed.url) };
  if (c.sameCredentials) out.sameCredentials = { ...c.sameCredentials, url: redactUrl(c.sameCredentials.url) };
  if (c.redirects) out.redirects = c.redirects.map((h) => ({ ...h, url: redactUrl(h.url), location: redactUrl(h.location) }));
  if (c.topLevelUrl) out.topLevelUrl = redactUrl(c.topLevelUrl);
  return out;
}

/** A redacted deep copy of an exchange record (what export, report and cURL start from). */
export function redactEntry(entry: HarEntry, receipt: RedactionReceipt = new RedactionReceipt()): HarEntry {
  const req = entry.request;
  const res = entry.response;
  const url = redactUrl(req.url);
  if (url !== req.url) receipt.add('URL query parameters');
  const out: HarEntry = {
    ...entry,
    request: {
      ...req,
      url,
      headers: redactHeaders(req.headers, receipt),
      cookies: redactHarCookies(req.cookies, receipt),
      queryString: req.queryString.map((q) => {
        if (q.value !== '' && (isSecretName(q.name) || q.value.startsWith('eyJ'))) {
          return { name: q.name, value: mask(q.value) };
        }
        return { ...q };
      }),
    },
    response: {
      ...res,
      headers: redactHeaders(res.headers, receipt),
      cookies: redactHarCookies(res.cookies, receipt),
      content: { ...res.content },
      redirectURL: redactUrl(res.redirectURL),
    },
  };
  if (req.postData) out.request.postData = redactPostData(req.postData, receipt);
  if (typeof res.content.text === 'string') {
    const r = redactBody(res.content.text, res.content.mimeType);
    receipt.add('response body fields', r.masked);
    out.response.content.text = r.text;
  }
  // Keep what masked JWTs said (claims are not the secret; the signature is).
  const decoded = decodedTokens(entry);
  if (decoded.token || decoded.cookieTokens || decoded.basic) out._why401 = { ...entry._why401, ...decoded };
  if (entry._why401) {
    const w = { ...entry._why401, ...decoded };
    if (w.cookieJar) {
      w.cookieJar = w.cookieJar.map((c) => {
        const value = c.value === '' ? '' : mask(c.value);
        if (value !== c.value) receipt.add('cookie values (held by the browser)');
        return { ...c, value };
      });
    }
    if (w.redirectChain) w.redirectChain = w.redirectChain.map((h) => ({ ...h, url: redactUrl(h.url), location: redactUrl(h.location) }));
    if (w.topLevelUrl) w.topLevelUrl = redactUrl(w.topLevelUrl);
    if (w.context) w.context = redactContext(w.context);
    out._why401 = w;
  }
  return out;
}
