import { listAudit, listOperatorRefusals } from "../audit/db/list-audit";
import { pageCursor } from "./cursor";
import type { AuditEntryView, AuditPage, AuditQuery, SignInFailures } from "./team-schemas";

/** One page of the audit log, newest first. */
export async function auditPage(db: D1Database, query: AuditQuery): Promise<AuditPage> {
  const page = await listAudit(db, query);
  return {
    entries: page.rows.map((r) => ({
      ...r,
      action: r.action as AuditEntryView["action"],
      changes: r.changes === null ? null : (JSON.parse(r.changes) as Record<string, unknown>),
    })),
    next_cursor: pageCursor(page, (r) => ({ at: r.at, key: r.seq })),
  };
}

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/** Failed operator sign-ins and refusals, counted per hour and reason (never a row per attempt). */
export async function signInFailures(db: D1Database, since?: string, now = new Date()): Promise<SignInFailures> {
  const from = since ?? new Date(now.getTime() - WEEK_MS).toISOString();
  const rows = await listOperatorRefusals(db, `${from.slice(0, 13)}:00:00Z`);
  return { hours: rows.map((r) => ({ hour: r.hour, reason: r.code, status: r.status, count: r.count })) };
}
