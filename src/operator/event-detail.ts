import { ApiError } from "../errors/api-error";
import { getEventDetail } from "./db/get-event-detail";
import { presentEventDetail } from "./present";
import type { EventDetail } from "./response-schemas";

/** One event with its raw body, deliveries and history; 404 `not_found` when there is none. */
export async function eventDetail(db: D1Database, id: string): Promise<EventDetail> {
  const found = await getEventDetail(db, id);
  if (!found) throw new ApiError("not_found", undefined, "No event with this id.");
  return presentEventDetail(found.row, found.history, found.deliveries);
}
