import { EVENT_COLUMNS } from "../../db/row-to-event";
import { STATE_CODE } from "../../delivery/delivery-state";
import type { Cursor } from "../cursor";
import type { EventFilter } from "../query-schemas";
import { eventFilterSql } from "./event-filter-sql";
import type { ListedEventRow } from "./list-events";

/**
 * A page of events for a replay to one destination: the list's filters, except that `state` is
 * that destination's delivery state (a delivery that is dead there while another destination has
 * the event is still listed).
 * - `delivered`, most of what a destination ever had: events walked newest first along
 *   events_received, each checked by a primary-key lookup in `deliveries` (a page is a short walk).
 * - any other state (queued, retrying, held, dead): that destination's range of
 *   deliveries_unsettled (destination_no, state, then event_seq), walked newest event first and
 *   each event read by its seq, until a page is found: a read of its deliveries in that state at
 *   most, never of every event, and no sort. This page is in stored order (seq), not received
 *   order, and its cursor goes by the seq alone (the cursor's time is not used). `stored` is no
 *   delivery state (code 0: an empty range).
 */
export function listDestinationEventsSql(
  filter: EventFilter,
  destinationNo: number,
  page: { limit: number; cursor?: Cursor },
) {
  const { state, ...others } = filter;
  if (state !== undefined && state !== "delivered") return inStateSql(others, destinationNo, state, page);
  const { where, params } = eventFilterSql(others, page.cursor);
  const clauses = where === "" ? [] : [where.slice("WHERE ".length)];
  if (state === "delivered") {
    params.push(destinationNo, STATE_CODE.delivered);
    clauses.push(
      `EXISTS (SELECT 1 FROM deliveries d WHERE d.event_seq = events.seq AND d.destination_no = ?${params.length - 1}
         AND d.state = ?${params.length})`,
    );
  }
  params.push(page.limit);
  return {
    sql: `SELECT seq, state, ${EVENT_COLUMNS} FROM events ${clauses.length ? `WHERE ${clauses.join(" AND ")}` : ""}
       ORDER BY received_at DESC, seq DESC LIMIT ?${params.length}`,
    params,
  };
}

function inStateSql(
  others: Omit<EventFilter, "state">,
  destinationNo: number,
  state: Exclude<EventFilter["state"], "delivered" | undefined>,
  page: { limit: number; cursor?: Cursor },
) {
  const { where, params } = eventFilterSql(others);
  const clauses = where === "" ? [] : [where.slice("WHERE ".length)];
  params.push(destinationNo, state === "stored" ? 0 : STATE_CODE[state]);
  // `d.state <> 4` is deliveries_unsettled's WHERE (migrations/0011), spelled so SQLite uses it;
  // CROSS JOIN keeps the deliveries outside (SQLite never reorders it).
  clauses.push(
    `d.destination_no = ?${params.length - 1} AND d.state = ?${params.length} AND d.state <> ${STATE_CODE.delivered}`,
  );
  if (page.cursor) {
    params.push(Number(page.cursor.key));
    clauses.push(`d.event_seq < ?${params.length}`);
  }
  params.push(page.limit);
  return {
    sql: `SELECT events.seq, events.state, ${EVENT_COLUMNS} FROM deliveries d CROSS JOIN events ON events.seq = d.event_seq
       WHERE ${clauses.join(" AND ")} ORDER BY d.event_seq DESC LIMIT ?${params.length}`,
    params,
  };
}

/** One page of it; reads one row more than asked to tell whether another page follows. */
export async function listDestinationEvents(
  db: D1Database,
  filter: EventFilter,
  destinationNo: number,
  page: { limit: number; cursor?: Cursor },
): Promise<{ rows: ListedEventRow[]; more: boolean }> {
  const { sql, params } = listDestinationEventsSql(filter, destinationNo, { ...page, limit: page.limit + 1 });
  const { results } = await db
    .prepare(sql)
    .bind(...params)
    .all<ListedEventRow>();
  return { rows: results.slice(0, page.limit), more: results.length > page.limit };
}
