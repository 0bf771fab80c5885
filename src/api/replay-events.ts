import { replayEvents as replayIds } from "../delivery/replay-events";

export { replayEvent } from "../delivery/replay-events";

/**
 * The operator API's and dashboard's replay: the delivery module's, taking the listed rows (or
 * their ids). Only the ids go on: the consumer reads each event from D1.
 */
export function replayEvents(env: Env, events: readonly (string | { id: string })[], now?: Date): Promise<string[]> {
  return replayIds(
    env,
    events.map((e) => (typeof e === "string" ? e : e.id)),
    now,
  );
}
