import { EVENT_COLUMNS, type EventRow } from "../../db/row-to-event";
import { isUndecodable, tryRowToEvent } from "../../db/try-decode";
import type { NormalizedEvent } from "../../events/normalized-event";
import { type DeliveryRowState, STATE_CODE, stateOfCode, unixSeconds } from "../delivery-state";
import { fromSql, transition } from "../transitions";
import { type DestinationHealth, readHealth, toHealth } from "./destination-health";

/** One delivery as D1 holds it. */
export interface StoredDelivery {
  state: DeliveryRowState;
  attempts: number;
  gen: number;
}

/** An event as D1 holds it, with its deliveries by destination no. */
export interface StoredEvent {
  seq: number;
  event: NormalizedEvent;
  /**
   * `seen_at` is NULL: no message naming every destination has been taken up since its receipt (or
   * a replay to every destination). Only such a message decides first sight, in round trip 2.
   */
  firstSight: boolean;
  deliveries: Map<number, StoredDelivery>;
}

export interface OpenedBatch {
  events: Map<string, StoredEvent>;
  /** Rows whose stored body or data cannot be decoded, with why: never forwarded, never blocking the others. */
  undecodable: Map<string, string>;
  health: Map<number, DestinationHealth>;
}

/**
 * The consumer batch's first D1 round trip, one `db.batch` whatever the batch size and the number
 * of destinations (each statement takes its list as one JSON parameter): reads each event as D1
 * holds it (the message carries only its id) with its deliveries, and reads every destination's
 * health and switches. It writes nothing: first sight (`seen_at`) is written in round trip 2, in
 * the same transaction as the deliveries it matched (closeBatch), so a batch that dies in between
 * leaves the event unseen, and its redelivered message (or the sweep's re-send) matches it again.
 */
export async function openBatch(
  db: D1Database,
  eventIds: readonly string[],
  at: string,
  probes: readonly ProbeClaim[] = [],
): Promise<OpenedBatch> {
  const ids = JSON.stringify(eventIds);
  const take = probes.length > 0 ? [takeProbed(db, probes, at)] : [];
  const results = await db.batch<unknown>([
    ...take,
    db
      .prepare(`SELECT seq, seen_at, ${EVENT_COLUMNS} FROM events WHERE id IN (SELECT value FROM json_each(?1))`)
      .bind(ids),
    db
      .prepare(
        `SELECT d.event_seq, d.destination_no, d.state, d.attempts, d.gen FROM events e
         JOIN deliveries d ON d.event_seq = e.seq
         WHERE e.id IN (SELECT value FROM json_each(?1))`,
      )
      .bind(ids),
    readHealth(db),
  ]);
  const [read, deliveries, health] = results.slice(take.length);
  if (!read || !deliveries || !health) throw new Error("D1 batch returned no result for a read");
  const bySeq = new Map<number, Map<number, StoredDelivery>>();
  for (const d of deliveries.results as {
    event_seq: number;
    destination_no: number;
    state: number;
    attempts: number;
    gen: number;
  }[]) {
    const m = bySeq.get(d.event_seq) ?? new Map<number, StoredDelivery>();
    m.set(d.destination_no, { state: stateOfCode(d.state), attempts: d.attempts, gen: d.gen });
    bySeq.set(d.event_seq, m);
  }
  const rows = read.results as (EventRow & { seq: number; seen_at: string | null })[];
  const events = new Map<string, StoredEvent>();
  const undecodable = new Map<string, string>();
  for (const r of rows) {
    const event = tryRowToEvent(r);
    if (isUndecodable(event)) undecodable.set(r.id, event.error);
    else
      events.set(r.id, {
        seq: r.seq,
        event,
        firstSight: r.seen_at === null,
        deliveries: bySeq.get(r.seq) ?? new Map(),
      });
  }
  return {
    events,
    undecodable,
    health: toHealth(health.results),
  };
}

/** A catch-up probe's message: the held delivery it was sent for, in that generation. */
export interface ProbeClaim {
  id: string;
  no: number;
  gen: number;
}

/**
 * The `probe-taken` transition, first in round trip 1: a probe takes its delivery only if it is
 * still held in the generation it was sent for, and takes it out of `held` (to `queued`, same
 * generation), so a catch-up running meanwhile cannot re-queue it too (a double send). A probe
 * that finds it moved (caught up, replayed, delivered) takes nothing and is acked.
 */
function takeProbed(db: D1Database, probes: readonly ProbeClaim[], at: string): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE deliveries SET state = ${STATE_CODE[transition("probe-taken").to]}, updated_at = max(updated_at, ?2)
       WHERE ${fromSql("probe-taken")} AND (event_seq, destination_no, gen) IN (
         SELECT e.seq, json_extract(j.value, '$.no'), json_extract(j.value, '$.gen') FROM json_each(?1) j
         JOIN events e ON e.id = json_extract(j.value, '$.id'))`,
    )
    .bind(JSON.stringify(probes), unixSeconds(at));
}
