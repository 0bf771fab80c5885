import type { NormalizedEvent } from "../events/normalized-event";
import { toQueueMessage } from "../events/to-queue-message";
import { markEnqueueFailedMany, markReplayed } from "./db/mark-replayed";

// Queues takes at most 100 messages and 256 KB per sendBatch; stay under with room for overhead.
const BATCH_MESSAGES = 100;
const BATCH_BYTES = 200_000;

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
  for (const chunk of chunks(events.map(toQueueMessage))) {
    try {
      await env.EVENTS_QUEUE.sendBatch(chunk.map((body) => ({ body, contentType: "json" as const })));
    } catch {
      console.warn(JSON.stringify({ msg: "replay_enqueue_failed", events: chunk.length }));
      await markEnqueueFailedMany(
        env.DB,
        chunk.map((e) => e.id),
        at,
      ).catch(() => {});
    }
  }
}

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const item of items) {
    const bytes = JSON.stringify(item).length;
    if (current.length > 0 && (current.length === BATCH_MESSAGES || size + bytes > BATCH_BYTES)) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(item);
    size += bytes;
  }
  if (current.length > 0) out.push(current);
  return out;
}
