/** PKCE (RFC 7636 §4.2): the S256 code challenge of a code verifier, BASE64URL(SHA-256(ASCII(verifier))). */
import { sha256 } from '@noble/hashes/sha2.js';

export function s256(verifier: string): string {
  const digest = sha256(new TextEncoder().encode(verifier));
  let binary = '';
  for (const b of digest) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
