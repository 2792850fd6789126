/** Reading a HAR entry's headers by name: case-insensitive, and cheap for the common case (they run for every header of every exchange). */
import type { HarHeader } from '../exchange/har-types.ts';

/**
 * Header names compare case-insensitively (RFC 9110 §5.1). Most names differ in length, and
 * most that match are already in the expected case, so the lower-casing is rarely reached:
 * these run for every header of every exchange.
 */
function sameName(name: string, lower: string): boolean {
  return name.length === lower.length && (name === lower || name.toLowerCase() === lower);
}

/** Every value of a header, in order. */
export function headerValues(headers: readonly HarHeader[] | undefined, name: string): string[] {
  const out: string[] = [];
  if (!headers) return out;
  const wanted = name.toLowerCase();
  for (const h of headers) {
    if (sameName(h.name, wanted)) out.push(h.value);
  }
  return out;
}

/** The first header of that name, whatever its shape (HAR headers, webRequest headers). */
export function findHeader<H extends { name: string }>(headers: readonly H[] | undefined, name: string): H | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  for (const h of headers) {
    if (sameName(h.name, wanted)) return h;
  }
  return undefined;
}

export function firstHeader(headers: readonly HarHeader[] | undefined, name: string): string | undefined {
  return findHeader(headers, name)?.value;
}

export function hasHeader(headers: readonly { name: string }[] | undefined, name: string): boolean {
  return findHeader(headers, name) !== undefined;
}
