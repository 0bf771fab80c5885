import { withAudit } from "../../audit/with-audit";

/** The sealed current secret of a destination not deleted (undefined: no such destination). */
export async function selectSealedSecret(db: D1Database, id: string): Promise<string | null | undefined> {
  const row = await db
    .prepare("SELECT secret FROM destinations WHERE id = ? AND deleted_at IS NULL AND no <> 1")
    .bind(id)
    .first<{ secret: string | null }>();
  return row === null ? undefined : row.secret;
}

/**
 * Seals in a new secret; the current one becomes the previous one, which also signs until
 * `previousUntil` (a rotation within 24 h of the last drops the oldest). With `keepPrevious`
 * false (the current one no longer decrypts) there is no previous one: the rotation repairs the
 * destination at once. Never `default` (no = 1), whose key is FORWARD_SIGNING_SECRET. False when
 * there is no such destination.
 */
export async function rotateSecret(
  db: D1Database,
  id: string,
  change: { sealedSecret: string; previousUntil: string; keepPrevious: boolean; at: string },
  audit?: D1PreparedStatement,
): Promise<boolean> {
  const update = db
    .prepare(
      `UPDATE destinations SET
         previous_secret = CASE WHEN ?5 THEN secret END,
         previous_secret_until = CASE WHEN ?5 THEN ?3 END,
         secret = ?2, updated_at = ?4
       WHERE id = ?1 AND deleted_at IS NULL AND no <> 1 RETURNING no`,
    )
    .bind(id, change.sealedSecret, change.previousUntil, change.at, change.keepPrevious ? 1 : 0);
  const { results } = await withAudit(db, update, audit);
  return results.length > 0;
}
