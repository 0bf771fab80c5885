/** The delivery state of each listed event (one JSON parameter, whatever the list's length). */
export function selectStates(db: D1Database, ids: string[]): D1PreparedStatement {
  return db
    .prepare("SELECT id, state FROM events WHERE id IN (SELECT value FROM json_each(?1))")
    .bind(JSON.stringify(ids));
}
