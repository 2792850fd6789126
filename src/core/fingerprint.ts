/**
 * A stable, non-reversible fingerprint of a credential (two 32-bit FNV-1a lanes). It is only
 * compared for equality within one session or one export: "this same token got 200 earlier".
 */
export function fingerprint(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c ^ (i & 0xff), 0x5bd1e995);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/** A token68 long enough to be a real token (so a tag cannot help guess it). */
export const TAGGABLE_TOKEN = /^[A-Za-z0-9\-._~+/]{16,}=*$/;

/**
 * The mask of a bearer-style token, tagged with 8 hex digits of the whole header's
 * fingerprint: two masks are equal exactly when the credentials were (for the reader, and for
 * `why401 explain` on a redacted export). Never used for passwords.
 */
export function taggedMask(length: number, headerFingerprint: string): string {
  return `[redacted: ${length} chars, #${headerFingerprint.slice(0, 8)}]`;
}
