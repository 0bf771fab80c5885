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
 * - any other state (the few queued, retrying, held, dead or dropped): that destination's range of
 *   deliveries_unsettled (destination_no, state), then each event by its seq, sorted: a read of the
 *   deliveries in that state there, never of every event. `stored` is no delivery state (code 0:
 *   an empty range).
 */
export function listDestinationEventsSql(
  filter: EventFilter,
  destinationNo: number,
  page: { limit: number; cursor?: Cursor },
) {
  const { state, ...others } = filter;
  const { where, params } = eventFilterSql(others, page.cursor);
  const clauses = where === "" ? [] : [where.slice("WHERE ".length)];
  let from = "events";
  if (state === "delivered") {
    params.push(destinationNo, STATE_CODE.delivered);
    clauses.push(
      `EXISTS (SELECT 1 FROM deliveries d WHERE d.event_seq = events.seq AND d.destination_no = ?${params.length - 1}
         AND d.state = ?${params.length})`,
    );
  } else if (state !== undefined) {
    params.push(destinationNo, state === "stored" ? 0 : STATE_CODE[state]);
    // CROSS JOIN keeps the deliveries outside (SQLite never reorders it); `state <> 4` is
    // deliveries_unsettled's WHERE (migrations/0011), spelled so SQLite uses it.
    from = `(SELECT event_seq FROM deliveries WHERE destination_no = ?${params.length - 1} AND state = ?${params.length}
         AND state <> ${STATE_CODE.delivered}) AS d CROSS JOIN events ON events.seq = d.event_seq`;
  }
  params.push(page.limit);
  return {
    sql: `SELECT seq, state, ${EVENT_COLUMNS} FROM ${from} ${clauses.length ? `WHERE ${clauses.join(" AND ")}` : ""}
       ORDER BY received_at DESC, seq DESC LIMIT ?${params.length}`,
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
