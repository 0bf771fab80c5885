import { isoToMs } from "../../time/unix-ms";
import { rowsRead } from "./delete-expired-events";

/**
 * Deletes shipments the consumer has seen no event of since `cutoff` whose last event is gone (at
 * most `limit`, oldest first, along shipments_updated; one kept for an owed event is passed over
 * at the cost of a primary-key lookup), quarantine rows received before
 * `cutoff` (at most `limit`, oldest first, along quarantine_received) and rejection counters of
 * hours before `cutoffHour` (at most 24 hours of them; an hour holds one row per carrier, status
 * and code, so a few dozen rows); the audit log's rows before `auditCutoff` (at most `limit`, along
 * audit_log_at) and the failed operator sign-ins' counts (pseudo-carrier `operator`, the audit's
 * aggregate) of hours before `auditCutoffHour`: one batch, five statements, each reading little
 * more than what it deletes.
 */
/**
 * The shipments retention deletes: no event of theirs seen since the cutoff (?1), and their last
 * event gone (an event still owed a delivery outlives the retention; its shipment stays with it).
 * At most ?2, oldest first. Exported for the plan test.
 */
export const EXPIRED_SHIPMENTS = `SELECT rowid FROM shipments s WHERE updated_at < ?1
  AND NOT EXISTS (SELECT 1 FROM events e WHERE e.seq = s.last_event_seq) ORDER BY updated_at LIMIT ?2`;

export async function deleteExpiredRecords(
  db: D1Database,
  cutoff: string,
  cutoffHour: string,
  limit: number,
  audit: { cutoff: string; cutoffHour: string },
): Promise<{ shipments: number; quarantine: number; rejections: number; audit: number; rowsRead: number }> {
  const [shipments, quarantine, rejections, refusals, auditRows] = await db.batch([
    db.prepare(`DELETE FROM shipments WHERE rowid IN (${EXPIRED_SHIPMENTS})`).bind(isoToMs(cutoff), limit),
    db
      .prepare(
        `DELETE FROM quarantine WHERE id IN
           (SELECT id FROM quarantine WHERE received_at < ?1 ORDER BY received_at, id LIMIT ?2)`,
      )
      .bind(cutoff, limit),
    db
      .prepare(
        `DELETE FROM rejections WHERE carrier <> 'operator' AND hour IN
           (SELECT DISTINCT hour FROM rejections WHERE hour < ?1 AND carrier <> 'operator' ORDER BY hour LIMIT 24)`,
      )
      .bind(cutoffHour),
    db
      .prepare(
        `DELETE FROM rejections WHERE carrier = 'operator' AND hour IN
           (SELECT DISTINCT hour FROM rejections WHERE hour < ?1 AND carrier = 'operator' ORDER BY hour LIMIT 24)`,
      )
      .bind(audit.cutoffHour),
    db
      .prepare(`DELETE FROM audit_log WHERE seq IN (SELECT seq FROM audit_log WHERE at < ?1 ORDER BY at LIMIT ?2)`)
      .bind(audit.cutoff, limit),
  ]);
  return {
    shipments: shipments?.meta.changes ?? 0,
    quarantine: quarantine?.meta.changes ?? 0,
    rejections: (rejections?.meta.changes ?? 0) + (refusals?.meta.changes ?? 0),
    audit: auditRows?.meta.changes ?? 0,
    rowsRead: rowsRead([shipments, quarantine, rejections, refusals, auditRows]),
  };
}
