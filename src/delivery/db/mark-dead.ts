import type { DeliveryState } from "../delivery-state";
import { fromSql, transition } from "../transitions";

const DOWN = "(SELECT down_since FROM downstream WHERE id = 1) IS NOT NULL";

/**
 * The dead-letter consumer's one round trip. An event still waiting for its delivery (`queued`
 * or `retrying`) is marked `dead` with a 'dead' row in its history, or `held` when the downstream
 * is down (an outage's events are caught up, not dead). An event delivered or stored meanwhile
 * stays as it is. Returns the state each event id had before, for the ids found in D1.
 */
export async function markDead(
  db: D1Database,
  eventIds: readonly string[],
  at: string,
): Promise<Map<string, DeliveryState>> {
  const ids = JSON.stringify(eventIds);
  const dead = transition("retries-exhausted");
  const held = transition("retries-exhausted-in-outage");
  const [read] = await db.batch<{ id: string; state: DeliveryState }>([
    db.prepare("SELECT id, state FROM events WHERE id IN (SELECT value FROM json_each(?1))").bind(ids),
    db
      .prepare(
        `INSERT INTO event_attempts (event_id, attempted_at, kind, error)
         SELECT id, ?2, 'dead', 'retries exhausted: moved to the dead-letter queue' FROM events
         WHERE id IN (SELECT value FROM json_each(?1)) AND ${fromSql("retries-exhausted")} AND NOT ${DOWN}`,
      )
      .bind(ids, at),
    db
      .prepare(
        `UPDATE events SET state = CASE WHEN ${DOWN} THEN '${held.to}' ELSE '${dead.to}' END,
           seen_at = coalesce(seen_at, ?2), updated_at = ?2
         WHERE id IN (SELECT value FROM json_each(?1))
           AND CASE WHEN ${DOWN} THEN ${fromSql("retries-exhausted-in-outage")} ELSE ${fromSql("retries-exhausted")} END`,
      )
      .bind(ids, at),
  ]);
  if (!read) throw new Error("D1 batch returned no result for the state read");
  return new Map(read.results.map((r) => [r.id, r.state]));
}
