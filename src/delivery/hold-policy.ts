/**
 * Failed forwards in a row (across batches) after which a destination counts as down and its
 * deliveries are held instead of spending retries. Below the retry budget, so even a lone event in
 * an outage is held before it could go dead.
 */
export const HOLD_AFTER_FAILURES = 5;
/** Refusals (401, 403, 404, 410, 3xx) of different events in a row, none accepted: the destination is refusing. */
export const REFUSING_AFTER = 5;
/** Forward attempts per delivery, counted across holds, after which a failure is final (dead). */
export const RETRY_BUDGET = 10;
/** The longest `Retry-After` honoured: a destination asking for more is probed again within the hour. */
export const MAX_PROBE_DELAY_SECONDS = 3600;

/** What one forward says about its destination. */
export interface ForwardResult {
  ok: boolean;
  /** False when nothing was sent (no usable signing secret): says nothing about the destination. */
  sent: boolean;
  httpStatus: number | null;
}

/**
 * `ok`: a 2xx, the only answer that proves the destination up (and ends a hold).
 * `down`: no answer (connection failure, timeout), a 5xx, 408 or 429: what an outage looks like.
 * `refused`: 401, 403, 404, 410 or a 3xx: the destination refuses us (a key, a path, a moved URL), not
 * this event.
 * `event`: any other answer (400, 422…): this event is refused; says nothing of the others.
 * `none`: nothing was sent.
 */
export type Signal = "ok" | "down" | "refused" | "event" | "none";

export function destinationSignal(r: ForwardResult): Signal {
  if (!r.sent) return "none";
  if (r.ok) return "ok";
  const s = r.httpStatus;
  if (s === null || s >= 500 || s === 408 || s === 429) return "down";
  // A redirect is a destination URL that moved (redirects are not followed): every event gets it.
  if (s === 401 || s === 403 || s === 404 || s === 410 || (s >= 300 && s < 400)) return "refused";
  return "event";
}

/** A destination's streaks as D1 keeps them (destinations' health columns), and as a batch moves them. */
export interface Streaks {
  failures: number;
  refusals: number;
  /** The event (seq) of the last refusal: refusing means different events. */
  refusedSeq: number | null;
}

/** The streaks after one more forward's signal, for the event `seq`. */
export function nextStreaks(s: Streaks, signal: Signal, seq: number): Streaks {
  switch (signal) {
    case "ok":
      return { failures: 0, refusals: 0, refusedSeq: null };
    case "down":
      return { ...s, failures: s.failures + 1 };
    case "refused":
      return s.refusedSeq === seq ? s : { ...s, refusals: s.refusals + 1, refusedSeq: seq };
    default:
      return s;
  }
}

/** A destination's health from its streaks: down wins over refusing (an outage hides the rest). */
export function healthOf(s: Streaks): "up" | "down" | "refusing" {
  if (s.failures >= HOLD_AFTER_FAILURES) return "down";
  if (s.refusals >= REFUSING_AFTER) return "refusing";
  return "up";
}

/** Seconds a 429 or 503 asks us to wait (`Retry-After`: seconds or an HTTP date), capped; null otherwise. */
export function retryAfterSeconds(status: number | null, header: string | null, now: Date): number | null {
  if ((status !== 429 && status !== 503) || header === null) return null;
  const trimmed = header.trim();
  let seconds: number;
  if (/^\d+$/.test(trimmed)) seconds = Number(trimmed);
  else {
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) return null;
    seconds = Math.ceil((at - now.getTime()) / 1000);
  }
  return Math.min(MAX_PROBE_DELAY_SECONDS, Math.max(0, seconds));
}
