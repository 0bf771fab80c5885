import type { Cursor } from "../../operator/cursor";

export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  actor_name: string;
  action: string;
  target: string | null;
  changes: string | null;
  outcome: string;
}

type AuditFilter = {
  actor?: string;
  action?: string;
  target?: string;
  since?: string;
  until?: string;
  limit: number;
  cursor?: Cursor;
};

/**
 * The audit list's statement: newest first (by seq), keyset-paged; each filter an equality or a
 * time bound, the equalities each served by an index of migrations/0014 (test/audit-log.test.ts
 * reads the plans).
 */
export function auditListSql(q: AuditFilter): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    clauses.push(sql.replace("?", `?${params.length}`));
  };
  if (q.actor) add("actor = ?", q.actor);
  if (q.action) add("action = ?", q.action);
  if (q.target) add("target = ?", q.target);
  if (q.since) add("at >= ?", q.since);
  if (q.until) add("at < ?", q.until);
  if (q.cursor) add("seq < ?", Number(q.cursor.key));
  params.push(q.limit + 1);
  const sql = `SELECT seq, at, actor, actor_name, action, target, changes, outcome FROM audit_log
       ${clauses.length ? `WHERE ${clauses.join(" AND ")}` : ""} ORDER BY seq DESC LIMIT ?${params.length}`;
  return { sql, params };
}

/** One page of audit rows (and whether more follow). */
export async function listAudit(db: D1Database, q: AuditFilter): Promise<{ rows: AuditRow[]; more: boolean }> {
  const { sql, params } = auditListSql(q);
  const { results } = await db
    .prepare(sql)
    .bind(...params)
    .all<AuditRow>();
  return { rows: results.slice(0, q.limit), more: results.length > q.limit };
}

/** Refused operator requests per hour and reason (the request counters of `operator`), newest first. */
export async function listOperatorRefusals(
  db: D1Database,
  sinceHour: string,
): Promise<{ hour: string; code: string; status: number; count: number }[]> {
  const { results } = await db
    .prepare(
      `SELECT hour, code, status, count FROM rejections WHERE carrier = 'operator' AND hour >= ?1
       ORDER BY hour DESC, code LIMIT 2000`,
    )
    .bind(sinceHour)
    .all<{ hour: string; code: string; status: number; count: number }>();
  return results;
}
