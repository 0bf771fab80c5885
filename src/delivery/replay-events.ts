import { ApiError } from "../errors/api-error";
import { markReplayed } from "./db/mark-replayed";
import { sendMarked } from "./send-marked";

/**
 * Replays events by id: D1 first (state back to `queued`, a 'replay' row in each history), then
 * one message per event (same id) onto the queue. A refused send is flagged for the sweep, so a
 * replay is never lost between the two. Returns the ids that were found and replayed.
 */
export async function replayEvents(env: Env, ids: readonly string[], now = new Date()): Promise<string[]> {
  const at = now.toISOString();
  const found = await markReplayed(env.DB, [...new Set(ids)], at);
  const refused = await sendMarked(env, found, at);
  if (refused > 0) console.warn(JSON.stringify({ msg: "replay_enqueue_failed", events: refused }));
  return found.map((m) => m.id);
}

/** Replays one stored event by id (same id again); 404 `not_found` when there is none. */
export async function replayEvent(env: Env, id: string): Promise<string> {
  const [replayed] = await replayEvents(env, [id]);
  if (replayed === undefined) throw new ApiError("not_found", undefined, "No event with this id.");
  return replayed;
}
