/**
 * Times parcelhook keeps only for itself are stored as Unix milliseconds (migrations/0011): these
 * two turn them back and forth inside the query functions, so every answer and filter stays ISO 8601.
 */
export function isoToMs(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`Not a time: ${iso.slice(0, 40)}`);
  return ms;
}

export function msToIso(ms: number): string {
  return new Date(ms).toISOString();
}
