import { EVENT_COLUMNS, type EventRow, rowToEvent } from "../../db/row-to-event";
import type { NormalizedEvent } from "../../events/normalized-event";
import type { DeliveryState } from "../delivery-state";
import { type DownstreamHealth, readDownstream } from "./downstream-health";

/** An event as D1 holds it, with its delivery state. */
export interface StoredState {
  state: DeliveryState;
  event: NormalizedEvent;
}

export interface OpenedBatch {
  events: Map<string, StoredState>;
  downstream: DownstreamHealth;
}

/**
 * The consumer batch's first D1 round trip, one `db.batch` whatever the batch size (each
 * statement takes its list as one JSON parameter): reads each event as D1 holds it (the message
 * carries only its id) with its delivery state, sets `seen_at` where unset (the sweep stops
 * re-sending it), and reads the downstream's health.
 */
export async function openBatch(db: D1Database, eventIds: readonly string[], at: string): Promise<OpenedBatch> {
  const ids = JSON.stringify(eventIds);
  const [read, , health] = await db.batch<unknown>([
    db.prepare(`SELECT ${EVENT_COLUMNS}, state FROM events WHERE id IN (SELECT value FROM json_each(?1))`).bind(ids),
    db
      .prepare("UPDATE events SET seen_at = ?2 WHERE id IN (SELECT value FROM json_each(?1)) AND seen_at IS NULL")
      .bind(ids, at),
    readDownstream(db),
  ]);
  if (!read || !health) throw new Error("D1 batch returned no result for a read");
  const rows = read.results as (EventRow & { state: DeliveryState })[];
  return {
    events: new Map(rows.map((r) => [r.id, { state: r.state, event: rowToEvent(r) }])),
    downstream: (health.results[0] as DownstreamHealth | undefined) ?? { failures: 0, down_since: null },
  };
}
