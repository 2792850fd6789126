/**
 * Redaction of URLs and free text: light enough (no cookie or credential parsers, no Public
 * Suffix List) for the panel's list to mask query tokens at first paint. redact.ts re-exports it.
 */
import { parseUrl } from './url.ts';

/**
 * A mask, as `mask` and `taggedMask` write them: "[redacted: 12 chars]", "[redacted: 275 chars,
 * #248cbf9a]". Redaction recognises its own masks and leaves them as they are, so a value keeps
 * its length and fingerprint through export → import → CLI → export.
 */
const MASK = /^\[redacted: \d{1,9} chars?(?:, #[0-9a-f]{8})?\]$/;

export function isMask(value: string): boolean {
  return value.length <= 48 && MASK.test(value);
}

export function mask(value: string): string {
  if (isMask(value)) return value;
  return `[redacted: ${value.length} char${value.length === 1 ? '' : 's'}]`;
}

const MASK_IN_TEXT = /\[redacted: \d{1,9} chars?(?:, #[0-9a-f]{8})?\]/g;

/** `text.replace(pattern, fn)`, except inside masks already there (they stay as they are). */
export function replaceOutsideMasks(text: string, pattern: RegExp, fn: (match: string) => string): string {
  if (text.indexOf('[redacted: ') === -1) return text.replace(pattern, fn);
  let out = '';
  let last = 0;
  for (const m of text.matchAll(MASK_IN_TEXT)) {
    out += text.slice(last, m.index).replace(pattern, fn) + m[0];
    last = m.index + m[0].length;
  }
  return out + text.slice(last).replace(pattern, fn);
}

/** A query value decoded, when it decodes (a mask written into a URL is percent-encoded). */
function decodedValue(value: string): string {
  if (value.indexOf('%') === -1) return value;
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/** Names of query parameters, form fields and JSON keys that carry secrets. */
const SECRET_NAME = /^(access[_-]?token|id[_-]?token|refresh[_-]?token|token|auth|authorization|api[_-]?key|apikey|key|secret|client[_-]?secret|password|passwd|pass|pwd|code|code[_-]?verifier|session|session[_-]?id|sid|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|jwt|assertion|client[_-]?assertion|otp|pin|csrf[_-]?token|xsrf[_-]?token|_csrf|nonce|state)$/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Any JWT-shaped run inside free text. */
export function redactJwtsInText(text: string): string {
  if (text.indexOf('eyJ') === -1) return text;
  return text.replace(/eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*){0,3}/g, (m) => mask(m));
}

/** Mask secret query parameters and userinfo passwords in a URL. */
export function redactUrl(url: string): string {
  const u = parseUrl(url);
  if (!u) return redactJwtsInText(url);
  let changed = false;
  if (u.password) {
    u.password = 'redacted';
    changed = true;
  }
  if (u.search) {
    const parts = u.search.slice(1).split('&').map((kv) => {
      const eq = kv.indexOf('=');
      const name = eq === -1 ? kv : kv.slice(0, eq);
      const value = eq === -1 ? '' : kv.slice(eq + 1);
      let decodedName = name;
      try {
        decodedName = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // keep the raw name
      }
      if (value !== '' && !isMask(decodedValue(value)) && (isSecretName(decodedName) || value.startsWith('eyJ'))) {
        changed = true;
        return `${name}=${encodeURIComponent(mask(value))}`;
      }
      return kv;
    });
    if (changed) u.search = `?${parts.join('&')}`;
  }
  return changed ? u.toString() : url;
}

/** A URL's masks as people read them ("[redacted: 13 chars]"), not percent-encoded; for display only. */
export function readableMasks(text: string): string {
  return text.indexOf('%5Bredacted') === -1 ? text : text.replace(/%5Bredacted%3A%20(\d+)%20(chars?)%5D/gi, '[redacted: $1 $2]');
}

/** A URL to show: secrets masked, the masks readable. */
export function displayUrl(url: string): string {
  return readableMasks(redactUrl(url));
}
