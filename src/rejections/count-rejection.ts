import { errorText } from "../errors/error-text";
import { PSEUDO_CARRIERS } from "./pseudo-carriers";
import {
  type RefusedRun,
  type RejectionCount,
  type RequestTotal,
  rejectionRunsStatement,
  rejectionsStatement,
  requestTotalsStatement,
} from "./record-rejections";

/**
 * How often an isolate writes its request counts to D1, at most. Under a flood that is one batch
 * per isolate per interval, whatever the request rate. Kept well inside the 30 s a `waitUntil` may
 * run after the answer, so the delayed flush is not cut off, and well inside the 5 minutes within
 * which sender_rejected must be sent.
 */
export const REJECTION_FLUSH_MS = 10_000;

// Per isolate: counts not yet written. The key spaces are small and bounded (known carriers or a
// pseudo-carrier, the contract's codes, the current hour or two).
const pendingHours = new Map<string, RejectionCount>();
const pendingTotals = new Map<string, RequestTotal>();
const pendingRuns = new Map<string, RefusedRun>();
let lastFlushAt = 0;
let flushScheduled = false;

export type RequestOutcome = "accepted" | "duplicate" | "quarantined" | "rejected";

export interface CountedRequest {
  at: Date;
  carrier: string;
  outcome: RequestOutcome;
  status: number;
  /** The error code; '' for an accepted request. */
  code: string;
}

function merge<T>(map: Map<string, T>, key: string, entry: T, add: (into: T, from: T) => void): void {
  const into = map.get(key);
  if (into) add(into, entry);
  else map.set(key, { ...entry });
}
const addCount = (into: { count: number }, from: { count: number }) => {
  into.count += from.count;
};
const addHour = (h: RejectionCount) =>
  merge(pendingHours, `${h.hour}\n${h.carrier}\n${h.status}\n${h.code}`, h, addCount);
const addTotal = (t: RequestTotal) =>
  merge(pendingTotals, `${t.carrier}\n${t.outcome}\n${t.status}\n${t.code}`, t, addCount);
const addRun = (r: RefusedRun) =>
  merge(pendingRuns, r.carrier, r, (into, from) => {
    into.unauthorized += from.unauthorized;
    into.forbidden += from.forbidden;
    if (from.first_at < into.first_at) into.first_at = from.first_at;
    if (from.last_at > into.last_at) into.last_at = from.last_at;
  });

/**
 * Counts one request in this isolate and makes sure a flush is on its way: at once if the last one
 * was more than `REJECTION_FLUSH_MS` ago, else at the end of that interval. Every request adds to
 * the deployment's totals (/metrics); a refused one (4xx, quarantined included) also to the hourly
 * `rejections` rows (/api/stats), and a carrier's 401 or 403 to its run of refusals
 * (sender_rejected). The flush runs in `waitUntil`, after the answer; counts can be that late, and
 * an isolate evicted before its flush loses them (a count, never an event).
 */
export function countRequest(db: D1Database, waitUntil: (promise: Promise<unknown>) => void, r: CountedRequest): void {
  const { carrier, outcome, status, code } = r;
  addTotal({ carrier, outcome, status, code, count: 1 });
  if (status >= 400) addHour({ hour: `${r.at.toISOString().slice(0, 13)}:00:00Z`, carrier, status, code, count: 1 });
  if ((status === 401 || status === 403) && !PSEUDO_CARRIERS.includes(carrier)) {
    const at = r.at.toISOString();
    addRun({
      carrier,
      unauthorized: status === 401 ? 1 : 0,
      forbidden: status === 403 ? 1 : 0,
      first_at: at,
      last_at: at,
    });
  }
  if (flushScheduled) return;
  flushScheduled = true;
  const delay = Math.max(0, lastFlushAt + REJECTION_FLUSH_MS - Date.now());
  waitUntil(new Promise((resolve) => setTimeout(resolve, delay)).then(() => flushRejections(db)));
}

/** A rejected webhook or operator request (see countRequest). */
export function countRejection(
  db: D1Database,
  waitUntil: (promise: Promise<unknown>) => void,
  r: { at: Date; carrier: string; status: number; code: string },
): void {
  countRequest(db, waitUntil, { ...r, outcome: "rejected" });
}

/**
 * Writes this isolate's pending counts in one batch (one round trip, at most three statements). A
 * failed write puts them back, so the next flush carries them; exported for the tests and the
 * benchmark, which flush on demand.
 */
export async function flushRejections(db: D1Database): Promise<void> {
  flushScheduled = false;
  lastFlushAt = Date.now();
  if (pendingTotals.size === 0 && pendingHours.size === 0 && pendingRuns.size === 0) return;
  const hours = [...pendingHours.values()];
  const totals = [...pendingTotals.values()];
  const runs = [...pendingRuns.values()];
  pendingHours.clear();
  pendingTotals.clear();
  pendingRuns.clear();
  try {
    const statements: D1PreparedStatement[] = [];
    if (hours.length > 0) statements.push(rejectionsStatement(db, hours));
    if (totals.length > 0) statements.push(requestTotalsStatement(db, totals));
    if (runs.length > 0) statements.push(rejectionRunsStatement(db, runs));
    await db.batch(statements);
  } catch (err) {
    hours.forEach(addHour);
    totals.forEach(addTotal);
    runs.forEach(addRun);
    console.warn(JSON.stringify({ msg: "rejection_counts_not_written", error: errorText(err) }));
  }
}
