/**
 * Redaction: the one place that decides what is a secret and how it is masked. Every output
 * (UI, CLI, HAR, report, cURL) goes through it. Masks say what they hide ("[redacted: 812
 * chars]") so a reader can still reason about it, and never keep a prefix of the secret.
 *
 * Placeholders (`undefined`, `null`, `[object Object]`, `${TOKEN}`…) are not secrets: they are
 * the diagnosis, so they are shown.
 */
import type { ExchangeContext } from '../exchange/har-types.ts';
import type { HarCookie, HarEntry, HarHeader, HarPostData, Why401Fields } from '../exchange/har-types.ts';
import type { Evidence, Finding, Note } from '../verdict/finding.ts';
import type { AuthItem } from '../auth/auth-syntax.ts';
import { readInitiator, writeInitiator } from '../exchange/initiator.ts';
import { parseCookieHeader } from '../cookies/cookies.ts';
import { parseCredentials } from '../auth/credentials.ts';
import { tagOf, taggedMask, TAGGABLE_TOKEN } from '../tokens/fingerprint.ts';
import { decodedOf, inspectToken, looksLikeJwt } from '../tokens/jwt.ts';
import { isMask, isSecretName, mask, maskPairValue, redactJwtsInText, redactPairs, redactText, redactUrl, replaceOutsideMasks } from './redact-url.ts';
import { hasSecretPrefix, isPublicCredentialParam, isSecretHeader, looksLikeSecretValue, placeholderKind } from './vocabulary.ts';
import { issuedIdTokenOf, tokenTagsOf, verifierS256Of } from '../flows/step.ts';

export { isMask, isSecretName, mask, redactJwtsInText, redactText, redactUrl } from './redact-url.ts';
export { placeholderKind } from './vocabulary.ts';

const SHAPE_PROBLEMS = new Set(['quoted-token', 'space-in-token', 'control-character', 'invalid-token-character', 'scheme-with-colon', 'scheme-with-equals', 'bad-character', 'multiple-credentials']);

/** Mask a secret unless it is a placeholder (which is shown because it is the diagnosis). */
export function redactSecret(value: string): string {
  return placeholderKind(value) !== undefined ? value : mask(value);
}

export { isSecretHeader } from './vocabulary.ts';

