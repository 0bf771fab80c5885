import { audited } from "../audit/audited";
import type { Actor } from "../auth/actor";
import { readConfig } from "../config";
import { replayEvent } from "../delivery";
import { selectDestinationRow } from "../destinations/db/select-destination-rows";
import { DEFAULT_ID, noSuchDestination } from "./list-destinations";
import type { ReplayedOne } from "./response-schemas";

/**
 * Queues one event again, same id: to the destination named (`destination_id`), or to every
 * destination it matches. 404 `not_found` for an unknown event or destination (and `default`
 * without FORWARD_URL).
 */
export async function replayOne(env: Env, id: string, by: Actor, destinationId?: string): Promise<ReplayedOne> {
  const changes = destinationId === undefined ? undefined : { destination_id: destinationId };
  return audited(env.DB, { actor: by, action: "event.replay", target: id, changes }, async (audit) => {
    let destinationNo: number | undefined;
    if (destinationId !== undefined) {
      const row =
        destinationId === DEFAULT_ID && readConfig(env).forwardUrl === null
          ? null
          : await selectDestinationRow(env.DB, destinationId);
      if (!row) throw noSuchDestination();
      destinationNo = row.no;
    }
    const eventId = await replayEvent(env, id, { destinationNo, audit: () => audit.statement() });
    return { status: "queued", event_id: eventId };
  });
}
