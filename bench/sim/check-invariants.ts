// The invariants of docs/consumer.md ("Invariants"), checked once the system has quiesced, against
// what D1 holds and what the simulated destinations recorded (the oracle for "reached with a 2xx"
// is the destinations' own record, never D1's word).

import { shipmentUpdates } from "../../src/consumer/shipment-updates";
import { EVENT_COLUMNS, type EventRow } from "../../src/db/row-to-event";
import { isUndecodable, tryRowToEvent } from "../../src/db/try-decode";
import { stateOfCode } from "../../src/delivery/delivery-state";
import { type Filter, matchesFilter } from "../../src/destinations";
import type { NormalizedEvent } from "../../src/events/normalized-event";
import { CANONICAL_STATUSES } from "../../src/events/normalized-event";
import type { SimDestination } from "./sim-destinations";
import type { World } from "./world";

export interface Violation {
  invariant: number;
  text: string;
  eventId?: string;
}

/** A destination created this recently may be unknown to a consumer's cached configuration (docs/destinations.md). */
const CONFIG_CACHE_MS = 10_000;

interface Snapshot {
  events: Map<string, { seq: number; state: string; seen: boolean; event: NormalizedEvent | null }>;
  bySeq: Map<number, string>;
  deliveries: { eventId: string; dest: string; state: string; gen: number; attempts: number }[];
  destinations: Map<number, { id: string; deleted: boolean; paused: boolean }>;
}

export async function snapshot(db: D1Database): Promise<Snapshot> {
  const [events, deliveries, destinations] = await db.batch<Record<string, unknown>>([
    db.prepare(`SELECT seq, state, seen_at, ${EVENT_COLUMNS} FROM events`),
    db.prepare("SELECT event_seq, destination_no, state, gen, attempts FROM deliveries"),
    db.prepare("SELECT no, id, deleted_at, paused FROM destinations"),
  ]);
  const dests = new Map(
    (destinations?.results ?? []).map((r) => [
      r.no as number,
      { id: r.id as string, deleted: r.deleted_at !== null, paused: r.paused === 1 },
    ]),
  );
  const snap: Snapshot = { events: new Map(), bySeq: new Map(), deliveries: [], destinations: dests };
  for (const r of events?.results ?? []) {
    const decoded = tryRowToEvent(r as unknown as EventRow);
    snap.events.set(r.id as string, {
      seq: r.seq as number,
      state: r.state as string,
      seen: r.seen_at !== null,
      event: isUndecodable(decoded) ? null : decoded,
    });
    snap.bySeq.set(r.seq as number, r.id as string);
  }
  for (const r of deliveries?.results ?? []) {
    snap.deliveries.push({
      eventId: snap.bySeq.get(r.event_seq as number) ?? `seq ${r.event_seq}`,
      dest: dests.get(r.destination_no as number)?.id ?? `no ${r.destination_no}`,
      state: stateOfCode(r.state as number),
      gen: r.gen as number,
      attempts: r.attempts as number,
    });
  }
  return snap;
}

/** Invariant 3: at quiescence nothing is owed (a queued, retrying or held delivery, or an unseen event). */
export function nothingOwed(s: Snapshot): Violation[] {
  const out: Violation[] = [];
  const deleted = new Set([...s.destinations.values()].filter((d) => d.deleted).map((d) => d.id));
  for (const d of s.deliveries) {
    if (d.state === "queued" || d.state === "retrying" || d.state === "held")
      out.push({
        invariant: 3,
        eventId: d.eventId,
        text: `delivery to ${d.dest} is ${d.state} with nothing left to move it`,
      });
    // A replay skips deleted destinations: their dead deliveries are the catch-up's to drop.
    if (d.state === "dead" && deleted.has(d.dest))
      out.push({ invariant: 3, eventId: d.eventId, text: `delivery to deleted ${d.dest} is dead, never dropped` });
  }
  for (const [id, e] of s.events) {
    if (e.state === "queued" && !s.deliveries.some((d) => d.eventId === id))
      out.push({
        invariant: 3,
        eventId: id,
        text: `event is queued (seen: ${e.seen}) with no delivery and no message`,
      });
  }
  return out;
}

