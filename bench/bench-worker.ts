// The benchmark Worker (config: bench/wrangler.bench.toml): the real receiver, plus two routes that
// must never ship: a bare 200 (the runtime's floor) and one doing only the hot path's I/O (the
// same D1 statement and queue send, no checks). Every D1 round trip is counted, per webhook request
// and per queue batch. Never deployed, never imported by src/.
import { countRoundTrips } from "../src/consumer/count-round-trips";
import consumer from "../src/consumer-worker";
import { storeEvent } from "../src/delivery/db/store-event";
import { newEventId } from "../src/events/new-event-id";
import type { NormalizedEvent } from "../src/events/normalized-event";
import { toQueueMessage } from "../src/events/to-queue-message";
import receiver from "../src/index";

const worker = receiver as ExportedHandler<Env, NormalizedEvent>;

const counters = { requests: 0, requestTrips: 0, batches: 0, messages: 0, batchTrips: 0, batchSizes: [] as number[] };

function counted(env: Env): { env: Env; trips: () => number } {
  const { db, count } = countRoundTrips(env.DB);
  return { env: { ...env, DB: db }, trips: count };
}

/** The hot path's I/O and nothing else: read the body, one D1 upsert, one queue send. */
async function ioOnly(request: Request, env: Env): Promise<Response> {
  const rawBody = await request.text();
  const id = newEventId();
  const event: NormalizedEvent = {
    id,
    carrier: "peddler",
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
  const stored = await storeEvent(env.DB, { event, dedupeKey: `bench:${id}`, rawBody, requestUrl: request.url });
  await env.EVENTS_QUEUE.send(toQueueMessage(event), { contentType: "json" });
  return Response.json({ status: "accepted", event_id: stored.eventId });
}

export default {
  async fetch(request, env, ctx) {
    const { pathname } = new URL(request.url);
    if (pathname === "/__bench/bare")
      return new Response('{"status":"ok"}', { headers: { "content-type": "application/json" } });
    if (pathname === "/__bench/io") return ioOnly(request, env);
    if (pathname === "/__bench/counters") {
      if (request.method === "POST")
        Object.assign(counters, {
          requests: 0,
          requestTrips: 0,
          batches: 0,
          messages: 0,
          batchTrips: 0,
          batchSizes: [],
        });
      return Response.json(counters);
    }
    const c = counted(env);
    const res = await (worker.fetch as NonNullable<typeof worker.fetch>)(request, c.env, ctx);
    if (pathname.startsWith("/webhooks/")) {
      counters.requests++;
      counters.requestTrips += c.trips();
    }
    return res;
  },
  async queue(batch, env, ctx) {
    const c = counted(env);
    try {
      await consumer.queue(batch, c.env, ctx);
    } finally {
      if (batch.queue === "carrier-events") {
        counters.batches++;
        counters.messages += batch.messages.length;
        counters.batchTrips += c.trips();
        counters.batchSizes.push(batch.messages.length);
      }
    }
  },
  async scheduled(controller, env, ctx) {
    return (worker.scheduled as NonNullable<typeof worker.scheduled>)(controller, env, ctx);
  },
} satisfies ExportedHandler<Env, NormalizedEvent>;
