import type { QueueMessage } from "../../events/to-queue-message";
import { type DeliveryRowState, STATE_CODE, stateOfCode, unixSeconds } from "../delivery-state";
import { fromSql, transition } from "../transitions";
import { aggregateEvents } from "./aggregate-events";

export interface ReplayTargets {
  events: { seq: number; id: string; carrier: string }[];
  deliveries: { seq: number; no: number; state: DeliveryRowState; gen: number }[];
  deleted: Set<number>;
}

/** The replay's read: the events by id, their deliveries, and which destinations are deleted. One batch. */
export async function readReplayTargets(db: D1Database, ids: readonly string[]): Promise<ReplayTargets> {
  const list = JSON.stringify(ids);
  const [events, deliveries, deleted] = await db.batch<unknown>([
    db.prepare("SELECT seq, id, carrier FROM events WHERE id IN (SELECT value FROM json_each(?1))").bind(list),
    db
      .prepare(
        `SELECT d.event_seq AS seq, d.destination_no AS no, d.state, d.gen FROM events e
         JOIN deliveries d ON d.event_seq = e.seq WHERE e.id IN (SELECT value FROM json_each(?1))`,
      )
      .bind(list),
    db.prepare("SELECT no FROM destinations WHERE deleted_at IS NOT NULL"),
  ]);
  return {
    events: (events?.results ?? []) as ReplayTargets["events"],
    deliveries: ((deliveries?.results ?? []) as { seq: number; no: number; state: number; gen: number }[]).map((d) => ({
      ...d,
      state: stateOfCode(d.state),
    })),
    deleted: new Set(((deleted?.results ?? []) as { no: number }[]).map((r) => r.no)),
  };
}

export interface ReplayWrite {
  /** Deliveries to (re)queue with their new generation (inserted when the event has none there yet). */
  deliveries: { seq: number; no: number; gen: number }[];
  /** Events replayed to every destination they match: unseen again, so the consumer matches them anew. */
  wholeEvents: number[];
  /** Every event touched, for its history row and its list state. */
  history: { seq: number; no: number | null }[];
}

/**
 * The replay's D1 half, in one batch: the `replay` transition for each delivery (back to `queued`,
 * a new generation, its attempts from zero: an operator's replay is a new budget), a 'replay' row
 * in each history (with its destination, or none for every destination), and the events' list
 * state. An event replayed to every destination is unseen again with `swept_at` = now (so the
 * sweep does not send it again while it is on its way).
 */
export function writeReplay(db: D1Database, w: ReplayWrite, at: string): D1PreparedStatement[] {
  const now = unixSeconds(at);
  const touched = [...new Set(w.history.map((h) => h.seq))];
  return [
    db
      .prepare(
        `INSERT INTO deliveries (event_seq, destination_no, state, attempts, gen, updated_at)
         SELECT json_extract(value, '$.seq'), json_extract(value, '$.no'), ${STATE_CODE[transition("replay").to]}, 0,
                json_extract(value, '$.gen'), ?2
         FROM json_each(?1) WHERE true
         ON CONFLICT (event_seq, destination_no) DO UPDATE SET state = excluded.state, attempts = 0,
           gen = excluded.gen, updated_at = excluded.updated_at
         WHERE ${fromSql("replay", "deliveries.state")}`,
      )
      .bind(JSON.stringify(w.deliveries), now),
    db
      .prepare(
        `UPDATE events SET state = 'queued', seen_at = NULL, swept_at = ?2, enqueue_failed_at = NULL, updated_at = ?2
         WHERE seq IN (SELECT value FROM json_each(?1))`,
      )
      .bind(JSON.stringify(w.wholeEvents), at),
    db
      .prepare(
        `INSERT INTO event_attempts (event_id, destination_no, attempted_at, kind)
         SELECT e.id, json_extract(j.value, '$.no'), ?2, 'replay' FROM json_each(?1) j
         JOIN events e ON e.seq = json_extract(j.value, '$.seq')`,
      )
      .bind(JSON.stringify(w.history), at),
    aggregateEvents(
      db,
      touched.filter((s) => !w.wholeEvents.includes(s)),
      at,
    ),
  ];
}

export type { QueueMessage };
