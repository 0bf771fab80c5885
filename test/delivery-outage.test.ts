import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { handleEventBatch } from "../src/consumer/handle-event-batch";
import { catchUpHeld } from "../src/delivery";
import { storeEvent } from "../src/delivery/db/store-event";
import { newEventId } from "../src/events/new-event-id";
import type { NormalizedEvent } from "../src/events/normalized-event";
import type { QueueMessage } from "../src/events/to-queue-message";
import { resetDownstream, STAND_IN_URL, standInDownstream } from "./helpers/downstream";
import { pausedQueue } from "./helpers/paused-queue";

// A destination down for longer than the whole retry budget (about 4 hours): the outage's
// deliveries are held without spending retries, and the cron's catch-up delivers each once when
// it is back. The queue's consumer is paused (fault binding) so the test hands each message, the
// catch-up's probes included, to the consumer.

const vars = { FORWARD_URL: STAND_IN_URL };
let seq = 0;

async function stored(receivedAt: Date): Promise<NormalizedEvent> {
  const event: NormalizedEvent = {
    id: newEventId(receivedAt.getTime()),
    carrier: "inpost",
    type: "shipment.status_changed",
    occurred_at: receivedAt.toISOString(),
    received_at: receivedAt.toISOString(),
    tracking_number: `OUT${Date.now()}${++seq}`,
    carrier_reference: null,
    status: "in_transit",
    carrier_status: "adopted_at_sorting_center",
    reason: null,
    data: {},
  };
  await storeEvent(env.DB, {
    event,
    dedupeKey: `inpost:${event.id}`,
    rawBody: "{}",
    requestUrl: "https://parcelhook.test/webhooks/inpost",
  });
  return event;
}

async function consume(bodies: unknown[], downstream: { fetch: typeof fetch }, attempts = 1, over: Partial<Env> = {}) {
  const batch = createMessageBatch<unknown>(
    "carrier-events",
    bodies.map((body, i) => ({ id: `m-${++seq}-${i}`, timestamp: new Date(), attempts, body })),
  );
  const ctx = createExecutionContext();
  await handleEventBatch(batch, { ...env, ...vars, ...over }, downstream.fetch);
  return getQueueResult(batch, ctx);
}

async function states(ids: string[]): Promise<Record<string, number>> {
  const { results } = await env.DB.prepare(
    "SELECT state, count(*) AS n FROM events WHERE id IN (SELECT value FROM json_each(?1)) GROUP BY state",
  )
    .bind(JSON.stringify(ids))
    .all<{ state: string; n: number }>();
  return Object.fromEntries(results.map((r) => [r.state, r.n]));
}

const health = () =>
  env.DB.prepare("SELECT health, failures, down_since FROM destinations WHERE no = 1").first<{
    health: string;
    failures: number;
    down_since: string | null;
  }>();

beforeEach(async () => {
  await resetDownstream();
  // Tests in a file share D1: earlier held deliveries would be probed too.
  await env.DB.prepare("UPDATE deliveries SET state = 4 WHERE state = 3").run();
});

