/**
 * Writes a destination's secrets re-sealed (the same secrets, under another key), only while the
 * row still holds what was read and opened (`from`): a rotation in between wins, and the next run
 * reads again. Neither `updated_at` nor anything the operator sees changes.
 */
export function resealSecret(
  db: D1Database,
  id: string,
  from: { secret: string | null; previous: string | null },
  to: { secret: string | null; previous: string | null },
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE destinations SET secret = ?2, previous_secret = ?3
       WHERE id = ?1 AND deleted_at IS NULL AND secret IS ?4 AND previous_secret IS ?5`,
    )
    .bind(id, to.secret, to.previous, from.secret, from.previous);
}