/** Characters of a credential's shape that stay visible when its token is malformed (quotes, spaces, commas). */
const SHAPE_RUN = /[^\s"',]+/g;

/**
 * Authorization (and Proxy-Authorization): what is secret is decided by meaning. The scheme
 * name stays (when there is one) and so do the non-secret parameters (Digest's realm, uri, qop…);
 * everything else is masked, whatever its syntax. A value with no scheme is the credential
 * itself and is masked whole; a malformed token keeps its shape (quotes, spaces) with every run
 * of other characters masked. Masks already there stay as they are.
 */
export function redactAuthorization(value: string): string {
  const t = value.trim();
  if (t === '' || isMask(t)) return t;
  const creds = parseCredentials(t);
  if (!creds || creds.scheme === '' || creds.schemeText === '') return placeholderKind(t) !== undefined ? t : mask(t);
  const schemeText = creds.schemeText;
  const after = t.slice(schemeText.length);
  const glue = /^[:=]?[ \t]*/.exec(after)![0];
  const rest = after.slice(glue.length);
  if (rest === '') return t;
  if (isMask(rest)) return `${schemeText}${glue}${rest}`;
  const names = Object.keys(creds.params);
  if (names.length > 0) {
    const shown = names.map((n) => {
      const v = creds.params[n] ?? '';
      return `${n}=${JSON.stringify(isPublicCredentialParam(n) && !looksLikeJwt(v) ? v : mask(v))}`;
    });
    return `${schemeText} ${shown.join(', ')}`;
  }
  const token = creds.token ?? '';
  if (creds.repeatedScheme) return `${schemeText} ${schemeText} ${replaceOutsideMasks(token, SHAPE_RUN, (run) => redactSecret(run))}`;
  if (creds.scheme !== 'basic' && glue === ' ' && rest === token && TAGGABLE_TOKEN.test(token)) return `${schemeText} ${taggedMask(token.length, tagOf(t))}`;
  if (glue !== ' ' || creds.problems.some((p) => SHAPE_PROBLEMS.has(p.code))) {
    // Keep the defect visible (glue, quotes, spaces, stray characters); mask every run of the rest.
    return `${schemeText}${glue}${replaceOutsideMasks(rest, SHAPE_RUN, (run) => redactSecret(run))}`;
  }
  return `${schemeText} ${redactSecret(rest)}`;
}

export function redactCookieHeader(value: string): string {
  return parseCookieHeader(value)
    .map((c) => (c.name === '' ? mask(c.value) : `${c.name}=${c.value === '' ? '' : mask(c.value)}`))
    .join('; ');
}

/** A comma that starts another cookie's name=value in a folded Set-Cookie line. */
const FOLDED_COOKIE = /,(?=[ \t]*[^;,=\s]+=)/;

export function redactSetCookie(value: string): string {
  const semi = value.indexOf(';');
  const pair = semi === -1 ? value : value.slice(0, semi);
  const attrs = semi === -1 ? '' : value.slice(semi);
  const eq = pair.indexOf('=');
  if (eq === -1) return mask(pair.trim()) + attrs;
  const v = pair.slice(eq + 1).trim();
  return `${pair.slice(0, eq).trim()}=${v === '' ? '' : mask(v)}${attrs}`;
}

/** A header value that starts with an auth scheme and a token ("Bearer abc" in X-Forwarded-Auth). */
const SCHEME_AND_TOKEN = /^([ \t]*)(bearer|basic|token|dpop|digest|negotiate|ntlm|jwt|apikey)([ \t:=]+)([^\s].*)$/is;

/** Mask secrets inside any header value, by the header's meaning and then by the value's shape. */
export function redactHeaderValue(name: string, value: string): string {
  const n = name.toLowerCase();
  if (n === 'authorization' || n === 'proxy-authorization') return redactAuthorization(value);
  if (n === 'cookie') return redactCookieHeader(value);
  // One field per line, and some writers fold several into one with ", " (RFC 9110 §5.3 forbids it
  // for Set-Cookie, and proxies do it anyway): split where a comma starts a new name=value, which
  // an Expires date ("Wed, 21 Oct 2026 …") never does.
  if (n === 'set-cookie') return value.split('\n').map((line) => line.split(FOLDED_COOKIE).map(redactSetCookie).join(', ')).join('\n');
  if (isSecretHeader(name)) return redactSecret(value);
  // The server's challenges are not secrets: they are the diagnosis.
  if (n === 'www-authenticate' || n === 'proxy-authenticate') return redactText(value);
  if (n === 'location' || n === 'referer' || n === 'content-location' || n === 'origin' || n === 'link' || n === 'refresh') return redactUrlsInText(value);
  const m = SCHEME_AND_TOKEN.exec(value);
  if (m && !isMask(m[4]!.trim())) return `${m[1]}${m[2]}${m[3]}${mask(m[4]!)}`;
  return redactUrlsInText(redactJwtsInText(value));
}

/** URLs inside a header value ("Refresh: 0; url=…", "Link: <…>"), or the value itself when it is one. */
function redactUrlsInText(text: string): string {
  if (text.indexOf('?') === -1 && text.indexOf('#') === -1 && text.indexOf('@') === -1 && text.indexOf(';') === -1 && text.indexOf('eyJ') === -1) return text;
  return redactUrl(text);
}

/**
 * Walk parsed JSON: the value of a secret key is masked whole (a string, a number, an array, an
 * object), and every other string has the secrets its shape gives away masked (JWTs, PEM blocks,
 * known-prefix keys, URLs' secret parts, GraphQL's `password:"…"`). Returns the count masked.
 */
function redactJson(value: unknown, depth: number, counter: { n: number }): unknown {
  if (depth > 64) return '[redacted: too deep]';
  if (typeof value === 'string') {
    const shown = looksLikeJwt(value) ? mask(value) : redactText(value);
    if (shown !== value) counter.n++;
    return shown;
  }
  if (Array.isArray(value)) return value.map((v) => redactJson(v, depth + 1, counter));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      let next: unknown;
      if (isSecretName(k) && (typeof v === 'string' || typeof v === 'number') && !(typeof v === 'string' && (v === '' || isMask(v)))) {
        counter.n++;
        next = mask(String(v));
      } else if (isSecretName(k) && v !== null && typeof v === 'object') {
        counter.n++;
        next = mask(JSON.stringify(v));
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

/** A multipart/form-data body: each part's value masked when its field name is secret, its text's secrets otherwise. */
function redactMultipart(text: string, mimeType: string): { text: string; masked: number } | undefined {
  const declared = /boundary="?([^";]{1,200})"?/i.exec(mimeType)?.[1];
  const boundary = declared ?? (/^--([^\r\n]{1,200})\r?\n/.exec(text)?.[1]);
  if (!boundary || text.indexOf(`--${boundary}`) === -1) return undefined;
  let masked = 0;
  const parts = text.split(`--${boundary}`).map((part, i) => {
    if (i === 0 || part.startsWith('--')) return part;
    const gap = /\r?\n\r?\n/.exec(part);
    if (!gap) return part;
    const head = part.slice(0, gap.index + gap[0].length);
    const tail = /\r?\n$/.exec(part.slice(head.length))?.[0] ?? '';
    const value = part.slice(head.length, part.length - tail.length);
    const name = /\bname="([^"]{0,200})"/i.exec(head)?.[1] ?? '';
    const shown = value !== '' && isSecretName(name) ? mask(value) : redactText(value);
    if (shown !== value) masked++;
    return head + shown + tail;
  });
  return { text: parts.join(`--${boundary}`), masked };
}

