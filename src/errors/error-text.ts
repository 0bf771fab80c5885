/** An error as a short log- and D1-safe string. */
export function errorText(err: unknown): string {
  return String((err as Error)?.message ?? err).slice(0, 200);
}
