import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { handleEventBatch } from "../src/consumer/handle-event-batch";
import { catchUpHeld } from "../src/delivery";
import { storeEvent } from "../src/delivery/db/store-event";
import { newEventId } from "../src/events/new-event-id";
import type { NormalizedEvent } from "../src/events/normalized-event";
import type { QueueMessage } from "../src/events/to-queue-message";
import { resetDownstream, STAND_IN_URL, standInDownstream } from "./helpers/downstream";
import { pausedQueue } from "./helpers/paused-queue";

// A downstream down for longer than the whole retry budget (about 4 hours): the outage's events
// are held without spending retries, and the cron's catch-up delivers each once when it is back.
// The queue's consumer is paused (fault binding) so the test hands each message to the consumer.

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

async function consume(bodies: unknown[], downstream: { fetch: typeof fetch }, attempts = 1) {
  const batch = createMessageBatch<unknown>(
    "carrier-events",
    bodies.map((body, i) => ({ id: `m-${seq}-${i}`, timestamp: new Date(), attempts, body })),
  );
  const ctx = createExecutionContext();
  await handleEventBatch(batch, { ...env, ...vars }, downstream.fetch);
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

beforeAll(resetDownstream);

describe("hold and catch-up (fault: downstream unreachable, then back; queue consumer paused)", () => {
  it("an outage longer than the retry budget ends with every event delivered once, none dead, no operator", async () => {
    const downstream = standInDownstream();
    downstream.setMode("unreachable");
    const t0 = new Date();
    const events: NormalizedEvent[] = [];
    for (let i = 0; i < 12; i++) events.push(await stored(new Date(t0.getTime() - 12_000 + i * 1000)));
    const ids = events.map((e) => e.id);
    const messages = events.map((e) => ({ id: e.id, carrier: e.carrier }));

    // The first batch fails as a whole: the downstream is down, its events held and acked.
    const first = await consume(messages.slice(0, 8), downstream);
    expect(first.retryMessages).toEqual([]);
    // Later ones during the outage (a retry of one already held, new ones) are held unsent.
    const sentBefore = downstream.requests.length;
    const second = await consume([...messages.slice(8), messages[0]], downstream, 2);
    expect(second.retryMessages).toEqual([]);
    expect(downstream.requests.length).toBe(sentBefore);
    expect(await states(ids)).toEqual({ held: 12 });

    // Hours pass, past every retry delay. Each cron run probes with one held event, still down.
    const queue = pausedQueue();
    const cronEnv = { ...env, ...vars, EVENTS_QUEUE: queue };
    const probed: string[] = [];
    for (let h = 1; h <= 5; h++) {
      const before = downstream.requests.length;
      const run = await catchUpHeld(cronEnv, new Date(t0.getTime() + h * 3600_000), downstream.fetch);
      expect(run).toEqual({ probe: "failed", requeued: 0 });
      probed.push(...downstream.requests.slice(before));
    }
    expect(queue.messages).toEqual([]);
    expect(await states(ids)).toEqual({ held: 12 });
    // Oldest first, and a failed probe moves on to the next held event.
    expect(new Set(probed).size).toBe(5);

    // Back: the probe's 2xx delivers it and the rest are re-queued, oldest first.
    downstream.setMode("ok");
    const back = await catchUpHeld(cronEnv, new Date(t0.getTime() + 6 * 3600_000), downstream.fetch);
    expect(back).toEqual({ probe: "ok", requeued: 11 });
    const requeued = (queue.messages as QueueMessage[]).map((m) => m.id);
    const probe = downstream.requests.at(-1);
    expect(requeued).toEqual(ids.filter((id) => id !== probe));
    expect(await env.DB.prepare("SELECT failures, down_since FROM downstream").first()).toEqual({
      failures: 0,
      down_since: null,
    });

    const delivered = await consume(queue.messages, downstream);
    expect(delivered.retryMessages).toEqual([]);
    expect(await states(ids)).toEqual({ delivered: 12 });
    for (const id of ids) expect(downstream.accepted.get(id)).toBe(1);
    const dead = await env.DB.prepare("SELECT count(*) AS n FROM event_attempts WHERE kind = 'dead'").first();
    expect(dead).toEqual({ n: 0 });

    // Nothing left held: the next run neither probes nor queues.
    expect(await catchUpHeld(cronEnv, new Date(t0.getTime() + 7 * 3600_000), downstream.fetch)).toEqual({
      probe: "none",
      requeued: 0,
    });
  });

  it("a probe whose one event is refused (422) still ends the outage: every held event is re-queued", async () => {
    await resetDownstream();
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
    const run = await catchUpHeld(
      { ...env, ...vars, EVENTS_QUEUE: queue },
      new Date(t0.getTime() + 3600_000),
      downstream.fetch,
    );
    expect(run).toEqual({ probe: "failed", requeued: 6 });
    expect(await states(events.map((e) => e.id))).toEqual({ queued: 6 });
    expect(await env.DB.prepare("SELECT down_since FROM downstream").first()).toEqual({ down_since: null });
  });
});