/**
 * A body (request postData or response content): JSON, form and multipart bodies keep their
 * shape with secret fields masked; other text that mentions a secret is masked whole, and
 * otherwise has the secrets its shape gives away masked.
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
  if (/multipart\//i.test(mimeType) || trimmed.startsWith('--')) {
    const r = redactMultipart(text, mimeType);
    if (r) return r;
  }
  if (/x-www-form-urlencoded/i.test(mimeType) || /^[\w.%\[\]-]+=[^&]*(&[\w.%\[\]-]+=[^&]*)*$/.test(trimmed.slice(0, 4096))) {
    const r = redactPairs(trimmed);
    return { text: r.text, masked: r.masked };
  }
  if (text.length === 0) return { text, masked: 0 };
  // Free text: mask it whole when it might hold a credential.
  if (/eyJ|token|secret|passw|passphrase|api[_-]?key|session|bearer|basic |private[_ -]?key/i.test(text)) return { text: mask(text), masked: 1 };
  const shown = redactText(text);
  return { text: shown, masked: shown === text ? 0 : 1 };
}

/** A Basic user name as shown: a name stays (it is the diagnosis), a key sent as the user name is masked. */
export function redactUserName(user: string): string {
  return looksLikeSecretValue(user) || hasSecretPrefix(user) || looksLikeJwt(user) ? mask(user) : user;
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
        return { name: p.name, value: maskPairValue(p.name, p.value) };
      }
      return { ...p };
    });
  }
  return out;
}

type Decoded = Pick<Why401Fields, 'token' | 'cookieTokens' | 'basic' | 'pkceVerifierS256' | 'tokenTags' | 'issuedIdToken'>;

