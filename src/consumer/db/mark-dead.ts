import type { DeliveryState } from "../../events/normalized-event";
import { selectStates } from "./select-states";

/**
 * The dead-letter consumer's one round trip: for each event still waiting for a delivery
 * (`queued` or `retrying`), logs a 'dead' attempt and marks it `dead` (replayable). An event that
 * was delivered or stored meanwhile (by another message of the same event) stays as it is.
 * Returns the state each event id had before, for the ids found in D1.
 */
export async function markDead(db: D1Database, eventIds: string[], at: string): Promise<Map<string, DeliveryState>> {
  const ids = JSON.stringify(eventIds);
  const [read] = await db.batch<{ id: string; state: DeliveryState }>([
    selectStates(db, eventIds),
    db
      .prepare(
        `INSERT INTO event_attempts (event_id, attempted_at, kind, error)
         SELECT id, ?2, 'dead', 'retries exhausted: moved to the dead-letter queue' FROM events
         WHERE id IN (SELECT value FROM json_each(?1)) AND state IN ('queued', 'retrying')`,
      )
      .bind(ids, at),
    db
      .prepare(
        `UPDATE events SET state = 'dead', seen_at = COALESCE(seen_at, ?2), updated_at = ?2
         WHERE id IN (SELECT value FROM json_each(?1)) AND state IN ('queued', 'retrying')`,
      )
      .bind(ids, at),
  ]);
  if (!read) throw new Error("D1 batch returned no result for the state read");
  return new Map(read.results.map((r) => [r.id, r.state]));
}
