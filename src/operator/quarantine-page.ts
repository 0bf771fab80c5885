import { nextCursor } from "./cursor";
import { listQuarantine } from "./db/list-quarantine";
import { presentQuarantine } from "./present";
import type { QuarantineQuery } from "./query-schemas";
import type { QuarantinePage } from "./response-schemas";

/** One page of quarantined deliveries, newest first. */
export async function quarantinePage(db: D1Database, query: QuarantineQuery): Promise<QuarantinePage> {
  const page = await listQuarantine(db, query);
  return { deliveries: page.rows.map(presentQuarantine), next_cursor: nextCursor(page, (r) => r.id) };
}
