import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { stalledDeliveryQuery } from "../src/alerts/db/alert-queries";
import { countRoundTrips } from "../src/consumer/count-round-trips";
import { handleDeadLetters } from "../src/consumer/handle-dead-letters";
import { handleEventBatch } from "../src/consumer/handle-event-batch";
import worker from "../src/consumer-worker";
import { selectUnqueued } from "../src/delivery/db/select-unqueued";
import { storeEvent } from "../src/delivery/db/store-event";
import { HOLD_AFTER_FAILURES, RETRY_BUDGET } from "../src/delivery/hold-policy";
import { replayEvents } from "../src/delivery/replay-events";
import { newEventId } from "../src/events/new-event-id";
import type { NormalizedEvent } from "../src/events/normalized-event";
import { type QueueMessage, toQueueMessage } from "../src/events/to-queue-message";
import { deleteExpiredRecords } from "../src/retention/db/delete-expired-records";
import { sweepUnqueued } from "../src/sweep/sweep-unqueued";
import { resetDownstream, STAND_IN_URL, setHealth, standInDownstream } from "./helpers/downstream";
import { pausedQueue } from "./helpers/paused-queue";
import { storedEvent as eventRow } from "./helpers/stored-event";

// Events are written with the receiver's own storeEvent and handed to the consumer as queue
// batches of what the queue carries ({ id, carrier }); nothing is sent to the real queue, so its
// consumer does not race these tests. Tests share D1, so the downstream's health starts up.
beforeEach(resetDownstream);

// Port 1 on loopback: nothing listens there, so every forward is a real connection failure.
const UNREACHABLE = "http://127.0.0.1:1/hook";

let trackingSeq = 0;
function trackingNumber(): string {
  trackingSeq += 1;
  return `TN${Date.now()}${trackingSeq}`;
}

function peddlerEvent(over: Partial<NormalizedEvent> = {}): NormalizedEvent {
  return {
    id: newEventId(),
    carrier: "peddler",
    type: "shipment.status_changed",
    occurred_at: "2024-09-02T13:08:06.574Z",
    received_at: new Date().toISOString(),
    tracking_number: "P100",
    carrier_reference: "ship-1",
    status: "in_transit",
    carrier_status: "SHIPMENT_IN_WAREHOUSE",
    reason: null,
    data: {},
    ...over,
  };
}

async function stored(event: NormalizedEvent): Promise<NormalizedEvent> {
  await storeEvent(env.DB, {
    event,
    dedupeKey: `${event.carrier}:${event.id}`,
    rawBody: JSON.stringify(event),
    requestUrl: `https://parcelhook.test/webhooks/${event.carrier}`,
  });
  return event;
}

let msgSeq = 0;
function batchOf(queue: string, events: NormalizedEvent[], attempts = 1) {
  return createMessageBatch<unknown>(
    queue,
    events.map((e) => ({ id: `msg-${++msgSeq}`, timestamp: new Date(), attempts, body: toQueueMessage(e) })),
  );
}

/**
 * getQueueResult reports which messages were retried but not their delays, so each message's
 * retry() is spied on (calling through) to read the delay it was given.
 */
function spyOnDelays(batch: MessageBatch<unknown>): () => Record<string, number | undefined> {
  const spies = batch.messages.map((m) => [m.id, vi.spyOn(m, "retry")] as const);
  return () =>
    Object.fromEntries(
      spies
        .filter(([, spy]) => spy.mock.calls.length > 0)
        .map(([id, spy]) => [id, spy.mock.calls[0]?.[0]?.delaySeconds]),
    );
}

async function consume(events: NormalizedEvent[], vars: Partial<Env> = {}, attempts = 1, fetcher?: typeof fetch) {
  const batch = batchOf("carrier-events", events, attempts);
  const delays = spyOnDelays(batch);
  const ctx = createExecutionContext();
  await handleEventBatch(batch, { ...env, ...vars }, fetcher);
  return { batch, result: await getQueueResult(batch, ctx), delays: delays() };
}

