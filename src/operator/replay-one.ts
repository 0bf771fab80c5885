import { replayEvent } from "../delivery";
import type { ReplayedOne } from "./response-schemas";

/** Queues one event again, same id; 404 `not_found` when there is none. */
export async function replayOne(env: Env, id: string): Promise<ReplayedOne> {
  return { status: "queued", event_id: await replayEvent(env, id) };
}
