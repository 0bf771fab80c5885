import { rowToEvent } from "../db/row-to-event";
import { ApiError } from "../errors/api-error";
import type { NormalizedEvent } from "../events/normalized-event";
import { sendEvents } from "../events/send-events";
import { getEvent } from "./db/get-event";
import { markEnqueueFailedMany, markReplayed } from "./db/mark-replayed";

/**
 * Replays events: D1 first (state back to `queued`, a 'replay' row in each history), then the
 * same events, same ids, onto the queue. A refused send is flagged for the sweep, which queues
 * any event whose `seen_at` is still NULL, so a replay is never lost between the two.
 */
export async function replayEvents(env: Env, events: NormalizedEvent[], now = new Date()): Promise<void> {
  const at = now.toISOString();
  await markReplayed(
    env.DB,
    events.map((e) => e.id),
    at,
  );
  const refused = await sendEvents(env.EVENTS_QUEUE, events);
  if (refused.length > 0) {
    console.warn(JSON.stringify({ msg: "replay_enqueue_failed", events: refused.length }));
    await markEnqueueFailedMany(env.DB, refused, at).catch(() => {});
  }
}

/** Replays one stored event by id (same id again); 404 `not_found` when there is none. */
export async function replayEvent(env: Env, id: string): Promise<string> {
  const row = await getEvent(env.DB, id);
  if (!row) throw new ApiError("not_found", undefined, "No event with this id.");
  await replayEvents(env, [rowToEvent(row)]);
  return row.id;
}
