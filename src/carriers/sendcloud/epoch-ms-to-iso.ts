/** Sendcloud's epoch milliseconds as UTC ISO 8601 (`1712163088908` -> `2024-04-03T16:51:28.908Z`). */
export function epochMsToIso(ms: number): string {
  return new Date(ms).toISOString();
}
