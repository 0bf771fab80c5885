import { EVENT_COLUMNS, type EventRow } from "../../db/row-to-event";
import type { Cursor } from "../cursor";
import type { EventFilter } from "../query-schemas";
import { eventFilterSql } from "./event-filter-sql";

export interface ListedEventRow extends EventRow {
  seq: number;
  state: string;
}

/**
 * The SQL of one page, newest first by (received_at, seq): each filter has an index in that order
 * (migrations/0003), so a page is one index range scan however many events there are. Exported
 * so a test can check the plan with EXPLAIN QUERY PLAN.
 */
export function listEventsSql(
  filter: EventFilter,
  page: { limit: number; cursor?: Cursor },
  columns = `seq, state, ${EVENT_COLUMNS}`,
) {
  const { where, params } = eventFilterSql(filter, page.cursor);
  return {
    sql: `SELECT ${columns} FROM events ${where}
       ORDER BY received_at DESC, seq DESC LIMIT ?${params.length + 1}`,
    params: [...params, page.limit],
  };
}

/** One page of events; reads one row more than asked to tell whether another page follows. */
export async function listEvents(
  db: D1Database,
  filter: EventFilter,
  page: { limit: number; cursor?: Cursor },
): Promise<{ rows: ListedEventRow[]; more: boolean }> {
  const { sql, params } = listEventsSql(filter, { ...page, limit: page.limit + 1 });
  const { results } = await db
    .prepare(sql)
    .bind(...params)
    .all<ListedEventRow>();
  return { rows: results.slice(0, page.limit), more: results.length > page.limit };
}

/**
 * The same page as listEvents, but only each event's id and its cursor key (received_at, seq): a bulk replay needs no
 * more, and the stored bodies (`data`, `raw_body`) are most of a row's bytes.
 */
export async function listEventIds(
  db: D1Database,
  filter: EventFilter,
  page: { limit: number; cursor?: Cursor },
): Promise<{ rows: { seq: number; id: string; received_at: string }[]; more: boolean }> {
  const { sql, params } = listEventsSql(filter, { ...page, limit: page.limit + 1 }, "seq, id, received_at");
  const { results } = await db
    .prepare(sql)
    .bind(...params)
    .all<{ seq: number; id: string; received_at: string }>();
  return { rows: results.slice(0, page.limit), more: results.length > page.limit };
}
