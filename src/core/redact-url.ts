/**
 * Redaction of URLs and free text: light enough (no cookie or credential parsers, no Public
 * Suffix List) for the panel's list to mask query tokens at first paint. redact.ts re-exports it.
 */
import { parseUrl } from './url.ts';

export function mask(value: string): string {
  return `[redacted: ${value.length} char${value.length === 1 ? '' : 's'}]`;
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
      if (value !== '' && (isSecretName(decodedName) || value.startsWith('eyJ'))) {
        changed = true;
        return `${name}=${encodeURIComponent(`[redacted: ${value.length} chars]`)}`;
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
