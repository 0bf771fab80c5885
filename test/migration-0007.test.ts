import { applyD1Migrations, createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { handleEventBatch } from "../src/consumer/handle-event-batch";
import { catchUpHeld } from "../src/delivery";
import { storeEvent } from "../src/delivery/db/store-event";
import { stateOfCode } from "../src/delivery/delivery-state";
import { newEventId } from "../src/events/new-event-id";
import type { NormalizedEvent } from "../src/events/normalized-event";
import type { QueueMessage } from "../src/events/to-queue-message";
import { STAND_IN_URL, standInDownstream } from "./helpers/downstream";
import { pausedQueue } from "./helpers/paused-queue";

// Migration 0007 moves per-event delivery state into per-delivery rows for `default`. This file
// starts from the schema before it (0001-0006 only), writes rows the way the previous code did
// (its receiver insert, which is unchanged, and its consumer's and dead-letter consumer's SQL,
// copied from commit 2ec4e13), applies 0007, and checks nothing is lost or sent again.

const before = env.TEST_MIGRATIONS.filter((m) => m.name < "0007");

async function schemaBefore0007(): Promise<void> {
  const { results } = await env.DB.prepare(
    "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND type IN ('table', 'trigger')",
  ).all<{ type: string; name: string }>();
  await env.DB.batch(results.map((r) => env.DB.prepare(`DROP ${r.type.toUpperCase()} IF EXISTS "${r.name}"`)));
  await applyD1Migrations(env.DB, before);
}

/** The previous code's consumer transition (src/delivery/db/settle.ts at 2ec4e13), verbatim but for the names. */
function oldSettle(to: string, ids: string[], attempts: number, at: string) {
  return env.DB.prepare(
    `UPDATE events SET state = '${to}', attempts = events.attempts + c.attempts, updated_at = ?2
     FROM (SELECT json_extract(value, '$.id') AS id, json_extract(value, '$.attempts') AS attempts
           FROM json_each(?1)) AS c
     WHERE events.id = c.id`,
  ).bind(JSON.stringify(ids.map((id) => ({ id, attempts }))), at);
}

async function received(): Promise<NormalizedEvent> {
  const at = new Date(Date.now() - 3600_000).toISOString();
  const e: NormalizedEvent = {
    id: newEventId(),
    carrier: "peddler",
    type: "shipment.status_changed",
    occurred_at: at,
    received_at: at,
    tracking_number: `MIG${Math.random()}`,
    carrier_reference: null,
    status: "in_transit",
    carrier_status: "x",
    reason: null,
    data: {},
  };
  await storeEvent(env.DB, { event: e, dedupeKey: `peddler:${e.id}`, rawBody: "{}", requestUrl: "https://p.test/" });
  return e;
}

describe("migration 0007 (rows written by the previous code)", () => {
  it("moves each event's state and attempts to default's delivery, default's health from downstream, and sends nothing twice", async () => {
    await schemaBefore0007();
    const at = new Date(Date.now() - 1800_000).toISOString();
    const delivered = await received();
    const retrying = await received();
    const dead = await received();
    const held1 = await received();
    const held2 = await received();
    const stored = await received();
    const unseen = await received();
    const seen = (ids: string[]) =>
      env.DB.prepare("UPDATE events SET seen_at = ?2 WHERE id IN (SELECT value FROM json_each(?1))").bind(
        JSON.stringify(ids),
        at,
      );
    const forwardRow = (id: string) =>
      env.DB.prepare(
        "INSERT INTO event_attempts (event_id, attempted_at, kind, http_status, duration_ms) VALUES (?1, ?2, 'forward', 503, 5)",
      ).bind(id, at);
    await env.DB.batch([
      seen([delivered, retrying, dead, held1, held2, stored].map((e) => e.id)),
      oldSettle("delivered", [delivered.id], 1, at),
      oldSettle("retrying", [retrying.id], 3, at),
      oldSettle("dead", [dead.id], 10, at),
      oldSettle("held", [held1.id, held2.id], 2, at),
      oldSettle("stored", [stored.id], 0, at),
      forwardRow(retrying.id),
      forwardRow(dead.id),
      env.DB.prepare(
        "INSERT INTO event_attempts (event_id, attempted_at, kind, error) VALUES (?1, ?2, 'dead', 'retries exhausted')",
      ).bind(dead.id, at),
      env.DB.prepare("UPDATE downstream SET failures = 5, down_since = ?1 WHERE id = 1").bind(at),
    ]);

    await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);

    const { results } = await env.DB.prepare(
      `SELECT e.id, d.destination_no, d.state, d.attempts, d.gen FROM deliveries d JOIN events e ON e.seq = d.event_seq`,
    ).all<{ id: string; destination_no: number; state: number; attempts: number; gen: number }>();
    const moved = Object.fromEntries(results.map((r) => [r.id, { ...r, state: stateOfCode(r.state) }]));
    expect(Object.keys(moved).sort()).toEqual(
      [delivered, retrying, dead, held1, held2, unseen].map((e) => e.id).sort(),
    );
    expect(moved[delivered.id]).toMatchObject({ destination_no: 1, state: "delivered", attempts: 1, gen: 0 });
    expect(moved[retrying.id]).toMatchObject({ state: "retrying", attempts: 3 });
    expect(moved[dead.id]).toMatchObject({ state: "dead", attempts: 10 });
    expect(moved[held1.id]).toMatchObject({ state: "held", attempts: 2 });
    expect(moved[unseen.id]).toMatchObject({ state: "queued", attempts: 0 });
    expect(await env.DB.prepare("SELECT health, failures, down_since FROM destinations WHERE no = 1").first()).toEqual({
      health: "down",
      failures: 5,
      down_since: at,
    });
    const attempts = await env.DB.prepare(
      "SELECT kind, destination_no FROM event_attempts WHERE event_id = ?1 ORDER BY id",
    )
      .bind(dead.id)
      .all();
    expect(attempts.results).toEqual([
      { kind: "forward", destination_no: 1 },
      { kind: "dead", destination_no: 1 },
    ]);

    // The new code takes over: the catch-up probes default through the consumer, then re-queues
    // the held ones; the old-style messages still in the queue ({ id, carrier }) are forwarded
    // once; the delivered, dead and stored ones are never sent again.
    const downstream = standInDownstream();
    const consumerEnv = { ...env, FORWARD_URL: STAND_IN_URL };
    const consume = (bodies: QueueMessage[]) =>
      handleEventBatch(
        createMessageBatch(
          "carrier-events",
          bodies.map((body, i) => ({ id: `mig-${Math.random()}-${i}`, timestamp: new Date(), attempts: 1, body })),
        ),
        consumerEnv,
        downstream.fetch,
      );
    const queue = pausedQueue();
    await catchUpHeld({ ...env, EVENTS_QUEUE: queue });
    await consume(queue.messages.splice(0) as QueueMessage[]);
    await catchUpHeld({ ...env, EVENTS_QUEUE: queue }, new Date(Date.now() + 60_000));
    await consume(queue.messages.splice(0) as QueueMessage[]);
    const old = (e: NormalizedEvent): QueueMessage => ({ id: e.id, carrier: e.carrier });
    await consume([delivered, retrying, dead, stored, unseen].map(old));
    for (const e of [retrying, held1, held2, unseen]) expect(downstream.accepted.get(e.id)).toBe(1);
    for (const e of [delivered, dead, stored]) expect(downstream.requests).not.toContain(e.id);
    const states = await env.DB.prepare("SELECT id, state FROM events").all<{ id: string; state: string }>();
    expect(Object.fromEntries(states.results.map((r) => [r.id, r.state]))).toEqual({
      [delivered.id]: "delivered",
      [retrying.id]: "delivered",
      [dead.id]: "dead",
      [held1.id]: "delivered",
      [held2.id]: "delivered",
      [stored.id]: "stored",
      [unseen.id]: "delivered",
    });
  });
});