/** The consumer given these messages as they are (a replay's, the catch-up's). */
async function consumeMessages(bodies: QueueMessage[], vars: Partial<Env> = {}, fetcher?: typeof fetch) {
  const batch = createMessageBatch<unknown>(
    "carrier-events",
    bodies.map((body) => ({ id: `msg-${++msgSeq}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await handleEventBatch(batch, { ...env, ...vars }, fetcher);
  return { batch, result: await getQueueResult(batch, ctx) };
}

async function attemptsOf(id: string) {
  const { results } = await env.DB.prepare(
    "SELECT kind, http_status, error, duration_ms, attempted_at FROM event_attempts WHERE event_seq = (SELECT seq FROM events WHERE id = ?) ORDER BY id",
  )
    .bind(id)
    .all<{ kind: string; http_status: number | null; error: string | null; duration_ms: number | null }>();
  return results;
}

async function shipment(carrier: string, tracking: string) {
  // The table names the last event by seq (migrations/0011).
  return env.DB.prepare(
    `SELECT s.*, (SELECT id FROM events WHERE seq = s.last_event_seq) AS last_event_id,
            (SELECT carrier_status FROM events WHERE seq = s.last_event_seq) AS carrier_status
     FROM shipments s WHERE carrier = ? AND tracking_number = ?`,
  )
    .bind(carrier, tracking)
    .first<{ status: string; carrier_status: string | null; last_event_at: number; last_event_id: string }>();
}

describe("carrier-events consumer without FORWARD_URL", () => {
  it("acks, marks the event stored and seen, and keeps the shipment's state", async () => {
    const tn = trackingNumber();
    const e = await stored(peddlerEvent({ tracking_number: tn, status: "out_for_delivery" }));
    const { batch, result } = await consume([e]);
    expect(result.explicitAcks).toEqual([batch.messages[0]?.id]);
    expect(result.retryMessages).toEqual([]);
    const row = await eventRow(e.id);
    expect(row).toMatchObject({ state: "stored", attempts: 0 });
    expect(row?.seen_at).toEqual(expect.any(String));
    expect(await attemptsOf(e.id)).toEqual([]);
    expect(await shipment("peddler", tn)).toMatchObject({
      status: "out_for_delivery",
      carrier_status: "SHIPMENT_IN_WAREHOUSE",
      last_event_at: Date.parse(e.occurred_at), // Unix ms in the table (migrations/0011)
      last_event_id: e.id,
    });
  });

  it("sets seen_at once, so the sweep no longer re-queues the event", async () => {
    const e = await stored(peddlerEvent({ received_at: "2020-01-01T00:00:00.000Z" }));
    const unqueued = async () => (await selectUnqueued(env.DB, new Date(), 300, 1000).all<QueueMessage>()).results;
    const before = await unqueued();
    expect(before.map((r) => r.id)).toContain(e.id);
    await consume([e]);
    const seen = (await eventRow(e.id))?.seen_at;
    const after = await unqueued();
    expect(after.map((r) => r.id)).not.toContain(e.id);
    await consume([e]);
    expect((await eventRow(e.id))?.seen_at).toBe(seen);
  });

  it("a late in_transit never overwrites delivered, and both events stay in the timeline", async () => {
    const tn = trackingNumber();
    const delivered = await stored(
      peddlerEvent({ tracking_number: tn, status: "delivered", occurred_at: "2024-09-03T10:00:00.000Z" }),
    );
    const late = await stored(
      peddlerEvent({ tracking_number: tn, status: "in_transit", occurred_at: "2024-09-02T10:00:00.000Z" }),
    );
    await consume([delivered]);
    await consume([late]);
    expect(await shipment("peddler", tn)).toMatchObject({ status: "delivered", last_event_id: delivered.id });
    const { results } = await env.DB.prepare(
      "SELECT id, status FROM events WHERE tracking_number = ? ORDER BY occurred_at",
    )
      .bind(tn)
      .all();
    expect(results).toEqual([
      { id: late.id, status: "in_transit" },
      { id: delivered.id, status: "delivered" },
    ]);
  });

  it("a late, older event leaves the status but counts as news of the shipment: retention keeps it", async () => {
    const tn = trackingNumber();
    const newest = await stored(
      peddlerEvent({ tracking_number: tn, status: "delivered", occurred_at: "2024-09-03T10:00:00.000Z" }),
    );
    await consume([newest]);
    // The shipment was last heard of 100 days ago; now a late event of an older carrier time arrives.
    const longAgo = Date.now() - 100 * 86_400_000;
    await env.DB.prepare("UPDATE shipments SET updated_at = ?3 WHERE carrier = ?1 AND tracking_number = ?2")
      .bind("peddler", tn, longAgo)
      .run();
    const late = await stored(
      peddlerEvent({ tracking_number: tn, status: "in_transit", occurred_at: "2024-09-02T10:00:00.000Z" }),
    );
    await consume([late]);
    expect(await shipment("peddler", tn)).toMatchObject({ status: "delivered", last_event_id: newest.id });
    const row = await env.DB.prepare("SELECT updated_at FROM shipments WHERE carrier = ?1 AND tracking_number = ?2")
      .bind("peddler", tn)
      .first<{ updated_at: number }>();
    expect(row?.updated_at).toBeGreaterThan(Date.now() - 60_000);
    // Retention has deleted the old newest event; the late one was just seen, so the shipment stays.
    await env.DB.prepare("DELETE FROM events WHERE id = ?1").bind(newest.id).run();
    const cutoff = new Date(Date.now() - 90 * 86_400_000).toISOString();
    const hour = `${cutoff.slice(0, 13)}:00:00Z`;
    await deleteExpiredRecords(env.DB, cutoff, hour, 1000, { cutoff, cutoffHour: hour });
    expect(await shipment("peddler", tn)).toMatchObject({ status: "delivered" });
  });

  it("retention keeps a shipment whose last event is still kept (owed a delivery), however long ago it moved", async () => {
    const tn = trackingNumber();
    const e = await stored(peddlerEvent({ tracking_number: tn, status: "out_for_delivery" }));
    await consume([e]);
    const longAgo = Date.now() - 100 * 86_400_000;
    await env.DB.prepare("UPDATE shipments SET updated_at = ?3 WHERE carrier = ?1 AND tracking_number = ?2")
      .bind("peddler", tn, longAgo)
      .run();
    const cutoff = new Date(Date.now() - 90 * 86_400_000).toISOString();
    const hour = `${cutoff.slice(0, 13)}:00:00Z`;
    await deleteExpiredRecords(env.DB, cutoff, hour, 1000, { cutoff, cutoffHour: hour });
    expect(await shipment("peddler", tn)).toMatchObject({ status: "out_for_delivery", last_event_id: e.id });
    // Once its last event is gone too, the shipment goes.
    await env.DB.prepare("DELETE FROM events WHERE id = ?1").bind(e.id).run();
    await deleteExpiredRecords(env.DB, cutoff, hour, 1000, { cutoff, cutoffHour: hour });
    expect(await shipment("peddler", tn)).toBeNull();
  });

  it("resolves out-of-order events inside one batch to the newest, ties to the later stored event", async () => {
    const tn = trackingNumber();
    const at = "2024-09-05T08:00:00.000Z";
    const earlier = peddlerEvent({ tracking_number: tn, status: "delivered", occurred_at: at });
    const later = peddlerEvent({ tracking_number: tn, status: "out_for_delivery", occurred_at: at });
    const older = peddlerEvent({ tracking_number: tn, status: "picked_up", occurred_at: "2024-09-04T08:00:00.000Z" });
    for (const e of [earlier, later, older]) await stored(e);
    await consume([later, older, earlier]);
    expect(await shipment("peddler", tn)).toMatchObject({ status: later.status, last_event_id: later.id });
  });

  it("Peddler SHIPMENT_DETAILS_UPDATED (no status) changes no shipment", async () => {
    const tn = trackingNumber();
    const first = await stored(peddlerEvent({ tracking_number: tn, status: "in_transit" }));
    const details = await stored(
      peddlerEvent({
        tracking_number: tn,
        status: null,
        carrier_status: "SHIPMENT_DETAILS_UPDATED",
        occurred_at: "2024-12-31T00:00:00.000Z",
      }),
    );
    const { result } = await consume([first, details]);
    expect(result.explicitAcks).toHaveLength(2);
    expect(await shipment("peddler", tn)).toMatchObject({ status: "in_transit", last_event_id: first.id });
    expect(await eventRow(details.id)).toMatchObject({ state: "stored" });
  });

  it("a Postmen label with several tracking numbers moves each of their shipments", async () => {
    const [t1, t2, t3] = [trackingNumber(), trackingNumber(), trackingNumber()];
    const label = await stored(
      peddlerEvent({
        carrier: "postmen",
        type: "label.created",
        tracking_number: t1,
        status: "pending",
        carrier_status: "created",
        data: { tracking_numbers: [t1, t2, t3] },
      }),
    );
    await consume([label]);
    for (const tn of [t1, t2, t3]) {
      expect(await shipment("postmen", tn)).toMatchObject({ status: "pending", last_event_id: label.id });
    }
  });

  it("a redelivered message is acked without applying anything twice", async () => {
    const tn = trackingNumber();
    const e = await stored(peddlerEvent({ tracking_number: tn, status: "delivered" }));
    await consume([e]);
    const before = await shipment("peddler", tn);
    const { batch, result } = await consume([e], {}, 2);
    expect(result.explicitAcks).toEqual([batch.messages[0]?.id]);
    expect(await shipment("peddler", tn)).toEqual(before);
    expect(await eventRow(e.id)).toMatchObject({ state: "stored", attempts: 0 });
  });

  it("a message whose event is not in D1 is acked and logged, and moves no shipment", async () => {
    const tn = trackingNumber();
    const ghost = peddlerEvent({ tracking_number: tn });
    const { result } = await consume([ghost]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(await shipment("peddler", tn)).toBeNull();
  });

  it("a body that is not an event is acked (no retry can fix it)", async () => {
    const batch = createMessageBatch<unknown>("carrier-events", [
      { id: "junk-1", timestamp: new Date(), attempts: 1, body: { hello: "world" } },
    ]);
    const ctx = createExecutionContext();
    await handleEventBatch(batch, env);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["junk-1"]);
  });
});

describe("carrier-events consumer with a failing downstream", () => {
  it("retries with exponential backoff and jitter, records the attempt, state retrying (fault: downstream unreachable)", async () => {
    const events = [await stored(peddlerEvent()), await stored(peddlerEvent()), await stored(peddlerEvent())];
    const runs = [
      { attempts: 1, min: 24, max: 36 },
      { attempts: 3, min: 96, max: 144 },
      { attempts: 9, min: 2880, max: 3600 },
    ];
    for (const [i, run] of runs.entries()) {
      const e = events[i] as NormalizedEvent;
      const { batch, result, delays } = await consume([e], { FORWARD_URL: UNREACHABLE }, run.attempts);
      expect(result.explicitAcks).toEqual([]);
      expect(result.retryMessages).toEqual([{ msgId: batch.messages[0]?.id }]);
      const delay = delays[batch.messages[0]?.id ?? ""] ?? -1;
      expect(delay).toBeGreaterThanOrEqual(run.min);
      expect(delay).toBeLessThanOrEqual(run.max);
      expect(await eventRow(e.id)).toMatchObject({ state: "retrying", attempts: 1 });
      const attempts = await attemptsOf(e.id);
      expect(attempts).toHaveLength(1);
      expect(attempts[0]).toMatchObject({ kind: "forward", http_status: null, error: expect.any(String) });
      expect(attempts[0]?.duration_ms).toBeGreaterThanOrEqual(0);
    }
  });

  it("uses FORWARD_RETRY_BASE_SECONDS as the first delay (fault: downstream unreachable)", async () => {
    const e = await stored(peddlerEvent());
    const { batch, delays } = await consume([e], { FORWARD_URL: UNREACHABLE, FORWARD_RETRY_BASE_SECONDS: "1" }, 2);
    expect(delays).toEqual({ [batch.messages[0]?.id ?? ""]: 2 });
  });

  it("counts every attempt across redeliveries (fault: downstream unreachable)", async () => {
    const e = await stored(peddlerEvent());
    await consume([e], { FORWARD_URL: UNREACHABLE }, 1);
    await consume([e], { FORWARD_URL: UNREACHABLE }, 2);
    expect(await eventRow(e.id)).toMatchObject({ state: "retrying", attempts: 2 });
    expect(await attemptsOf(e.id)).toHaveLength(2);
  });

  // Fails on the code before issue 18: the unsigned attempt was recorded as a failed forward and
  // retried, per event, until every event went dead while the destination stayed `up`.
  it("never sends unsigned: without FORWARD_SIGNING_SECRET the destination is refusing with why, the event held, no attempt spent", async () => {
    const e = await stored(peddlerEvent());
    const downstream = standInDownstream();
    const { result } = await consume(
      [e],
      { FORWARD_URL: STAND_IN_URL, FORWARD_SIGNING_SECRET: "" },
      1,
      downstream.fetch,
    );
    expect(result.retryMessages).toEqual([]);
    expect(downstream.requests).toEqual([]);
    expect(await attemptsOf(e.id)).toEqual([]);
    expect(await eventRow(e.id)).toMatchObject({ state: "held", attempts: 0 });
    expect(
      await env.DB.prepare("SELECT health, fault, last_failure_error FROM destinations WHERE no = 1").first(),
    ).toEqual({
      health: "refusing",
      fault: "no_signing_key",
      last_failure_error: expect.stringContaining("FORWARD_SIGNING_SECRET is not set"),
    });
  });

  it("forwards an event once per batch however many messages carry it (fault: downstream unreachable)", async () => {
    const e = await stored(peddlerEvent());
    const batch = createMessageBatch<unknown>("carrier-events", [
      { id: "dup-a", timestamp: new Date(), attempts: 4, body: toQueueMessage(e) },
      { id: "dup-b", timestamp: new Date(), attempts: 1, body: toQueueMessage(e) },
    ]);
    const ctx = createExecutionContext();
    await handleEventBatch(batch, { ...env, FORWARD_URL: UNREACHABLE });
    const result = await getQueueResult(batch, ctx);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(["dup-a"]);
    expect(result.explicitAcks).toEqual(["dup-b"]);
    expect(await attemptsOf(e.id)).toHaveLength(1);
  });

  it("acks a stale message for an event already delivered, stored or dead, without forwarding", async () => {
    for (const state of ["delivered", "stored", "dead"]) {
      const e = await stored(peddlerEvent());
      // Seen before, as the consumer would have left it (its deliveries done or none matched).
      await env.DB.prepare("UPDATE events SET state = ?1, seen_at = ?3 WHERE id = ?2")
        .bind(state, e.id, new Date().toISOString())
        .run();
      const { result } = await consume([e], { FORWARD_URL: UNREACHABLE }, 3);
      expect(result.explicitAcks).toHaveLength(1);
      expect(result.retryMessages).toEqual([]);
      expect(await attemptsOf(e.id)).toEqual([]);
      expect(await eventRow(e.id)).toMatchObject({ state, attempts: 0 });
    }
  });

  it("acks a message whose event is not in D1: the message holds only the id, nothing to forward", async () => {
    const ghost = peddlerEvent();
    const { result } = await consume([ghost], { FORWARD_URL: UNREACHABLE });
    expect(result.explicitAcks).toHaveLength(1);
    expect(await attemptsOf(ghost.id)).toEqual([]);
  });

  it("retries every message with a delay when D1 fails (fault: D1 throws)", async () => {
    const e = await stored(peddlerEvent());
    const failing = {
      batch: () => Promise.reject(new Error("D1 is down")),
      prepare: (sql: string) => env.DB.prepare(sql),
    } as unknown as D1Database;
    const { batch, result, delays } = await consume([e], { DB: failing });
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages).toHaveLength(1);
    expect(delays[batch.messages[0]?.id ?? ""]).toBeGreaterThanOrEqual(24);
  });
});

describe("D1 round trips", () => {
  it("a batch of 60 messages costs two round trips, as does a batch of one (fault: downstream unreachable)", async () => {
    // One failure is retried; 60 in a row mean the downstream is down: held and acked.
    for (const [size, state] of [
      [1, "retrying"],
      [60, "held"],
    ] as const) {
      const events: NormalizedEvent[] = [];
      for (let i = 0; i < size; i++) events.push(await stored(peddlerEvent({ tracking_number: trackingNumber() })));
      const counter = countRoundTrips(env.DB);
      const { result } = await consume(events, { DB: counter.db, FORWARD_URL: UNREACHABLE });
      expect(result.retryMessages.length + result.explicitAcks.length).toBe(size);
      // Two, plus the destinations' configuration when this isolate has not cached it yet.
      expect(counter.count()).toBeLessThanOrEqual(3);
      // The hold starts as soon as the streak reaches the threshold, inside the batch: the rest of
      // the 60 are held without a request.
      expect(await eventRow(events[size - 1]?.id ?? "")).toMatchObject({ state, attempts: size === 1 ? 1 : 0 });
    }
  });

  it("two round trips for 100 delivered events and for a batch held without forwarding", async () => {
    const downstream = standInDownstream();
    const events: NormalizedEvent[] = [];
    for (let i = 0; i < 100; i++) events.push(await stored(peddlerEvent({ tracking_number: trackingNumber() })));
    let counter = countRoundTrips(env.DB);
    await consume(events, { DB: counter.db, FORWARD_URL: STAND_IN_URL }, 1, downstream.fetch);
    expect(counter.count()).toBeLessThanOrEqual(3);
    expect(downstream.accepted.size).toBe(100);

    await setHealth(1, "down");
    const more = [await stored(peddlerEvent()), await stored(peddlerEvent())];
    counter = countRoundTrips(env.DB);
    await consume(more, { DB: counter.db, FORWARD_URL: STAND_IN_URL }, 1, downstream.fetch);
    expect(counter.count()).toBeLessThanOrEqual(3);
    expect(await eventRow(more[0]?.id ?? "")).toMatchObject({ state: "held" });
  });
});

describe("carrier-events-dlq consumer", () => {
  async function deadLetter(events: NormalizedEvent[]) {
    const batch = batchOf("carrier-events-dlq", events);
    const ctx = createExecutionContext();
    await handleDeadLetters(batch, env);
    return getQueueResult(batch, ctx);
  }

  it("marks a retrying event dead, logs a 'dead' attempt and acks", async () => {
    const e = await stored(peddlerEvent());
    await consume([e], { FORWARD_URL: UNREACHABLE });
    const result = await deadLetter([e]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(await eventRow(e.id)).toMatchObject({ state: "dead", attempts: 1 });
    expect((await attemptsOf(e.id)).map((a) => a.kind)).toEqual(["forward", "dead"]);
  });

  it("leaves an event delivered or stored meanwhile as it is", async () => {
    const e = await stored(peddlerEvent());
    await consume([e]);
    const result = await deadLetter([e]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(await eventRow(e.id)).toMatchObject({ state: "stored" });
    expect(await attemptsOf(e.id)).toEqual([]);
  });

  it("a replayed dead event (same id) is taken up again by the consumer", async () => {
    const e = await stored(peddlerEvent());
    await consume([e], { FORWARD_URL: UNREACHABLE });
    await deadLetter([e]);
    expect(await eventRow(e.id)).toMatchObject({ state: "dead" });
    // The operator API's replay, onto a paused queue: the test hands its message to the consumer.
    const queue = pausedQueue();
    await replayEvents({ ...env, EVENTS_QUEUE: queue }, [e.id]);
    const { result } = await consumeMessages(queue.messages as QueueMessage[]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(await eventRow(e.id)).toMatchObject({ state: "stored", seen_at: expect.any(String) });
  });

  it("retries the batch later when D1 fails (fault: D1 throws)", async () => {
    const e = await stored(peddlerEvent());
    const batch = batchOf("carrier-events-dlq", [e]);
    const delays = spyOnDelays(batch);
    const ctx = createExecutionContext();
    const failing = { batch: () => Promise.reject(new Error("D1 is down")), prepare: (s: string) => env.DB.prepare(s) };
    await handleDeadLetters(batch, { ...env, DB: failing as unknown as D1Database });
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages).toEqual([{ msgId: batch.messages[0]?.id }]);
    expect(delays()).toEqual({ [batch.messages[0]?.id ?? ""]: 60 });
  });
});

describe("the Worker's queue handler", () => {
  it("dispatches carrier-events and carrier-events-dlq to their consumers", async () => {
    const e = await stored(peddlerEvent());
    await worker.queue(batchOf("carrier-events", [e]) as MessageBatch<QueueMessage>, env, createExecutionContext());
    expect(await eventRow(e.id)).toMatchObject({ state: "stored" });
    const f = await stored(peddlerEvent());
    await consume([f], { FORWARD_URL: UNREACHABLE });
    await worker.queue(batchOf("carrier-events-dlq", [f]) as MessageBatch<QueueMessage>, env, createExecutionContext());
    expect(await eventRow(f.id)).toMatchObject({ state: "dead" });
  });

  it("refuses a queue it does not know", async () => {
    await expect(
      worker.queue(
        batchOf("other-queue", [peddlerEvent()]) as MessageBatch<QueueMessage>,
        env,
        createExecutionContext(),
      ),
    ).rejects.toThrow("no consumer for queue other-queue");
  });
});

describe("hold: a downstream that is down as a whole", () => {
  it(`${HOLD_AFTER_FAILURES} failed forwards in a row across batches: the last batch's events are held and acked (fault: downstream answers 503)`, async () => {
    const downstream = standInDownstream();
    downstream.setMode("down");
    const vars = { FORWARD_URL: STAND_IN_URL };
    const first: NormalizedEvent[] = [];
    for (let i = 0; i < HOLD_AFTER_FAILURES - 1; i++) {
      const e = await stored(peddlerEvent());
      first.push(e);
      const { result } = await consume([e], vars, 1, downstream.fetch);
      expect(result.retryMessages).toHaveLength(1);
    }
    const last = await stored(peddlerEvent());
    const { result } = await consume([last], vars, 1, downstream.fetch);
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(await eventRow(last.id)).toMatchObject({ state: "held", attempts: 1 });
    expect(
      await env.DB.prepare("SELECT health, failures, down_since FROM destinations WHERE no = 1").first(),
    ).toMatchObject({
      health: "down",
      failures: HOLD_AFTER_FAILURES,
      down_since: expect.any(String),
    });

    // While down, no retry is spent: the next messages (a retry of an earlier event, a new event)
    // are held at once, with no request sent.
    const sent = downstream.requests.length;
    const fresh = await stored(peddlerEvent());
    const after = await consume([first[0] as NormalizedEvent, fresh], vars, 2, downstream.fetch);
    expect(after.result.explicitAcks).toHaveLength(2);
    expect(downstream.requests.length).toBe(sent);
    expect(await eventRow(fresh.id)).toMatchObject({ state: "held", attempts: 0 });
    expect(await eventRow(first[0]?.id ?? "")).toMatchObject({ state: "held", attempts: 1 });
  });

  it("an event refused one by one while others are accepted is retried, not held, and goes dead after its budget (fault: downstream refuses one event)", async () => {
    const downstream = standInDownstream();
    const vars = { FORWARD_URL: STAND_IN_URL };
    const bad = await stored(peddlerEvent());
    downstream.refuse.add(bad.id);
    for (let attempt = 1; attempt < RETRY_BUDGET; attempt++) {
      const good = await stored(peddlerEvent());
      const { result } = await consume([bad, good], vars, attempt, downstream.fetch);
      expect(result.retryMessages).toHaveLength(1);
      expect(await eventRow(good.id)).toMatchObject({ state: "delivered" });
    }
    expect(await eventRow(bad.id)).toMatchObject({ state: "retrying", attempts: RETRY_BUDGET - 1 });
    // The last attempt of its budget: dead at once, by the consumer (no dead letter needed).
    const { result } = await consume([bad], vars, RETRY_BUDGET, downstream.fetch);
    expect(result.retryMessages).toEqual([]);
    expect(await eventRow(bad.id)).toMatchObject({ state: "dead", attempts: RETRY_BUDGET });
    expect(await env.DB.prepare("SELECT health, failures FROM destinations WHERE no = 1").first()).toEqual({
      health: "up",
      failures: 0,
    });
  });

  it("a dead letter that arrives while the downstream is down is held, not dead", async () => {
    const e = await stored(peddlerEvent());
    await consume([e], { FORWARD_URL: UNREACHABLE });
    await setHealth(1, "down");
    await handleDeadLetters(batchOf("carrier-events-dlq", [e]), env);
    expect(await eventRow(e.id)).toMatchObject({ state: "held" });
    expect((await attemptsOf(e.id)).map((a) => a.kind)).toEqual(["forward"]);
  });
});

describe("forwarding within the runtime's connections", () => {
  it("100 events to a downstream answering in 2 s, real 15 s timeout: at most 6 in flight, no timeout recorded", {
    timeout: 90_000,
  }, async () => {
    // The stand-in queues a 7th request behind 6 open ones as the runtime does, its timer
    // running: without the consumer's own limit, the last ones would time out.
    const downstream = standInDownstream({ latencyMs: 2000 });
    const events: NormalizedEvent[] = [];
    for (let i = 0; i < 100; i++) events.push(await stored(peddlerEvent({ tracking_number: trackingNumber() })));
    const { result } = await consume(events, { FORWARD_URL: STAND_IN_URL }, 1, downstream.fetch);
    expect(result.explicitAcks).toHaveLength(100);
    expect(downstream.maxInFlight()).toBe(6);
    const { results } = await env.DB.prepare(
      `SELECT count(*) AS n, max(duration_ms) AS longest, sum(error IS NOT NULL) AS failed FROM event_attempts
         WHERE event_seq IN (SELECT seq FROM events WHERE id IN (SELECT value FROM json_each(?1)))`,
    )
      .bind(JSON.stringify(events.map((e) => e.id)))
      .all<{ n: number; longest: number; failed: number }>();
    expect(results[0]).toMatchObject({ n: 100, failed: 0 });
    // Each timer started when its request went out: no attempt waited its turn on the clock.
    expect(results[0]?.longest).toBeLessThan(5000);
  });
});

describe("an event of any accepted size", () => {
  it("a 140 KB UTF-8 event travels as its id and is forwarded whole, as D1 holds it", async () => {
    const reason = "ą".repeat(70_000);
    const e = await stored(peddlerEvent({ reason, status: "delivery_failed" }));
    const message = toQueueMessage(e);
    expect(new TextEncoder().encode(JSON.stringify(message)).byteLength).toBeLessThan(200);
    // The real queue takes the message.
    await env.EVENTS_QUEUE.send(message, { contentType: "json" });
    const downstream = standInDownstream();
    await consume([e], { FORWARD_URL: STAND_IN_URL }, 1, downstream.fetch);
    const body = downstream.bodies.get(e.id) ?? "";
    expect(new TextEncoder().encode(body).byteLength).toBeGreaterThan(140_000);
    expect(JSON.parse(body)).toEqual(e);
    expect(await eventRow(e.id)).toMatchObject({ state: "delivered" });
  });
});

describe("a stored row that cannot be decoded (fault: its data BLOB is broken in D1)", () => {
  it("is logged with why and acked, and the rest of its batch is forwarded, not retried", async () => {
    const downstream = standInDownstream();
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const fine = await stored(peddlerEvent({ tracking_number: trackingNumber() }));
    const broken = await stored(peddlerEvent({ tracking_number: trackingNumber() }));
    await env.DB.prepare("UPDATE events SET data = X'0105FFFFFF' WHERE id = ?1").bind(broken.id).run();
    const { batch, result } = await consume([fine, broken], { FORWARD_URL: STAND_IN_URL }, 1, downstream.fetch);
    const logged = errors.mock.calls.map((c) => String(c[0])).find((l) => l.includes("consumer_event_undecodable"));
    errors.mockRestore();
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks.sort()).toEqual(batch.messages.map((m) => m.id).sort());
    expect(downstream.accepted.get(fine.id)).toBe(1);
    expect(downstream.requests).not.toContain(broken.id);
    expect(JSON.parse(logged ?? "{}")).toMatchObject({ event_id: broken.id, error: expect.stringMatching(/\w/) });
  });

  // Fails on the code before issue 18: round trip 1 had marked it seen, so it stayed `queued`
  // forever, never re-sent, never alerted.
  it("stays unseen and queued: the sweep re-sends it, delivery_stalled names it, and a consumer that can decode it forwards it", async () => {
    const downstream = standInDownstream();
    vi.spyOn(console, "error").mockImplementation(() => {});
    const e = await stored(peddlerEvent({ tracking_number: trackingNumber() }));
    const { data } = (await env.DB.prepare("SELECT data FROM events WHERE id = ?1").bind(e.id).first<{
      data: ArrayBuffer;
    }>()) as { data: ArrayBuffer };
    await env.DB.prepare("UPDATE events SET data = X'0105FFFFFF' WHERE id = ?1").bind(e.id).run();
    await consume([e], { FORWARD_URL: STAND_IN_URL }, 1, downstream.fetch);
    vi.restoreAllMocks();
    expect(await env.DB.prepare("SELECT seen_at, state FROM events WHERE id = ?1").bind(e.id).first()).toEqual({
      seen_at: null,
      state: "queued",
    });
    const later = new Date(Date.now() + 16 * 60_000);
    const stalled = await stalledDeliveryQuery(env.DB, new Date(later.getTime() - 15 * 60_000).toISOString()).first<{
      waiting: number;
    }>();
    expect(stalled?.waiting).toBeGreaterThanOrEqual(1);
    const queue = pausedQueue();
    await sweepUnqueued({ ...env, EVENTS_QUEUE: queue }, later);
    expect(queue.messages).toContainEqual(expect.objectContaining({ id: e.id }));

    // The row decodes again (a consumer that knows its format): the sweep's message forwards it.
    await env.DB.prepare("UPDATE events SET data = ?2 WHERE id = ?1").bind(e.id, data).run();
    await consumeMessages(
      queue.messages.filter((m) => (m as QueueMessage).id === e.id) as QueueMessage[],
      { FORWARD_URL: STAND_IN_URL },
      downstream.fetch,
    );
    expect(downstream.accepted.get(e.id)).toBe(1);
    expect(await eventRow(e.id)).toMatchObject({ state: "delivered" });
  });
});
