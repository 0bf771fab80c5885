import { errorText } from "../errors/error-text";
import { type RejectionCount, recordRejections } from "./record-rejections";

/**
 * How often an isolate writes its rejection counts to D1, at most. Under a flood that is one
 * statement per isolate per interval, whatever the request rate. Kept well inside the 30 s a
 * `waitUntil` may run after the answer, so the delayed flush is not cut off.
 */
export const REJECTION_FLUSH_MS = 10_000;

// Per isolate: counts not yet written, keyed by hour, carrier, status and code. The key space is
// small and bounded (known carriers or "unknown", the contract's codes, the current hour or two).
const pending = new Map<string, RejectionCount>();
let lastFlushAt = 0;
let flushScheduled = false;

/**
 * Counts one rejected webhook request in this isolate and makes sure a flush is on its way: at
 * once if the last one was more than `REJECTION_FLUSH_MS` ago, else at the end of that interval.
 * The flush runs in `waitUntil`, after the answer; counts can be that late in the stats, and an
 * isolate evicted before its flush loses them (a count, never an event).
 */
export function countRejection(
  db: D1Database,
  waitUntil: (promise: Promise<unknown>) => void,
  r: { at: Date; carrier: string; status: number; code: string },
): void {
  const hour = `${r.at.toISOString().slice(0, 13)}:00:00Z`;
  const key = `${hour}\n${r.carrier}\n${r.status}\n${r.code}`;
  const entry = pending.get(key);
  if (entry) entry.count++;
  else pending.set(key, { hour, carrier: r.carrier, status: r.status, code: r.code, count: 1 });
  if (flushScheduled) return;
  flushScheduled = true;
  const delay = Math.max(0, lastFlushAt + REJECTION_FLUSH_MS - Date.now());
  waitUntil(new Promise((resolve) => setTimeout(resolve, delay)).then(() => flushRejections(db)));
}

/**
 * Writes this isolate's pending counts in one statement. A failed write puts them back, so the
 * next flush carries them; exported for the tests and the benchmark, which flush on demand.
 */
export async function flushRejections(db: D1Database): Promise<void> {
  flushScheduled = false;
  lastFlushAt = Date.now();
  if (pending.size === 0) return;
  const batch = [...pending.values()];
  pending.clear();
  try {
    await recordRejections(db, batch);
  } catch (err) {
    for (const r of batch) {
      const key = `${r.hour}\n${r.carrier}\n${r.status}\n${r.code}`;
      const entry = pending.get(key);
      if (entry) entry.count += r.count;
      else pending.set(key, r);
    }
    console.warn(JSON.stringify({ msg: "rejection_counts_not_written", error: errorText(err) }));
  }
}
