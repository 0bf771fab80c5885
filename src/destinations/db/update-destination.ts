import { withAudit } from "../../audit/with-audit";

export interface DestinationChanges {
  name?: string;
  url?: string;
  /** JSON, or null for "every event". */
  filter?: string | null;
  paused?: boolean;
}

/**
 * Changes the given columns of a destination not deleted; false when there is none. Column names
 * are fixed here; only values are bound. With its audit row, one batch.
 */
export async function updateDestination(
  db: D1Database,
  id: string,
  changes: DestinationChanges,
  at: string,
  audit?: D1PreparedStatement,
): Promise<boolean> {
  const sets: string[] = [];
  const params: unknown[] = [id, at];
  for (const column of ["name", "url", "filter", "paused"] as const) {
    if (!(column in changes)) continue;
    const value = changes[column];
    params.push(typeof value === "boolean" ? Number(value) : value);
    sets.push(`${column} = ?${params.length}`);
  }
  const update = db.prepare(
    `UPDATE destinations SET ${[...sets, "updated_at = ?2"].join(", ")}
       WHERE id = ?1 AND deleted_at IS NULL RETURNING no`,
  );
  const { results } = await withAudit(db, update.bind(...params), audit);
  return results.length > 0;
}
