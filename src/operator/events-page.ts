import { nextCursor } from "./cursor";
import { listEvents } from "./db/list-events";
import { presentEvent } from "./present";
import type { ListEventsQuery } from "./query-schemas";
import type { EventPage } from "./response-schemas";

/** One page of events, newest first. */
export async function eventsPage(db: D1Database, query: ListEventsQuery): Promise<EventPage> {
  const { limit, cursor, ...filter } = query;
  const page = await listEvents(db, filter, { limit, cursor });
  return { events: page.rows.map(presentEvent), next_cursor: nextCursor(page, (r) => r.seq) };
}
