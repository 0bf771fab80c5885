import { replayEvent } from "../delivery";
import { ApiError } from "../errors/api-error";
import type { ReplayedOne } from "./response-schemas";

/**
 * Queues one event again, same id: to the destination named (`destination_id`), or to every
 * destination it matches. 404 `not_found` for an unknown event or destination.
 */
export async function replayOne(env: Env, id: string, destinationId?: string): Promise<ReplayedOne> {
  let destinationNo: number | undefined;
  if (destinationId !== undefined) {
    const row = await env.DB.prepare("SELECT no FROM destinations WHERE id = ?1 AND deleted_at IS NULL")
      .bind(destinationId)
      .first<{ no: number }>();
    if (!row) throw new ApiError("not_found", undefined, "No destination with this id.");
    destinationNo = row.no;
  }
  return { status: "queued", event_id: await replayEvent(env, id, { destinationNo }) };
}
