import type { QueueMessage } from "../../events/to-queue-message";
import { transition } from "../transitions";

const REPLAYED = transition("replay").to;

/**
 * The replay's D1 half, in one batch: the events go back to `queued`, unseen by the consumer, and
 * each gets a 'replay' row in its history. `swept_at` is the replay's send time, so the sweep does
 * not send a replay again while it is on its way (its `received_at` is long past the grace time).
 * Returns the events found (ids the database does not hold are left out).
 */
export async function markReplayed(db: D1Database, ids: readonly string[], at: string): Promise<QueueMessage[]> {
  if (ids.length === 0) return [];
  const list = JSON.stringify(ids);
  const [updated] = await db.batch<QueueMessage>([
    db
      .prepare(
        `UPDATE events SET state = '${REPLAYED}', seen_at = NULL, swept_at = ?2, enqueue_failed_at = NULL,
           updated_at = ?2
         WHERE id IN (SELECT value FROM json_each(?1))
         RETURNING id, carrier`,
      )
      .bind(list, at),
    db
      .prepare(
        `INSERT INTO event_attempts (event_id, attempted_at, kind)
         SELECT id, ?2, 'replay' FROM events WHERE id IN (SELECT value FROM json_each(?1))`,
      )
      .bind(list, at),
  ]);
  return updated?.results ?? [];
}
