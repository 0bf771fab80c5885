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
 * Seals in a new secret and, as the previous one that also signs until `previousUntil`, the
 * secret it replaces, re-sealed by the caller under the newest key (`sealedPrevious`; a copy of
 * the old ciphertext could be sealed under a key about to be dropped); null: no previous one (the
 * current one no longer decrypted, so the rotation repairs the destination at once). A rotation
 * within 24 h of the last drops the oldest. Only while the current secret is still `replaced`
 * (what the caller read and opened), with `audit` in the same batch: 'changed' when another rotation came first, so the caller
 * reads again. Never `default` (no = 1), whose key is FORWARD_SIGNING_SECRET. 'gone' when there is
 * no such destination.
 */
export async function rotateSecret(
  db: D1Database,
  id: string,
  change: {
    replaced: string | null;
    sealedSecret: string;
    sealedPrevious: string | null;
    previousUntil: string;
    at: string;
  },
  audit?: D1PreparedStatement,
): Promise<"rotated" | "changed" | "gone"> {
  const update = db
    .prepare(
      `UPDATE destinations SET
         previous_secret = ?5,
         previous_secret_until = CASE WHEN ?5 IS NOT NULL THEN ?3 END,
         secret = ?2, updated_at = ?4
       WHERE id = ?1 AND deleted_at IS NULL AND no <> 1 AND secret IS ?6 RETURNING no`,
    )
    .bind(id, change.sealedSecret, change.previousUntil, change.at, change.sealedPrevious, change.replaced);
  const { results } = await withAudit(db, update, audit);
  if (results.length > 0) return "rotated";
  return (await selectSealedSecret(db, id)) === undefined ? "gone" : "changed";
}
