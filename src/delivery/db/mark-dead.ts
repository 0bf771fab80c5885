import type { QueueMessage } from "../../events/to-queue-message";
import { STATE_CODE, unixSeconds } from "../delivery-state";
import { fromSql, transition } from "../transitions";
import { aggregateSql } from "./aggregate-events";

/** A dead letter: the event, the destination it names (null: every one) and its generation. */
export interface DeadLetter {
  id: string;
  d: number | null;
  g: number;
}

export const deadLetterOf = (m: QueueMessage): DeadLetter => ({
  id: m.id,
  d: typeof m.d === "number" ? m.d : null,
  g: typeof m.g === "number" ? m.g : 0,
});

// The deliveries a dead letter is for: its event's, to its destination (or every one), of its
// generation (an older message never undoes a newer replay), still waiting for their message.
const TARGETS = `SELECT d.event_seq, d.destination_no FROM json_each(?1) j
  JOIN events e ON e.id = json_extract(j.value, '$.id')
  JOIN deliveries d ON d.event_seq = e.seq
    AND (json_extract(j.value, '$.d') IS NULL OR d.destination_no = json_extract(j.value, '$.d'))
    AND d.gen = json_extract(j.value, '$.g')`;
// A destination that is down, refusing or paused: its deliveries are held, caught up later.
const HELD_DEST = `(SELECT no FROM destinations WHERE deleted_at IS NULL AND (health <> 'up' OR paused = 1))`;
// A deleted destination's deliveries are the cron's to drop: a dead letter leaves them alone.
const DELETED = "(SELECT no FROM destinations WHERE deleted_at IS NOT NULL)";

/**
 * The dead-letter consumer's one round trip. A delivery its message was for, still waiting (`queued`
 * or `retrying`), is marked `dead` with a 'dead' row in its history, or `held` when its destination
 * is down, refusing or paused. A delivery delivered meanwhile, or replayed since (a newer
 * generation), stays as it is. Returns, per event id found in D1, how many deliveries went dead.
 */
export async function markDead(
  db: D1Database,
  letters: readonly DeadLetter[],
  at: string,
): Promise<Map<string, number>> {
  const list = JSON.stringify(letters);
  const now = unixSeconds(at);
  const target = (alias: string) => `(${alias}.event_seq, ${alias}.destination_no) IN (${TARGETS})`;
  const dead = (a: string) =>
    `${target(a)} AND ${fromSql("dead-letter", `${a}.state`)} AND ${a}.destination_no NOT IN ${HELD_DEST}
     AND ${a}.destination_no NOT IN ${DELETED}`;
  const held = (a: string) =>
    `${target(a)} AND ${fromSql("dead-letter-held", `${a}.state`)} AND ${a}.destination_no IN ${HELD_DEST}`;
  const [read] = await db.batch<{ id: string; dead: number }>([
    db
      .prepare(
        `SELECT e.id, (SELECT count(*) FROM deliveries x WHERE x.event_seq = e.seq AND ${dead("x")}) AS dead
         FROM events e WHERE e.id IN (SELECT json_extract(value, '$.id') FROM json_each(?1))`,
      )
      .bind(list),
    db
      .prepare(
        `INSERT INTO event_attempts (event_id, destination_no, attempted_at, kind, error)
         SELECT e.id, x.destination_no, ?2, 'dead', 'retries exhausted: moved to the dead-letter queue'
         FROM deliveries x JOIN events e ON e.seq = x.event_seq WHERE ${dead("x")}`,
      )
      .bind(list, at),
    db
      .prepare(
        `UPDATE deliveries AS x SET state = ${STATE_CODE[transition("dead-letter").to]}, updated_at = ?2 WHERE ${dead("x")}`,
      )
      .bind(list, now),
    db
      .prepare(
        `UPDATE deliveries AS x SET state = ${STATE_CODE[transition("dead-letter-held").to]}, updated_at = ?2 WHERE ${held("x")}`,
      )
      .bind(list, now),
    db
      .prepare(
        aggregateSql(
          "SELECT e.seq FROM events e WHERE e.id IN (SELECT json_extract(value, '$.id') FROM json_each(?1))",
        ),
      )
      .bind(list, at),
  ]);
  if (!read) throw new Error("D1 batch returned no result for the state read");
  return new Map(read.results.map((r) => [r.id, r.dead]));
}
