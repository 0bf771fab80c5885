// The benchmark Worker, run in workerd by bench/node/start-bench-worker.ts: the real Hono app and
// the real queue consumer, plus routes that must never ship: a bare 200 (the runtime's floor), one
// doing only the hot path's I/O (the same D1 statement and queue send, no checks), and a loop of the
// hot path's insert. Every D1 round trip is counted: per webhook request (with its background work,
// so a rejected request's share of the rejection flushes is counted too) and per queue batch. Never
// deployed, never imported by src/.

import { CARRIERS } from "../src/carriers";
import { countRoundTrips } from "../src/consumer/count-round-trips";
import consumer from "../src/consumer-worker";
import { storeEvent } from "../src/delivery/db/store-event";
import { newEventId } from "../src/events/new-event-id";
import type { NormalizedEvent } from "../src/events/normalized-event";
import { toQueueMessage } from "../src/events/to-queue-message";
import receiver from "../src/index";

const app = receiver as ExportedHandler<Env, unknown>;

const fresh = () => ({
  requests: 0,
  requestTrips: 0,
  rejected: 0,
  batches: 0,
  messages: 0,
  batchTrips: 0,
  batchSizes: [] as number[],
});
let counters = fresh();
// A rejected request's D1 work happens after its answer (the rejection flush, in waitUntil), so its
// counter is read when the totals are asked for, not when the answer leaves.
let rejectedTrips: (() => number)[] = [];

function counted(env: Env): { env: Env; trips: () => number } {
  const { db, count } = countRoundTrips(env.DB);
  return { env: { ...env, DB: db }, trips: count };
}

// The queue handler keeps one counted env per isolate, as production keeps one env: the consumer's
// per-isolate caches (the destinations' configuration) live as long as it does. Each batch's
// trips are the counter's difference.
const queueEnvs = new WeakMap<Env, { env: Env; trips: () => number }>();
function countedForQueue(env: Env): { env: Env; trips: () => number } {
  let c = queueEnvs.get(env);
  if (!c) {
    c = counted(env);
    queueEnvs.set(env, c);
  }
  const from = c.trips();
  const total = c.trips;
  return { env: c.env, trips: () => total() - from };
}

function benchEvent(id: string): NormalizedEvent {
  return {
    id,
    carrier: CARRIERS[0],
    type: "shipment.status_changed",
    occurred_at: "2024-09-02T13:08:06.574Z",
    received_at: new Date().toISOString(),
    tracking_number: "P199684830307745678",
    carrier_reference: "fx6_ZSWp0RDc24csBqOj9",
    status: "delivered",
    carrier_status: "DELIVERED",
    reason: null,
    data: { code: 500 },
  };
}

/** The hot path's I/O and nothing else: read the body, one D1 upsert, one queue send. */
async function ioOnly(request: Request, env: Env): Promise<Response> {
  const rawBody = await request.text();
  const event = benchEvent(newEventId());
  const stored = await storeEvent(env.DB, {
    event,
    dedupeKey: `bench:${event.id}`,
    rawBody,
    requestUrl: request.url,
  });
  await env.EVENTS_QUEUE.send(toQueueMessage(event), { contentType: "json" });
  return Response.json({ status: "accepted", event_id: stored.eventId });
}

/** The hot path's insert, `n` times one after another: D1 statements per second on this machine. */
async function insertLoop(request: Request, env: Env): Promise<Response> {
  const n = Number(new URL(request.url).searchParams.get("n") ?? "500");
  const rawBody = await request.text();
  // Clocks in workerd move only across I/O, which every insert is.
  const started = Date.now();
  for (let i = 0; i < n; i++) {
    const event = benchEvent(newEventId());
    await storeEvent(env.DB, { event, dedupeKey: `loop:${event.id}`, rawBody, requestUrl: request.url });
  }
  return Response.json({ n, ms: Date.now() - started });
}

export default {
  async fetch(request, env, ctx) {
    const { pathname } = new URL(request.url);
    if (pathname === "/__bench/bare")
      return new Response('{"status":"ok"}', { headers: { "content-type": "application/json" } });
    if (pathname === "/__bench/io") return ioOnly(request, env);
    if (pathname === "/__bench/insert-loop") return insertLoop(request, env);
    if (pathname === "/__bench/sql" && request.method === "POST") {
      // Setup rows the destinations API would write (until it is merged), and clean-up.
      const { sql, params } = (await request.json()) as { sql: string; params?: unknown[] };
      return Response.json(
        await env.DB.prepare(sql)
          .bind(...(params ?? []))
          .all(),
      );
    }
    if (pathname === "/__bench/counters") {
      if (request.method === "POST") {
        counters = fresh();
        rejectedTrips = [];
      }
      return Response.json({ ...counters, rejectedTrips: rejectedTrips.reduce((n, trips) => n + trips(), 0) });
    }
    const c = counted(env);
    const res = await (app.fetch as NonNullable<typeof app.fetch>)(request, c.env, ctx);
    if (pathname.startsWith("/webhooks/")) {
      if (res.status >= 400) {
        counters.rejected++;
        rejectedTrips.push(c.trips);
      } else {
        counters.requests++;
        counters.requestTrips += c.trips();
      }
    }
    return res;
  },
  async queue(batch, env, ctx) {
    const c = countedForQueue(env);
    try {
      await (consumer.queue as NonNullable<typeof consumer.queue>)(batch, c.env, ctx);
    } finally {
      if (!batch.queue.endsWith("-dlq")) {
        counters.batches++;
        counters.messages += batch.messages.length;
        counters.batchTrips += c.trips();
        counters.batchSizes.push(batch.messages.length);
      }
    }
  },
} satisfies ExportedHandler<Env, unknown>;
