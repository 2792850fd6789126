/**
 * Fingerprints of credentials: a fast one for equality inside one session (never shown, never
 * leaves memory and storage.session), and the tag a mask shows ("#248cbf9a"), keyed per install
 * so that a tag cannot confirm a guessed token.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';

/**
 * A stable, non-reversible fingerprint of a credential (two 32-bit FNV-1a lanes). It is only
 * compared for equality within one session: "this same token got 200 earlier". Unkeyed, so it
 * is never shown or written to a file: what is shown is `tagOf`.
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

/** The install's key: 32 random bytes as 64 hex digits. Until a host sets one, a fixed key (tests, a library caller). */
const KEY_SHAPE = /^[0-9a-f]{64}$/;
let keyed = hmac.create(sha256, new Uint8Array(32));
const tags = new Map<string, string>();
const TAG_CACHE = 4096;

/** A new install key (the background and the CLI each make one once, and keep it). */
export function newTagKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Whether a stored value is a usable install key. */
export function isTagKey(value: unknown): value is string {
  return typeof value === 'string' && KEY_SHAPE.test(value);
}

/** Use this install's key for every tag from now on (the host calls it once it has read its key). */
export function useTagKey(key: string): void {
  if (!isTagKey(key)) throw new Error('an install key is 64 hex digits');
  keyed = hmac.create(sha256, Uint8Array.from(key.match(/../g)!, (h) => parseInt(h, 16)));
  tags.clear();
}

/**
 * The tag a mask shows: 8 hex digits of HMAC-SHA-256(install key, fingerprint). Equal values
 * get equal tags within one install (two masks are equal exactly when the credentials were);
 * without the key, a tag says nothing about a guessed value.
 */
export function tagOf(text: string): string {
  const fp = fingerprint(text);
  let tag = tags.get(fp);
  if (tag === undefined) {
    const mac = keyed.clone().update(new TextEncoder().encode(fp)).digest();
    tag = Array.from(mac.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join('');
    if (tags.size >= TAG_CACHE) tags.clear();
    tags.set(fp, tag);
  }
  return tag;
}

/** A token68 long enough to be a real token (so a tag cannot help guess it). */
export const TAGGABLE_TOKEN = /^[A-Za-z0-9\-._~+/]{16}[A-Za-z0-9\-._~+/]*=*$/;

/**
 * The mask of a bearer-style token, tagged with the whole header's tag: two masks are equal
 * exactly when the credentials were (for the reader, and for `why401 explain` on a redacted
 * export). Never used for passwords.
 */
export function taggedMask(length: number, tag: string): string {
  return `[redacted: ${length} chars, #${tag.slice(0, 8)}]`;
}
