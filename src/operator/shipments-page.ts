import { pageCursor } from "./cursor";
import { listShipments } from "./db/list-shipments";
import { presentShipmentRow } from "./present";
import type { ListShipmentsQuery } from "./query-schemas";
import type { ShipmentPage } from "./response-schemas";

/** One page of shipments, newest last carrier event first. */
export async function shipmentsPage(
  db: D1Database,
  query: Omit<ListShipmentsQuery, "format">,
  now = new Date(),
): Promise<ShipmentPage> {
  const { limit, cursor, ...filter } = query;
  const page = await listShipments(db, filter, { limit, cursor }, now);
  return {
    shipments: page.rows.map(presentShipmentRow),
    next_cursor: pageCursor(page, (r) => ({ at: r.last_event_at, key: r.no })),
  };
}
