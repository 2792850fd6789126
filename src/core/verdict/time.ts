/** Times in explanations: ISO 8601 UTC plus a relative phrase (DESIGN.md, "The command line's contract"). */

/** ISO 8601 UTC, without milliseconds when they are zero: 2025-06-01T11:00:00Z. */
export function iso(ms: number): string {
  if (!Number.isFinite(ms)) return 'an invalid time';
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return 'an invalid time';
  const text = d.toISOString();
  return text.endsWith('.000Z') ? `${text.slice(0, -5)}Z` : text;
}

/** Parse a HAR/ISO date; NaN when it is not one. */
export function parseTime(text: string | undefined): number {
  if (typeof text !== 'string' || text.length === 0 || text.length > 64) return Number.NaN;
  return Date.parse(text);
}

const UNITS: [number, string][] = [
  [365 * 24 * 3600_000, 'year'],
  [30 * 24 * 3600_000, 'month'],
  [7 * 24 * 3600_000, 'week'],
  [24 * 3600_000, 'day'],
  [3600_000, 'hour'],
  [60_000, 'minute'],
  [1000, 'second'],
];

/** "1 hour", "3 minutes", "12 seconds", "less than a second" (or "20 ms" when `millis`: a race is told in milliseconds). */
export function duration(ms: number, millis = false): string {
  const abs = Math.abs(ms);
  if (abs < 1000) return millis ? `${Math.round(abs)} ms` : 'less than a second';
  for (const [size, unit] of UNITS) {
    if (abs >= size) {
      const n = Math.round(abs / size);
      return `${n} ${unit}${n === 1 ? '' : 's'}`;
    }
  }
  return 'less than a second';
}

/**
 * The relative phrase for an instant compared with a reference (the request):
 * "1 hour before the request", "5 minutes after the request", "at the time of the request".
 */
export function relative(ms: number, reference: number, what = 'the request'): string {
  const delta = ms - reference;
  if (delta === 0) return `at the time of ${what}`;
  if (Math.abs(delta) < 1000) return `just ${delta < 0 ? 'before' : 'after'} ${what}`;
  return `${duration(delta)} ${delta < 0 ? 'before' : 'after'} ${what}`;
}

/** "2025-06-01T11:00:00Z, 1 hour before the request". */
export function when(ms: number, reference: number, what?: string): string {
  return `${iso(ms)}, ${relative(ms, reference, what)}`;
}