/** Invariant 4: `delivered` only after a 2xx. */
export function deliveredAfter2xx(s: Snapshot, w: World): Violation[] {
  return s.deliveries
    .filter(
      (d) =>
        d.state === "delivered" && !w.dests.sends.some((x) => x.eventId === d.eventId && x.dest === d.dest && x.ok),
    )
    .map((d) => ({
      invariant: 4,
      eventId: d.eventId,
      text: `delivery to ${d.dest} is delivered, but it never answered 2xx`,
    }));
}

/**
 * Invariant 5: `dead` only after the budget was spent against a destination that was accepting
 * other events: requests were sent, and the destination answered 2xx to another event meanwhile.
 */
export function deadOnlyWhenAccepting(s: Snapshot, w: World): Violation[] {
  const out: Violation[] = [];
  for (const d of s.deliveries.filter((x) => x.state === "dead")) {
    const mine = w.dests.sends.filter((x) => x.eventId === d.eventId && x.dest === d.dest);
    if (mine.length === 0) {
      out.push({
        invariant: 5,
        eventId: d.eventId,
        text: `delivery to ${d.dest} is dead without a single request sent`,
      });
      continue;
    }
    const from = Math.min(...mine.map((x) => x.at));
    const to = Math.max(...mine.map((x) => x.at));
    const accepting = w.dests.sends.some(
      (x) => x.dest === d.dest && x.ok && x.eventId !== d.eventId && x.at >= from && x.at <= to,
    );
    if (!accepting)
      out.push({
        invariant: 5,
        eventId: d.eventId,
        text: `delivery to ${d.dest} is dead after ${mine.length} requests while ${d.dest} accepted no other event (a fault of the destination, handled per event)`,
      });
  }
  return out;
}

/** Invariant 6: the aggregate event state equals what its deliveries say (docs/consumer.md). */
export function aggregateMatches(s: Snapshot): Violation[] {
  const out: Violation[] = [];
  for (const [id, e] of s.events) {
    // A deleted destination's delivery counts as it is: the catch-up drops the owed and dead ones
    // (seed 1046 found an event left `delivered` when its only destination was deleted after).
    const live = s.deliveries.filter((d) => d.eventId === id && d.state !== "dropped");
    let want: string;
    // An event the consumer has not seen yet is `queued`, whatever a replay to one destination did.
    if (!e.seen || live.length === 0) want = e.seen ? "stored" : "queued";
    else want = ["dead", "held", "retrying", "queued"].find((st) => live.some((d) => d.state === st)) ?? "delivered";
    if (e.state !== want)
      out.push({
        invariant: 6,
        eventId: id,
        text: `event state is ${e.state}, its deliveries say ${want} (${live.map((d) => `${d.dest}:${d.state}`).join(", ") || "none"})`,
      });
  }
  return out;
}

/**
 * Invariant 8: every shipment ends at its newest status (carrier time, then the later stored). A
 * shipment whose status came from an event retention has since deleted keeps it against a stored
 * event of an older carrier time (a late arrival): its newest known event is the deleted one.
 */