function decodedTokens(entry: HarEntry): Decoded {
  const out: Decoded = {};
  for (const h of entry.request.headers) {
    const n = h.name.toLowerCase();
    if (n === 'authorization' || n === 'proxy-authorization') {
      const creds = parseCredentials(h.value);
      if (creds && creds.scheme !== 'basic' && creds.token && !creds.redacted && placeholderKind(creds.token) === undefined) {
        out.token = decodedOf(inspectToken(creds.token));
      }
      if (creds?.basic) out.basic = 'error' in creds.basic ? { error: creds.basic.error } : { username: redactUserName(creds.basic.username) };
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
    cookieEvents: c.cookieEvents.map((e) => ({ ...e, url: redactUrl(e.url), path: redactUrl(e.path) })),
    sentCookies: c.sentCookies.map((x) => ({ ...x, url: redactUrl(x.url) })),
  };
  if (c.siteCookieEvents) out.siteCookieEvents = c.siteCookieEvents.map((e) => ({ ...e, url: redactUrl(e.url), path: redactUrl(e.path) }));
  if (c.lastCredentialed) out.lastCredentialed = { ...c.lastCredentialed, url: redactUrl(c.lastCredentialed.url) };
  if (c.sameCredentials) out.sameCredentials = { ...c.sameCredentials, url: redactUrl(c.sameCredentials.url) };
  if (c.redirects) out.redirects = c.redirects.map((h) => ({ ...h, url: redactUrl(h.url), location: redactUrl(h.location) }));
  if (c.topLevelUrl) out.topLevelUrl = redactUrl(c.topLevelUrl);
  if (c.lastSuccess) {
    // Made without secret values; masked again all the same (a file may have put some there).
    const x = c.lastSuccess;
    out.lastSuccess = { ...x, url: redactUrl(x.url), headers: Object.fromEntries(Object.entries(x.headers).map(([k, v]) => [k, redactHeaderValue(k, v)])), ...(x.redirects ? { redirects: x.redirects.map(redactUrl) } : {}) };
  }
  return out;
}

/** A redacted deep copy of an exchange record (what export, report and cURL start from). */
export function redactEntry(entry: HarEntry, receipt: RedactionReceipt = new RedactionReceipt()): HarEntry {
  const req = entry.request;
  const res = entry.response;
  const url = redactUrl(req.url);
  if (url !== req.url) receipt.add('URL query parameters');
  const keptInUrl = new Set<string>();
  if (req.queryString.length > 0) {
    try {
      for (const [, v] of new URL(url).searchParams) if (!isMask(v)) keptInUrl.add(v);
    } catch {
      // an unreadable URL keeps no parameter in the clear
    }
  }
  const out: HarEntry = {
    ...entry,
    request: {
      ...req,
      url,
      headers: redactHeaders(req.headers, receipt),
      cookies: redactHarCookies(req.cookies, receipt),
      queryString: req.queryString.map((q) => {
        // The URL's redactor decides what in the query is secret: a value it left in the URL stays.
        if (q.value !== '' && (isSecretName(q.name) || q.value.startsWith('eyJ') || !keptInUrl.has(q.value))) {
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
  // Who sent it: script URLs may carry tokens in their query.
  if (entry._initiator !== undefined) {
    const who = readInitiator(entry._initiator);
    if (who) out._initiator = writeInitiator(who, true);
    else delete out._initiator;
  }
  if (typeof res.content.text === 'string') {
    const r = redactBody(res.content.text, res.content.mimeType);
    receipt.add('response body fields', r.masked);
    out.response.content.text = r.text;
  }
  // Keep what masked JWTs said (claims are not the secret; the signature is), and a masked PKCE
  // verifier's S256 (the challenge the authorize request sent in the clear).
  const decoded = decodedTokens(entry);
  if (req.postData) {
    const s256 = verifierS256Of(entry);
    if (s256) decoded.pkceVerifierS256 = s256;
  }
  // And the tags of the tokens it carried, so the token's lineage still links them (core/flows).
  const tags = tokenTagsOf(entry);
  if (Object.keys(tags).length > 0) decoded.tokenTags = { ...entry._why401?.tokenTags, ...tags };
  const idToken = issuedIdTokenOf(entry);
  if (idToken) decoded.issuedIdToken = idToken;
  if (decoded.token || decoded.cookieTokens || decoded.basic || decoded.pkceVerifierS256 || decoded.tokenTags || decoded.issuedIdToken) out._why401 = { ...entry._why401, ...decoded };
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

function redactEvidence(e: Evidence): Evidence {
  const out: Evidence = { ...e, label: redactText(e.label) };
  if (e.value !== undefined) out.value = redactText(e.value);
  if (e.note !== undefined) out.note = redactText(e.note);
  return out;
}

/**
 * A finding as every output shows it: the sentences core wrote (title, explanation, evidence
 * quotes, fixes) hold no secret, whatever the server echoed or the body said. Applied once, when
 * a failure is judged (core/verdict/diagnose.ts), so the panel, the popup, exports and the CLI agree.
 */
export function redactFinding(f: Finding): Finding {
  return {
    ...f,
    title: redactText(f.title),
    explanation: redactText(f.explanation),
    plain: redactText(f.plain),
    evidence: f.evidence.map(redactEvidence),
    fixes: { users: f.fixes.users.map(redactText), developers: f.fixes.developers.map(redactText) },
  };
}

export function redactNote(n: Note): Note {
  return { ...n, title: redactText(n.title), explanation: redactText(n.explanation), evidence: n.evidence.map(redactEvidence) };
}

/**
 * A parsed challenge as shown: a challenge is the diagnosis, so its parameters stay, but a server
 * that echoes a token ("error_description=\"token ghp_… revoked\"") or names a secret parameter
 * gets that part masked.
 */
export function redactChallenge(c: AuthItem): AuthItem {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(c.params)) {
    const shown = isSecretName(name) && !isPublicCredentialParam(name) && value !== '' ? mask(value) : redactText(value);
    if (name === '__proto__') Object.defineProperty(params, name, { value: shown, enumerable: true, writable: true, configurable: true });
    else params[name] = shown;
  }
  return { scheme: c.scheme, params, token68: c.token68 === null ? null : redactText(c.token68) };
}