describe("hold and catch-up (fault: downstream unreachable, then back; queue consumer paused)", () => {
  it("an outage longer than the retry budget ends with every event delivered once, none dead, no operator", async () => {
    const downstream = standInDownstream();
    downstream.setMode("unreachable");
    const t0 = new Date();
    const events: NormalizedEvent[] = [];
    for (let i = 0; i < 12; i++) events.push(await stored(new Date(t0.getTime() - 12_000 + i * 1000)));
    const ids = events.map((e) => e.id);
    const messages = events.map((e) => ({ id: e.id, carrier: e.carrier }));

    // The first batch fails as a whole: the destination is down, its deliveries held and acked.
    const first = await consume(messages.slice(0, 8), downstream);
    expect(first.retryMessages).toEqual([]);
    // Later ones during the outage (a retry of one already held, new ones) are held unsent.
    const sentBefore = downstream.requests.length;
    const second = await consume([...messages.slice(8), messages[0]], downstream, 2);
    expect(second.retryMessages).toEqual([]);
    expect(downstream.requests.length).toBe(sentBefore);
    expect(await states(ids)).toEqual({ held: 12 });

    // Hours pass, past every retry delay. Each cron run sends one probe, which the consumer
    // forwards with its own settings: still down.
    const queue = pausedQueue();
    const cronEnv = { ...env, EVENTS_QUEUE: queue };
    const probed: string[] = [];
    for (let h = 1; h <= 5; h++) {
      const run = await catchUpHeld(cronEnv, new Date(t0.getTime() + h * 3600_000));
      expect(run).toMatchObject({ probes: 1, requeued: 0 });
      const probes = queue.messages.splice(0) as QueueMessage[];
      expect(probes).toEqual([expect.objectContaining({ d: 1, p: 1 })]);
      probed.push(...probes.map((p) => p.id));
      await consume(probes, downstream);
    }
    expect(await states(ids)).toEqual({ held: 12 });
    // Oldest first, and a failed probe moves on to the next held delivery.
    expect(new Set(probed).size).toBe(5);

    // Back: the probe's 2xx delivers it and marks the destination up; the next run re-queues
    // the rest, oldest first.
    downstream.setMode("ok");
    await catchUpHeld(cronEnv, new Date(t0.getTime() + 6 * 3600_000));
    const probe = queue.messages.splice(0) as QueueMessage[];
    await consume(probe, downstream);
    expect(await health()).toEqual({ health: "up", failures: 0, down_since: null });
    const back = await catchUpHeld(cronEnv, new Date(t0.getTime() + 6 * 3600_000 + 60_000));
    expect(back).toMatchObject({ probes: 0, requeued: 11 });
    const requeued = (queue.messages as QueueMessage[]).map((m) => m.id);
    expect(requeued).toEqual(ids.filter((id) => id !== probe[0]?.id));

    const delivered = await consume(queue.messages, downstream);
    expect(delivered.retryMessages).toEqual([]);
    expect(await states(ids)).toEqual({ delivered: 12 });
    for (const id of ids) expect(downstream.accepted.get(id)).toBe(1);
    const dead = await env.DB.prepare("SELECT count(*) AS n FROM event_attempts WHERE kind = 'dead'").first();
    expect(dead).toEqual({ n: 0 });

    // Nothing left held: the next run neither probes nor queues.
    queue.messages.splice(0);
    expect(await catchUpHeld(cronEnv, new Date(t0.getTime() + 7 * 3600_000))).toMatchObject({
      probes: 0,
      requeued: 0,
    });
    expect(queue.messages).toEqual([]);
  });

  // Fails on the code before destinations: a probe answered 422 ended the outage and re-queued
  // every held event into a destination that was still down.
  it("a 4xx to the probe during an outage does not end the hold: only a 2xx does (fault: downstream refuses the probe)", async () => {
    const downstream = standInDownstream();
    downstream.setMode("down");
    const t0 = new Date();
    const events: NormalizedEvent[] = [];
    for (let i = 0; i < 6; i++) events.push(await stored(new Date(t0.getTime() - 60_000 + i * 1000)));
    await consume(
      events.map((e) => ({ id: e.id, carrier: e.carrier })),
      downstream,
    );
    expect(await states(events.map((e) => e.id))).toEqual({ held: 6 });

    downstream.setMode("ok");
    for (const e of events) downstream.refuse.add(e.id);
    const queue = pausedQueue();
    await catchUpHeld({ ...env, EVENTS_QUEUE: queue }, new Date(t0.getTime() + 3600_000));
    await consume(queue.messages.splice(0), downstream);
    expect(await health()).toMatchObject({ health: "down" });
    const run = await catchUpHeld({ ...env, EVENTS_QUEUE: queue }, new Date(t0.getTime() + 7200_000));
    expect(run).toMatchObject({ requeued: 0 });
    expect(await states(events.map((e) => e.id))).toEqual({ held: 6 });
  });

  // Fails on the code before destinations: the catch-up probed with the Hono app's settings, so
  // an app without FORWARD_URL marked the downstream up every minute without any probe and
  // re-queued its held events into it.
  it("the catch-up probes with the forwarding Worker's settings: an app without FORWARD_URL still only probes", async () => {
    const downstream = standInDownstream();
    downstream.setMode("down");
    const t0 = new Date();
    const events: NormalizedEvent[] = [];
    for (let i = 0; i < 6; i++) events.push(await stored(new Date(t0.getTime() - 60_000 + i * 1000)));
    await consume(
      events.map((e) => ({ id: e.id, carrier: e.carrier })),
      downstream,
    );
    const queue = pausedQueue();
    // The app's env has neither FORWARD_URL nor a signing secret.
    const app = { ...env, EVENTS_QUEUE: queue, FORWARD_URL: "", FORWARD_SIGNING_SECRET: "" };
    const run = await catchUpHeld(app, new Date(t0.getTime() + 3600_000));
    expect(run).toMatchObject({ probes: 1, requeued: 0 });
    expect(await health()).toMatchObject({ health: "down" });
    expect(await states(events.map((e) => e.id))).toEqual({ held: 6 });
    // The consumer, which has both, sends the probe; the destination is back.
    downstream.setMode("ok");
    await consume(queue.messages.splice(0), downstream);
    expect(await health()).toMatchObject({ health: "up" });
  });
});
