import type { HarHeader } from './har-types.ts';

/** Every value of a header, in order; names compare case-insensitively (RFC 9110 §5.1). */
export function headerValues(headers: readonly HarHeader[] | undefined, name: string): string[] {
  const out: string[] = [];
  if (!headers) return out;
  const wanted = name.toLowerCase();
  for (const h of headers) {
    if (h.name.toLowerCase() === wanted) out.push(h.value);
  }
  return out;
}

export function firstHeader(headers: readonly HarHeader[] | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  for (const h of headers) {
    if (h.name.toLowerCase() === wanted) return h.value;
  }
  return undefined;
}

export function hasHeader(headers: readonly HarHeader[] | undefined, name: string): boolean {
  return firstHeader(headers, name) !== undefined;
}
