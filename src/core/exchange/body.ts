/** A response's body as text, decoded when the HAR stored it in base64: the one reader of bodies for the verdict and the flows. */
import { decodeBase64 } from '../auth/base64.ts';
import type { HarEntry } from './har-types.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Lenient = new TextDecoder('utf-8');

/**
 * The body as text, or undefined when there is none or it is not text (base64 that does not
 * decode, or bytes that are not UTF-8). With `head`, at most that many characters, decoded from
 * the start of the body only (a large body costs no more than its head); a character cut at
 * the end of that head is replaced, not refused.
 */
export function responseText(entry: HarEntry, head?: number): string | undefined {
  const c = entry.response.content;
  if (typeof c.text !== 'string') return undefined;
  if (c.encoding !== 'base64') return head === undefined ? c.text : c.text.slice(0, head);
  // Whole quanta of 4 characters (3 bytes): enough bytes for `head` characters.
  const b64 = head === undefined || c.text.length <= Math.ceil(head / 3) * 4 ? c.text : c.text.slice(0, Math.ceil(head / 3) * 4);
  const bytes = decodeBase64(b64);
  if (!bytes) return undefined;
  if (head !== undefined) return utf8Lenient.decode(bytes).slice(0, head);
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}
