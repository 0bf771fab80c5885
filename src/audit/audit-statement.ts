import type { Actor } from "../auth/actor";
import type { AuditAction } from "./audit-actions";

export interface AuditEntry {
  actor: Actor;
  action: AuditAction;
  /** The event, destination, quarantined delivery or key acted on; null for a bulk action. */
  target: string | null;
  /** What was asked for or changed: never a secret (see redactUrl). */
  changes?: Record<string, unknown>;
}

/**
 * `outcome` is the answer's code (`ok`, `not_found`, ...), or `"changed"`: then the row says `ok`
 * when the statement just before it in the batch changed a row and `not_found` when it changed
 * none, so an action and its record go to D1 in one batch without a read between them;
 * `"if-changed"`: a row (saying `ok`) only when that statement changed a row.
 */
export function auditStatement(
  db: D1Database,
  e: AuditEntry,
  outcome: string,
  at = new Date().toISOString(),
): D1PreparedStatement {
  const computed = outcome === "changed" || outcome === "if-changed";
  const outcomeSql = computed ? "iif(changes() > 0, 'ok', 'not_found')" : "?7";
  const where = outcome === "if-changed" ? " WHERE changes() > 0" : "";
  return db
    .prepare(
      `INSERT INTO audit_log (at, actor, actor_name, action, target, changes, outcome)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ${outcomeSql}${where}`,
    )
    .bind(
      at,
      e.actor.id,
      e.actor.name,
      e.action,
      e.target,
      e.changes === undefined ? null : JSON.stringify(e.changes),
      ...(computed ? [] : [outcome]),
    );
}

/**
 * A URL as the audit log keeps it: scheme, host and path, and the query's names without their
 * values (a destination URL may carry a token in its query; userinfo is dropped too).
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    const names = [...new Set(u.searchParams.keys())];
    return `${u.protocol}//${u.host}${u.pathname}${names.length ? `?${names.map((n) => `${n}=…`).join("&")}` : ""}`;
  } catch {
    return "(not a URL)";
  }
}
