import { withAudit } from "../../audit/with-audit";
import { undecodableText } from "../../db/try-decode";
import type { CarrierName } from "../../events/normalized-event";
import type { Cursor } from "../cursor";

export interface QuarantineRow {
  id: string;
  carrier: string;
  received_at: string;
  request_url: string;
  raw_body: string;
  issues: string;
  resolved_event_id: string | null;
  resolved_at: string | null;
}

const COLUMNS = "id, carrier, received_at, request_url, raw_body, issues, resolved_event_id, resolved_at";

/** Quarantined deliveries, newest first, keyset-paged on (received_at, id) (indexes in 0001 and 0003). */
export async function listQuarantine(
  db: D1Database,
  q: { carrier?: CarrierName; limit: number; cursor?: Cursor },
): Promise<{ rows: QuarantineRow[]; more: boolean }> {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (q.carrier) {
    params.push(q.carrier);
    clauses.push(`carrier = ?${params.length}`);
  }
  if (q.cursor) {
    params.push(q.cursor.at, q.cursor.key);
    clauses.push(`(received_at, id) < (?${params.length - 1}, ?${params.length})`);
  }
  params.push(q.limit + 1);
  const { results } = await db
    .prepare(
      `SELECT ${COLUMNS} FROM quarantine ${clauses.length ? `WHERE ${clauses.join(" AND ")}` : ""}
       ORDER BY received_at DESC, id DESC LIMIT ?${params.length}`,
    )
    .bind(...params)
    .all<QuarantineRow>();
  return { rows: results.slice(0, q.limit).map(decoded), more: results.length > q.limit };
}

export async function getQuarantine(db: D1Database, id: string): Promise<QuarantineRow | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM quarantine WHERE id = ?1`).bind(id).first<QuarantineRow>();
  return row && decoded(row);
}

const decoded = (row: QuarantineRow): QuarantineRow => ({ ...row, raw_body: undecodableText(row.id, row.raw_body) });

/** A retry that validated: the delivery now has an event (the first resolution is kept). */
export async function resolveQuarantine(
  db: D1Database,
  id: string,
  eventId: string,
  at: string,
  audit?: D1PreparedStatement,
): Promise<void> {
  const update = db
    .prepare(
      "UPDATE quarantine SET resolved_event_id = ?2, resolved_at = ?3 WHERE id = ?1 AND resolved_event_id IS NULL",
    )
    .bind(id, eventId, at);
  await withAudit(db, update, audit);
}

/** A retry that still fails: keep the issues of the current schema, which the operator acts on. */
export async function updateQuarantineIssues(
  db: D1Database,
  id: string,
  issues: unknown[],
  audit?: D1PreparedStatement,
): Promise<void> {
  await withAudit(
    db,
    db.prepare("UPDATE quarantine SET issues = ?2 WHERE id = ?1").bind(id, JSON.stringify(issues)),
    audit,
  );
}
