import { isoToMs, msToIso } from "../../time/unix-ms";
import type { Cursor } from "../cursor";
import { COMMON_STATUSES_SQL, FINISHED_STATUSES, onlyExceptions, type ShipmentFilter } from "../query-schemas";

export interface ShipmentListRow {
  /** The rowid: the list's keyset after last_event_at (the cursor's key), never answered. */
  no: number;
  tracking_number: string;
  carrier: string;
  status: string;
  carrier_status: string | null;
  last_event_at: string;
  last_event_id: string;
}

// Spelled exactly as the partial index shipments_open_last_event's WHERE (migrations/0003_shipments_list),
// which is what lets SQLite use that index.
const OPEN = `status NOT IN (${FINISHED_STATUSES.map((s) => `'${s}'`).join(", ")})`;

/**
 * The SQL of one page of shipments, newest last carrier event first, keyset-paged on
 * (last_event_at, rowid). Every filter has an index (migrations/0003_shipments_list);
 * `now` fixes what "quiet for N hours" means. Exported so a test can check the plan.
 */
export function listShipmentsSql(filter: ShipmentFilter, page: { limit: number; cursor?: Cursor }, now: Date) {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const bind = (value: unknown) => {
    params.push(value);
    return `?${params.length}`;
  };
  if (filter.carrier !== undefined) clauses.push(`carrier = ${bind(filter.carrier)}`);
  // One status is an equality, a range of its index already in list order; several are one JSON list.
  if (filter.status?.length === 1) clauses.push(`status = ${bind(filter.status[0])}`);
  else if (filter.status)
    clauses.push(`status IN (SELECT value FROM json_each(${bind(JSON.stringify(filter.status))}))`);
  // shipments_status_last_event holds only the exception statuses (0011): spelling its WHERE lets
  // SQLite use it; a common status (a large share) is read along shipments_last_event.
  if (filter.status && onlyExceptions(filter.status)) clauses.push(COMMON_STATUSES_SQL);
  let upTo: number | undefined;
  if (filter.quiet_for_hours !== undefined) {
    clauses.push(OPEN);
    upTo = now.getTime() - filter.quiet_for_hours * 3_600_000;
  }
  // The table holds Unix milliseconds (migrations/0011); the cursor and the answer carry ISO 8601.
  const cursorAt = page.cursor ? isoToMs(page.cursor.at) : undefined;
  if (page.cursor && cursorAt !== undefined && (upTo === undefined || cursorAt < upTo)) {
    // Below the quiet cutoff the cursor alone bounds the range (its time is older), so the index
    // range starts at the cursor and a deep page does not walk the pages before it again.
    clauses.push(`(last_event_at, rowid) < (${bind(cursorAt)}, ${bind(Number(page.cursor.key))})`);
  } else if (upTo !== undefined) {
    clauses.push(`last_event_at < ${bind(upTo)}`);
  }
  // updated_since is read from its own index and the (recent) matches are sorted: otherwise SQLite
  // may walk a status's or carrier's whole history in list order looking for recent updates.
  let from = "shipments";
  if (filter.updated_since !== undefined) {
    clauses.push(`updated_at >= ${bind(isoToMs(filter.updated_since))}`);
    from = "shipments INDEXED BY shipments_updated";
  }
  return {
    sql: `SELECT rowid AS no, tracking_number, carrier, status, last_event_at,
              (SELECT id FROM events WHERE seq = last_event_seq) AS last_event_id,
              (SELECT carrier_status FROM events WHERE seq = last_event_seq) AS carrier_status FROM ${from}
       ${clauses.length ? `WHERE ${clauses.join(" AND ")}` : ""}
       ORDER BY last_event_at DESC, rowid DESC LIMIT ${bind(page.limit)}`,
    params,
  };
}

/** One page of shipments; reads one row more than asked to tell whether another page follows. */
export async function listShipments(
  db: D1Database,
  filter: ShipmentFilter,
  page: { limit: number; cursor?: Cursor },
  now: Date,
): Promise<{ rows: ShipmentListRow[]; more: boolean }> {
  const { sql, params } = listShipmentsSql(filter, { ...page, limit: page.limit + 1 }, now);
  const { results } = await db
    .prepare(sql)
    .bind(...params)
    .all<
      Omit<ShipmentListRow, "last_event_at" | "last_event_id"> & { last_event_at: number; last_event_id: string | null }
    >();
  // A shipment names its last event by seq (0011). One whose event retention has just deleted is
  // itself expiring (it has not moved since): it is left out rather than answered without an id.
  const rows = results
    .slice(0, page.limit)
    .filter((r): r is typeof r & { last_event_id: string } => r.last_event_id !== null)
    .map((r) => ({ ...r, last_event_at: msToIso(r.last_event_at) }));
  return { rows, more: results.length > page.limit };
}
