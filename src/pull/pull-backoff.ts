/** The longest wait between tries of a failing source. */
export const MAX_BACKOFF_MS = 60 * 60_000;

/**
 * When a source runs next. Failing: its schedule doubled per failure in a row (1, 2, 4 ... minutes
 * for a source run every minute), at most an hour, so an unreachable or refusing source is asked
 * less and less but still at least hourly. Otherwise: at once (the next minute's cron run) when
 * the budget ran out with more to read, else after its schedule.
 */
export function nextPullAt(now: number, everyMinutes: number, failures: number, more: boolean): number {
  const every = everyMinutes * 60_000;
  if (failures > 0) return now + Math.min(every * 2 ** Math.min(failures - 1, 20), MAX_BACKOFF_MS);
  return more ? now : now + every;
}
