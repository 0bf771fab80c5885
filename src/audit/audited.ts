import { toApiError } from "../errors/error-response";
import { errorText } from "../errors/error-text";
import { type AuditEntry, auditStatement } from "./audit-statement";

/** What an audited action is handed: its audit row, to put into its own D1 batch. */
export interface Audit {
  /** Adds to what the row says was changed (a count known only once the action has read). */
  note(changes: Record<string, unknown>): void;
  /**
   * The row, with an outcome (see auditStatement's `"changed"`); counts as written once asked for.
   * `"if-changed"`: a row saying `ok` only when the statement before it changed a row, so an action
   * that retries may batch it with each try; if the action then fails, its refusal gets a row.
   */
  statement(outcome?: string): D1PreparedStatement;
}

/**
 * Runs an operator action that writes its audit row into its own batch (one statement more, no
 * round trip more). An action that wrote nothing (a replay that found nothing to send) gets its
 * row on its own; so does one refused before it wrote (400, 404, 409...), with the refusal's code.
 * One that failed after asking for its row, but not with an answer of its own (a D1 failure: the
 * batch, and the row in it, may not have committed), gets a row saying so.
 */
export async function audited<T>(
  db: D1Database,
  entry: AuditEntry,
  action: (audit: Audit) => Promise<T>,
  at = new Date(),
): Promise<T> {
  let asked = false;
  let conditional = false;
  const e: AuditEntry = { ...entry, changes: entry.changes && { ...entry.changes } };
  const audit: Audit = {
    note(changes) {
      e.changes = { ...e.changes, ...changes };
    },
    statement(outcome = "ok") {
      if (outcome === "if-changed") conditional = true;
      else asked = true;
      return auditStatement(db, e, outcome, at.toISOString());
    },
  };
  let result: T;
  try {
    result = await action(audit);
  } catch (err) {
    const refusal = toApiError(err);
    if (!asked || refusal.code === "internal_error") await writeAlone(db, e, refusal.code, at);
    throw err;
  }
  if (!asked && !conditional) await writeAlone(db, e, "ok", at);
  return result;
}

async function writeAlone(db: D1Database, e: AuditEntry, outcome: string, at: Date): Promise<void> {
  try {
    await auditStatement(db, e, outcome, at.toISOString()).run();
  } catch (err) {
    console.error(JSON.stringify({ msg: "audit_write_failed", action: e.action, error: errorText(err) }));
  }
}
