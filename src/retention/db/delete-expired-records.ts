import { isoToMs } from "../../time/unix-ms";
import { rowsRead } from "./delete-expired-events";

/**
 * Deletes shipments the consumer has not moved since `cutoff` (at most `limit`, oldest first, along
 * shipments_updated: their events were all received before it), quarantine rows received before
 * `cutoff` (at most `limit`, oldest first, along quarantine_received) and rejection counters of
 * hours before `cutoffHour` (at most 24 hours of them; an hour holds one row per carrier, status
 * and code, so a few dozen rows); the audit log's rows before `auditCutoff` (at most `limit`, along
 * audit_log_at) and the failed operator sign-ins' counts (pseudo-carrier `operator`, the audit's
 * aggregate) of hours before `auditCutoffHour`: one batch, five statements, each reading only what
 * it deletes.
 */
export async function deleteExpiredRecords(
  db: D1Database,
  cutoff: string,
  cutoffHour: string,
  limit: number,
  audit: { cutoff: string; cutoffHour: string },
): Promise<{ shipments: number; quarantine: number; rejections: number; audit: number; rowsRead: number }> {
  const [shipments, quarantine, rejections, refusals, auditRows] = await db.batch([
    db
      .prepare(
        `DELETE FROM shipments WHERE rowid IN
           (SELECT rowid FROM shipments WHERE updated_at < ?1 ORDER BY updated_at LIMIT ?2)`,
      )
      .bind(isoToMs(cutoff), limit),
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
