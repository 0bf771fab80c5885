import { withAudit } from "../../audit/with-audit";

/**
 * Marks a destination deleted: nothing more is sent there, its deliveries stay readable, and its
 * sealed secrets are dropped (no one needs them again). Never `default` (no = 1). False when there
 * is no such destination.
 */
export async function deleteDestination(
  db: D1Database,
  id: string,
  at: string,
  audit?: D1PreparedStatement,
): Promise<boolean> {
  const update = db
    .prepare(
      `UPDATE destinations SET deleted_at = ?2, updated_at = ?2, secret = NULL, previous_secret = NULL,
         previous_secret_until = NULL
       WHERE id = ?1 AND deleted_at IS NULL AND no <> 1 RETURNING no`,
    )
    .bind(id, at);
  const { results } = await withAudit(db, update, audit);
  return results.length > 0;
}
