import type { DownstreamReport } from "./db/downstream-health";

/**
 * Failed forwards in a row (across batches) after which the downstream counts as down and its
 * events are held instead of spending retries. Below max_retries (10), so even a lone event in an
 * outage is held before it could reach the dead-letter queue.
 */
export const HOLD_AFTER_FAILURES = 5;

/** What one forward says about the downstream. */
export interface ForwardResult {
  ok: boolean;
  /** False when nothing was sent (no usable signing secret): says nothing about the downstream. */
  sent: boolean;
  httpStatus: number | null;
}

/**
 * `down`: no answer (connection failure, timeout), a 5xx, 408 or 429: what an outage looks like.
 * `answered`: a 2xx, or a refusal of this one event (another 3xx or 4xx): the downstream is up.
 */
export function downstreamSignal(r: ForwardResult): "down" | "answered" | "none" {
  if (!r.sent) return "none";
  if (r.ok) return "answered";
  const s = r.httpStatus;
  if (s === null || s >= 500 || s === 408 || s === 429) return "down";
  return "answered";
}

/** The streak after a batch's forwards, taken in the order they finished. */
export function downstreamReport(results: readonly ForwardResult[]): DownstreamReport {
  let reset = false;
  let failures = 0;
  for (const r of results) {
    const signal = downstreamSignal(r);
    if (signal === "answered") {
      reset = true;
      failures = 0;
    } else if (signal === "down") failures++;
  }
  return { reset, failures };
}

/** Whether the downstream is down once this batch's report is added to the streak read before it. */
export function isDownAfter(before: number, report: DownstreamReport): boolean {
  return (report.reset ? report.failures : before + report.failures) >= HOLD_AFTER_FAILURES;
}
