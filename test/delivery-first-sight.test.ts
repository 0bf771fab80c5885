import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { countRoundTrips } from "../src/consumer/count-round-trips";
import { handleEventBatch } from "../src/consumer/handle-event-batch";
import { replayEvents } from "../src/delivery";
import { storeEvent } from "../src/delivery/db/store-event";
import { STATE_CODE, stateOfCode } from "../src/delivery/delivery-state";
import { newEventId } from "../src/events/new-event-id";
import type { NormalizedEvent } from "../src/events/normalized-event";
import type { QueueMessage } from "../src/events/to-queue-message";
import { sweepUnqueued } from "../src/sweep/sweep-unqueued";
import { createDestination, deleteAllDestinations } from "./helpers/destinations";
import { resetDownstream, routed, STAND_IN_URL, standInDownstream } from "./helpers/downstream";
import { pausedQueue } from "./helpers/paused-queue";

// First sight and its deliveries are one transaction (issue 18, items 1 and 2): a message is acked
// only once D1 holds the deliveries its event matched, and only a message naming every destination
// decides first sight. Each test fails on the code before (said per test).

const FORWARDING = { FORWARD_URL: STAND_IN_URL };
let n = 0;

async function stored(): Promise<NormalizedEvent> {
  const at = new Date().toISOString();
  const e: NormalizedEvent = {
    id: newEventId(),
    carrier: "peddler",
    type: "shipment.status_changed",
    occurred_at: at,
    received_at: at,
    tracking_number: `FS${Date.now()}${++n}`,
    carrier_reference: null,
    status: "in_transit",
    carrier_status: "x",
    reason: null,
    data: {},
  };
  await storeEvent(env.DB, { event: e, dedupeKey: `peddler:${e.id}`, rawBody: "{}", requestUrl: "https://p.test/" });
  return e;
}

const msg = (e: NormalizedEvent, extra: Partial<QueueMessage> = {}): QueueMessage => ({
  id: e.id,
  carrier: e.carrier,
  ...extra,
});

