/**
 * Strict base64 (RFC 4648 §4) validation before decoding with the platform's `atob`, which is
 * deliberately forgiving (it skips whitespace and accepts missing padding). Decoding itself is
 * left to the platform; UTF-8 to a fatal TextDecoder.
 */

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export type Base64Check = { ok: true; padded: boolean } | { ok: false };

export function checkBase64(text: string): Base64Check {
  if (!BASE64.test(text)) return { ok: false };
  const body = text.replace(/=+$/, '');
  const rem = body.length % 4;
  if (rem === 1) return { ok: false };
  const padding = text.length - body.length;
  if (padding > 0) {
    // Padding must complete the last quantum exactly.
    if (text.length % 4 !== 0) return { ok: false };
    return { ok: true, padded: true };
  }
  return { ok: true, padded: rem === 0 };
}

/** Decode base64 to bytes; undefined when it is not base64. */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (!checkBase64(text).ok) return undefined;
  try {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return undefined;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 when the bytes are valid UTF-8, else ISO-8859-1 (what browsers fall back to for Basic). */
export function decodeText(bytes: Uint8Array): { text: string; utf8: boolean } {
  try {
    return { text: utf8.decode(bytes), utf8: true };
  } catch {
    let text = '';
    for (const b of bytes) text += String.fromCharCode(b);
    return { text, utf8: false };
  }
}
