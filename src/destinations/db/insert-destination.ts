import { withAudit } from "../../audit/with-audit";

/** A new destination row (its secret already sealed); `no` is the next rowid. With its audit row, one batch. */
export async function insertDestination(
  db: D1Database,
  d: { id: string; name: string; url: string; filter: string | null; sealedSecret: string; at: string },
  audit?: D1PreparedStatement,
): Promise<void> {
  const insert = db
    .prepare(
      `INSERT INTO destinations (id, name, url, filter, paused, secret, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6, ?6)`,
    )
    .bind(d.id, d.name, d.url, d.filter, d.sealedSecret, d.at);
  await withAudit(db, insert, audit);
}