async function consume(bodies: QueueMessage[], vars: Partial<Env>, fetcher: typeof fetch) {
  const batch = createMessageBatch<unknown>(
    "carrier-events",
    bodies.map((body, i) => ({ id: `fs-${++n}-${i}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await handleEventBatch(batch, { ...env, ...vars }, fetcher);
  return getQueueResult(batch, ctx);
}

/**
 * Fault binding: a D1 whose `nth` round trip (a `batch`) throws before it commits; every other
 * statement reaches the real D1 unchanged.
 */
function d1ThrowingOnRoundTrip(nth: number): D1Database {
  let trips = 0;
  return new Proxy(env.DB, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop === "batch") {
        return (stmts: D1PreparedStatement[]) => {
          trips++;
          if (trips === nth) return Promise.reject(new Error("D1_ERROR: injected: round trip failed before commit"));
          return target.batch(stmts);
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

const eventRow = (e: NormalizedEvent) =>
  env.DB.prepare("SELECT seq, state, seen_at FROM events WHERE id = ?1")
    .bind(e.id)
    .first<{ seq: number; state: string; seen_at: string | null }>();
async function deliveries(e: NormalizedEvent) {
  const { results } = await env.DB.prepare(
    `SELECT d.destination_no AS no, d.state FROM deliveries d JOIN events x ON x.seq = d.event_seq
     WHERE x.id = ?1 ORDER BY d.destination_no`,
  )
    .bind(e.id)
    .all<{ no: number; state: number }>();
  return results.map((r) => ({ no: r.no, state: stateOfCode(r.state) }));
}

beforeEach(async () => {
  await resetDownstream();
  await deleteAllDestinations();
  await env.DB.prepare(`UPDATE deliveries SET state = ${STATE_CODE.delivered} WHERE state IN (1, 2, 3)`).run();
  await env.DB.prepare("UPDATE events SET seen_at = coalesce(seen_at, '2026-01-01T00:00:00.000Z')").run();
});

describe("round trip 2 fails (fault: a D1 whose second round trip throws)", () => {
  // Fails on the code before: round trip 1 committed seen_at, so the redelivered message found the
  // event seen with no delivery and was acked as stale: 0 requests, 0 deliveries, never sent again.
  it("the redelivered message matches the event again and delivers it; until then the sweep re-sends it", async () => {
    const e = await stored();
    const downstream = standInDownstream();
    downstream.setMode("down");
    const failing = await consume([msg(e)], { ...FORWARDING, DB: d1ThrowingOnRoundTrip(2) }, downstream.fetch);
    expect(failing.retryMessages).toHaveLength(1);
    expect(await eventRow(e)).toMatchObject({ seen_at: null, state: "queued" });
    expect(await deliveries(e)).toEqual([]);

    // The sweep still owns it (the message may be lost too): it is due for a re-send after its grace.
    const queue = pausedQueue();
    await sweepUnqueued({ ...env, EVENTS_QUEUE: queue }, new Date(Date.now() + 6 * 60_000));
    expect(queue.messages).toContainEqual(expect.objectContaining({ id: e.id }));

    downstream.setMode("ok");
    const before = downstream.requests.length;
    const redelivered = await consume([msg(e)], FORWARDING, downstream.fetch);
    expect(redelivered.retryMessages).toEqual([]);
    expect(downstream.requests.slice(before)).toEqual([e.id]);
    expect(await deliveries(e)).toEqual([{ no: 1, state: "delivered" }]);
    expect(await eventRow(e)).toMatchObject({ state: "delivered", seen_at: expect.any(String) });
  });

  it("two invocations racing on one unseen event end with one delivery per destination", async () => {
    const e = await stored();
    const downstream = standInDownstream();
    await Promise.all([
      consume([msg(e)], FORWARDING, downstream.fetch),
      consume([msg(e)], FORWARDING, downstream.fetch),
    ]);
    expect(await deliveries(e)).toEqual([{ no: 1, state: "delivered" }]);
    expect((await eventRow(e))?.state).toBe("delivered");
  });

  it("first sight stays within 2 round trips once the configuration is cached", async () => {
    const isolate = { ...env, ...FORWARDING };
    const downstream = standInDownstream();
    await handleEventBatch(
      createMessageBatch("carrier-events", [
        { id: "warm", timestamp: new Date(), attempts: 1, body: msg(await stored()) },
      ]),
      isolate,
      downstream.fetch,
    );
    const counter = countRoundTrips(env.DB);
    const events = [await stored(), await stored(), await stored()];
    await handleEventBatch(
      createMessageBatch(
        "carrier-events",
        events.map((e, i) => ({ id: `rt-${i}`, timestamp: new Date(), attempts: 1, body: msg(e) })),
      ),
      Object.assign(isolate, { DB: counter.db }),
      downstream.fetch,
    );
    expect(counter.count()).toBe(2);
    for (const e of events) expect((await eventRow(e))?.seen_at).not.toBeNull();
  });
});

describe("a replay to one destination of an event the consumer has not seen yet", () => {
  // Fails on the code before: the replay's message marked the event seen, so the receiver's own
  // message was stale and default never got the event, while the list said `delivered`.
  it("delivers there only, leaves the event unseen and queued; the receiver's message then reaches the others", async () => {
    const other = await createDestination("replayed", "https://other.test/hook");
    const e = await stored();
    const queue = pausedQueue();
    await replayEvents({ ...env, EVENTS_QUEUE: queue }, [e.id], { destinationNo: other.no });
    expect(queue.messages).toEqual([{ id: e.id, carrier: e.carrier, d: other.no, g: 1 }]);

    const main = standInDownstream();
    const second = standInDownstream();
    const fetcher = routed({ [STAND_IN_URL]: main, "https://other.test/hook": second });
    await consume([queue.messages[0] as QueueMessage], FORWARDING, fetcher);
    expect(second.requests).toEqual([e.id]);
    expect(main.requests).toEqual([]);
    expect(await eventRow(e)).toMatchObject({ seen_at: null, state: "queued" });

    // The receiver's message: default matches; the replayed destination is not sent twice.
    await consume([msg(e)], FORWARDING, fetcher);
    expect(main.requests).toEqual([e.id]);
    expect(second.requests).toEqual([e.id]);
    expect(await deliveries(e)).toEqual([
      { no: 1, state: "delivered" },
      { no: other.no, state: "delivered" },
    ]);
    expect(await eventRow(e)).toMatchObject({ state: "delivered", seen_at: expect.any(String) });
  });
});

describe("a destination created moments before an event's first sight", () => {
  // Fails on the code before: the isolate's cached configuration (10 s) did not list it, so the
  // event never matched it.
  it("is matched: D1 lists it in round trip 1, so the configuration is read again (3 round trips)", async () => {
    const main = standInDownstream();
    const fresh = standInDownstream();
    const fetcher = routed({ [STAND_IN_URL]: main, "https://fresh.test/hook": fresh });
    const counter = countRoundTrips(env.DB);
    const isolate = { ...env, ...FORWARDING, DB: counter.db };
    const batchOf = (e: NormalizedEvent) =>
      createMessageBatch("carrier-events", [{ id: `new-${e.id}`, timestamp: new Date(), attempts: 1, body: msg(e) }]);
    await handleEventBatch(batchOf(await stored()), isolate, fetcher);

    const dst = await createDestination("fresh", "https://fresh.test/hook");
    const e = await stored();
    const before = counter.count();
    await handleEventBatch(batchOf(e), isolate, fetcher);
    expect(counter.count() - before).toBe(3);
    expect(fresh.requests).toEqual([e.id]);
    expect(await deliveries(e)).toEqual([
      { no: 1, state: "delivered" },
      { no: dst.no, state: "delivered" },
    ]);
  });
});

vi.setConfig({ testTimeout: 20_000 });
