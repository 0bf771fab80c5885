import type { Cursor } from "../cursor";
import { COMMON_STATUSES_SQL, type EventFilter, onlyExceptions } from "../query-schemas";

/**
 * The WHERE clause for the event filters and a keyset cursor, as `?N` placeholders and their
 * values. Column names are fixed here; only values are bound.
 */
export function eventFilterSql(filter: EventFilter, cursor?: Cursor): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const bind = (value: unknown) => {
    params.push(value);
    return `?${params.length}`;
  };
  for (const column of ["carrier", "type", "status", "tracking_number", "state"] as const) {
    const value = filter[column];
    if (value !== undefined) clauses.push(`${column} = ${bind(value)}`);
  }
  // events_state_received, events_type_received and events_status_received hold only the rarer values (migrations/0011):
  // spelling their WHERE lets SQLite use them; the common value, most of the table, is found along
  // events_received.
  if (filter.state !== undefined && filter.state !== "delivered") clauses.push("state <> 'delivered'");
  if (filter.type !== undefined && filter.type !== "shipment.status_changed") {
    clauses.push("type <> 'shipment.status_changed'");
  }
  // events_status_received holds none of the common statuses (0011).
  if (filter.status !== undefined && onlyExceptions([filter.status])) clauses.push(COMMON_STATUSES_SQL);
  if (filter.since !== undefined) clauses.push(`received_at >= ${bind(filter.since)}`);
  if (filter.until !== undefined) clauses.push(`received_at < ${bind(filter.until)}`);
  if (cursor) clauses.push(`(received_at, seq) < (${bind(cursor.at)}, ${bind(Number(cursor.key))})`);
  return { where: clauses.length ? `WHERE ${clauses.join(" AND ")}` : "", params };
}
