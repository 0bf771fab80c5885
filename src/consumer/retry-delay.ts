/** Longest wait between two forward attempts: a downstream that is down for hours is retried hourly. */
export const MAX_RETRY_DELAY_SECONDS = 3600;

/**
 * Seconds to wait before the next forward attempt: `base` doubling per failed attempt, capped at an
 * hour, with ±20 % jitter so a downstream that comes back is not hit by every retry at once.
 * `attempts` is the queue message's delivery count (1 on the first delivery).
 */
export function retryDelay(attempts: number, baseSeconds: number, random: () => number = Math.random): number {
  const exponential = Math.min(MAX_RETRY_DELAY_SECONDS, baseSeconds * 2 ** Math.max(0, attempts - 1));
  const jittered = exponential * (0.8 + 0.4 * random());
  return Math.min(MAX_RETRY_DELAY_SECONDS, Math.max(1, Math.round(jittered)));
}
