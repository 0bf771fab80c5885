import { isoToMs } from "../../time/unix-ms";
import { rowsRead } from "./delete-expired-events";

/**
 * Deletes shipments the consumer has not moved since `cutoff` (at most `limit`, oldest first, along
 * shipments_updated: their events were all received before it), quarantine rows received before
 * `cutoff` (at most `limit`, oldest first, along quarantine_received) and rejection counters of
 * hours before `cutoffHour` (at most 24 hours of them; an hour holds one row per carrier, status
 * and code, so a few dozen rows): one batch, three statements, each reading only what it deletes.
 */
export async function deleteExpiredRecords(
  db: D1Database,
  cutoff: string,
  cutoffHour: string,
  limit: number,
): Promise<{ shipments: number; quarantine: number; rejections: number; rowsRead: number }> {
  const [shipments, quarantine, rejections] = await db.batch([
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
        `DELETE FROM rejections WHERE hour IN
           (SELECT DISTINCT hour FROM rejections WHERE hour < ?1 ORDER BY hour LIMIT 24)`,
      )
      .bind(cutoffHour),
  ]);
  return {
    shipments: shipments?.meta.changes ?? 0,
    quarantine: quarantine?.meta.changes ?? 0,
    rejections: rejections?.meta.changes ?? 0,
    rowsRead: rowsRead([shipments, quarantine, rejections]),
  };
}