export async function shipmentsNewest(db: D1Database, s: Snapshot): Promise<Violation[]> {
  const { results } = await db
    .prepare("SELECT carrier, tracking_number, status, last_event_at, last_event_seq FROM shipments")
    .all<{ carrier: string; tracking_number: string; status: string; last_event_at: number; last_event_seq: number }>();
  const actual = new Map(results.map((r) => [`${r.carrier}/${r.tracking_number}`, r.status]));
  const fromDeleted = new Map(
    results
      .filter((r) => !s.bySeq.has(r.last_event_seq))
      .map((r) => [`${r.carrier}/${r.tracking_number}`, r.last_event_at]),
  );
  const newest = new Map<string, { at: number; seq: number; status: string; id: string }>();
  for (const [id, e] of s.events) {
    if (e.event === null) continue;
    for (const u of shipmentUpdates(e.event)) {
      const key = `${u.carrier}/${u.tracking_number}`;
      const at = Date.parse(u.occurred_at);
      const cur = newest.get(key);
      if (!cur || at > cur.at || (at === cur.at && e.seq > cur.seq))
        newest.set(key, { at, seq: e.seq, status: u.status, id });
    }
  }
  const out: Violation[] = [];
  for (const [key, n] of newest) {
    if (!(CANONICAL_STATUSES as readonly string[]).includes(n.status)) continue;
    const got = actual.get(key);
    const deletedAt = fromDeleted.get(key);
    if (deletedAt !== undefined && deletedAt > n.at) continue;
    if (got !== n.status)
      out.push({
        invariant: 8,
        eventId: n.id,
        text: `shipment ${key} is ${got ?? "missing"}, its newest event says ${n.status}`,
      });
  }
  return out;
}

/**
 * The destinations an accepted event must reach: those that existed when it was accepted (past
 * the configuration cache), still exist, matched it under every filter they may have had since,
 * and (for `default`) kept FORWARD_URL set on the consumer from its acceptance on.
 */
export function owedTo(w: World, event: NormalizedEvent, acceptedAt: number): SimDestination[] {
  return w.dests.all.filter((d) => {
    if (d.id === "default") return !w.forwardUrlUnset.some((p) => p.to >= acceptedAt);
    if (d.deletedAt !== undefined || d.unknownSecret || d.id.startsWith("?")) return false;
    if (d.createdAt > acceptedAt - CONFIG_CACHE_MS) return false;
    // The filter surely in effect at acceptance is the last confirmed one by then; any asked for
    // after it (confirmed or not) may have been in effect since.
    const from = d.filters.findLastIndex((f) => f.confirmed && f.at <= acceptedAt);
    return d.filters.slice(Math.max(0, from)).every((f) => matchesFilter(event, f.filter as Filter | null));
  });
}

/**
 * Invariants 1 and 7: every accepted event reached, with a 2xx, every destination it is owed to;
 * one that is gone from D1 must have been deleted by retention only after that (7).
 */
export function everyEventReached(s: Snapshot, w: World, events: Map<string, NormalizedEvent>): Violation[] {
  const out: Violation[] = [];
  for (const a of w.accepted) {
    const event = events.get(a.eventId);
    if (event === undefined) {
      out.push({ invariant: 1, eventId: a.eventId, text: "accepted event was never found in D1" });
      continue;
    }
    const gone = !s.events.has(a.eventId);
    // From when D1 stored it (a carrier may only learn of it later, from a retry's "duplicate").
    const storedAt = Math.min(a.at, Date.parse(event.received_at));
    for (const d of owedTo(w, event, storedAt)) {
      if (w.dests.sends.some((x) => x.eventId === a.eventId && x.dest === d.id && x.ok)) continue;
      out.push(
        gone
          ? { invariant: 7, eventId: a.eventId, text: `retention deleted the event while ${d.id} was still owed it` }
          : { invariant: 1, eventId: a.eventId, text: `${d.id} never got it with a 2xx` },
      );
    }
  }
  return out;
}

/** Invariant 2: every send was signed with a key the destination holds. */
export function everySendSigned(w: World): Violation[] {
  // A destination whose operator has not read its secret yet (the create's answer is on its way,
  // or was lost) holds no key: not a signing fault.
  const bad = w.dests.sends.filter((x) => !x.verified && x.signatures > 0 && x.keyed);
  const seen = new Set<string>();
  const out: Violation[] = [];
  for (const x of bad) {
    if (seen.has(x.dest)) continue;
    seen.add(x.dest);
    out.push({
      invariant: 2,
      eventId: x.eventId,
      text: `a send to ${x.dest} carried ${x.signatures} signature(s), none with a key it holds (${bad.filter((b) => b.dest === x.dest).length} such sends)`,
    });
  }
  return out;
}
