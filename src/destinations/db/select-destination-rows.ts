/** A destination as the operator sees it: configuration and health, never its secrets. */
export interface DestinationRow {
  no: number;
  id: string;
  name: string;
  url: string | null;
  filter: string | null;
  paused: number;
  health: string;
  last_success_at: string | null;
  last_failure_at: string | null;
  last_failure_status: number | null;
  last_failure_error: string | null;
}

const COLUMNS = `no, id, name, url, filter, paused, health, last_success_at, last_failure_at, last_failure_status,
  last_failure_error`;

/** Every destination not deleted, oldest first (`default`, no = 1, first of all). */
export async function selectDestinationRows(db: D1Database): Promise<DestinationRow[]> {
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM destinations WHERE deleted_at IS NULL ORDER BY no`)
    .all<DestinationRow>();
  return results;
}

/** One destination not deleted, by its public id. */
export async function selectDestinationRow(db: D1Database, id: string): Promise<DestinationRow | null> {
  return db.prepare(`SELECT ${COLUMNS} FROM destinations WHERE id = ? AND deleted_at IS NULL`).bind(id).first();
}
