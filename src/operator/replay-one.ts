import { replayEvent } from "../delivery";
import { destinationDetail } from "./list-destinations";
import type { ReplayedOne } from "./response-schemas";

/**
 * Queues one event again, same id, to every destination it matches or to `destinationId` only;
 * 404 `not_found` when there is no such event or destination.
 */
export async function replayOne(env: Env, id: string, destinationId?: string): Promise<ReplayedOne> {
  if (destinationId !== undefined) {
    await destinationDetail(env, destinationId);
    // TODO(dest-core seam): replayEvents(env, [id], { destinationNo }) from
    // src/delivery/replay-events.ts; until that branch lands, the event goes to every destination.
  }
  return { status: "queued", event_id: await replayEvent(env, id) };
}
