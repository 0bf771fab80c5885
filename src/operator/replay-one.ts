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
export async function replayOne(env: Env, id: string, destinationId?: string): Promise<ReplayedOne> {
  let destinationNo: number | undefined;
  if (destinationId !== undefined) {
    const row =
      destinationId === DEFAULT_ID && readConfig(env).forwardUrl === null
        ? null
        : await selectDestinationRow(env.DB, destinationId);
    if (!row) throw noSuchDestination();
    destinationNo = row.no;
  }
  return { status: "queued", event_id: await replayEvent(env, id, { destinationNo }) };
}
