import { readConfig } from "../config";
import { deleteExpiredEvents } from "./db/delete-expired-events";
import { deleteExpiredRecords } from "./db/delete-expired-records";

/**
 * Expired events one window reads (then deletes those that owe no delivery with their history, in
 * one batch with the cursor's move: four statements a window).
 */
export const RETENTION_CHUNK = 1000;
/**
 * Windows per cron run. With the shipments, quarantine, rejections and audit batch that is at most
 * 2 × 4 + 5 = 13 D1 statements, well inside the free plan's 50 per invocation, which the sweep and the alert
 * checks of the same cron run share; and at most 2,000 expired events read, whatever the number
 * that still owe a delivery (a destination gone for good). 2,000 events a minute is far more than
 * any shop receives, so a backlog (a lowered RETENTION_DAYS) drains within hours.
 */
export const RETENTION_MAX_CHUNKS = 2;

export interface RetentionResult {
  cutoff: string;
  events: number;
  attempts: number;
  shipments: number;
  quarantine: number;
  rejections: number;
  /** Audit log rows older than AUDIT_RETENTION_DAYS. */
  audit: number;
  /** D1 statements this run made. */
  statements: number;
  /** Rows D1 read for them (its results' `meta.rows_read`), what D1 bills. */
  rowsRead: number;
  /** False when the window budget ran out with expired events left for the next run. */
  done: boolean;
}

/**
 * The retention cron job: deletes what is older than RETENTION_DAYS by `received_at` (events with
 * their attempts, replays and raw bodies; shipments not moved since; quarantine rows; rejection
 * counters), never an event that still owes a delivery, in bounded chunks.
 */
export async function applyRetention(
  env: Env,
  now = new Date(),
  opts: { chunk?: number; maxChunks?: number } = {},
): Promise<RetentionResult> {
  const chunk = opts.chunk ?? RETENTION_CHUNK;
  const maxChunks = opts.maxChunks ?? RETENTION_MAX_CHUNKS;
  const cutoff = new Date(now.getTime() - readConfig(env).retentionDays * 86_400_000).toISOString();
  const result: RetentionResult = {
    cutoff,
    events: 0,
    attempts: 0,
    shipments: 0,
    quarantine: 0,
    rejections: 0,
    audit: 0,
    statements: 0,
    rowsRead: 0,
    done: false,
  };
  for (let i = 0; i < maxChunks; i++) {
    const deleted = await deleteExpiredEvents(env.DB, cutoff, chunk);
    result.statements += deleted.statements;
    result.rowsRead += deleted.rowsRead;
    result.events += deleted.events;
    result.attempts += deleted.attempts;
    if (deleted.end) {
      result.done = true;
      break;
    }
  }
  // Rejection counters are per hour: an hour goes once all of it is past the cutoff.
  const cutoffHour = `${cutoff.slice(0, 13)}:00:00Z`;
  // The audit log, and the failed operator sign-ins counted with the rejections, keep longer.
  const auditCutoff = new Date(now.getTime() - readConfig(env).auditRetentionDays * 86_400_000).toISOString();
  const audit = { cutoff: auditCutoff, cutoffHour: `${auditCutoff.slice(0, 13)}:00:00Z` };
  const records = await deleteExpiredRecords(env.DB, cutoff, cutoffHour, chunk, audit);
  result.statements += 5;
  result.audit = records.audit;
  result.rowsRead += records.rowsRead;
  result.shipments = records.shipments;
  result.quarantine = records.quarantine;
  result.rejections = records.rejections;
  if (result.events + result.shipments + result.quarantine + result.rejections + result.audit > 0) {
    console.log(JSON.stringify({ msg: "retention", ...result }));
  }
  return result;
}
