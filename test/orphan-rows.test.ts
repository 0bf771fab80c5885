import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { handleEventBatch } from "../src/consumer/handle-event-batch";
import { replayEvents } from "../src/delivery";
import { storeEvent } from "../src/delivery/db/store-event";
import { newEventId } from "../src/events/new-event-id";
import type { NormalizedEvent } from "../src/events/normalized-event";
import { applyRetention } from "../src/retention";
import { resetDownstream, STAND_IN_URL, standInDownstream } from "./helpers/downstream";

// Orphan rows (issue 15): retention may delete an event between the two D1 round trips of the
// queue consumer (or of a replay), which then writes that event's forward attempts, deliveries and
// shipments. Each write is conditional on the event still being there (same transaction as the
// write), so none can outlive it. The fault: a D1 binding that runs the retention job, on the real
// D1, just before the second round trip's batch.

const NOW = Date.now();
const OLD = new Date(NOW - 100 * 86_400_000).toISOString();
let n = 0;

async function expiredEvent(): Promise<NormalizedEvent> {
  const e: NormalizedEvent = {
    id: newEventId(),
    carrier: "peddler",
    type: "shipment.status_changed",
    occurred_at: OLD,
    received_at: OLD,
    tracking_number: `ORPHAN${NOW}${++n}`,
    carrier_reference: null,
    status: "in_transit",
    carrier_status: "SHIPMENT_IN_WAREHOUSE",
    reason: null,
    data: {},
  };
  await storeEvent(env.DB, { event: e, dedupeKey: `peddler:${e.id}`, rawBody: "{}", requestUrl: "https://p.test/" });
  return e;
}

/** env.DB, except that the first batch after `armed()` says so runs the retention job first. */
function retentionBeforeSecondRoundTrip(armed: (sql: string) => boolean): D1Database {
  let fire = false;
  const db = env.DB;
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") {
        return (sql: string) => {
          if (armed(sql)) fire = true;
          return target.prepare(sql);
        };
      }
      if (prop === "batch") {
        return async (statements: D1PreparedStatement[]) => {
          if (fire) {
            fire = false;
            const r = await applyRetention(env, new Date(NOW));
            expect(r.events).toBeGreaterThan(0);
          }
          return target.batch(statements);
        };
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

const orphans = async () =>
  await env.DB.prepare(
    `SELECT (SELECT count(*) FROM event_attempts a WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.seq = a.event_seq)) AS attempts,
            (SELECT count(*) FROM deliveries d WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.seq = d.event_seq)) AS deliveries,
            (SELECT count(*) FROM shipments s WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.seq = s.last_event_seq)) AS shipments`,
  ).first<{ attempts: number; deliveries: number; shipments: number }>();

beforeEach(async () => {
  await env.DB.batch([
    ...["events", "event_attempts", "shipments", "deliveries"].map((t) => env.DB.prepare(`DELETE FROM ${t}`)),
    env.DB.prepare("UPDATE retention_cursor SET seq = 0"),
  ]);
  await resetDownstream();
});

describe("no row outlives its event", () => {
  it("the consumer writes no attempt, delivery or shipment for an event retention deleted between its two round trips (fault: the D1 binding runs retention before the second)", async () => {
    const e = await expiredEvent();
    // Expired and owing nothing (say a duplicate message's twin delivered it): retention may take it.
    await env.DB.prepare("UPDATE events SET state = 'stored' WHERE id = ?1").bind(e.id).run();
    const downstream = standInDownstream();
    const batch = createMessageBatch<unknown>("carrier-events", [
      { id: "orphan-1", timestamp: new Date(), attempts: 1, body: { id: e.id, carrier: e.carrier } },
    ]);
    const ctx = createExecutionContext();
    const DB = retentionBeforeSecondRoundTrip((sql) => sql.includes("INSERT INTO event_attempts"));
    await handleEventBatch(batch, { ...env, DB, FORWARD_URL: STAND_IN_URL }, downstream.fetch);
    await getQueueResult(batch, ctx);
    // It was forwarded (the first round trip found it), and retention took it before the second.
    expect(downstream.accepted.get(e.id)).toBe(1);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM events").first("n")).toBe(0);
    expect(await orphans()).toEqual({ attempts: 0, deliveries: 0, shipments: 0 });
  });

  it("a replay writes no delivery or history for an event retention deleted after the replay read it (fault: the D1 binding runs retention before the write)", async () => {
    const e = await expiredEvent();
    await env.DB.batch([
      env.DB.prepare("UPDATE events SET state = 'delivered', seen_at = ?2 WHERE id = ?1").bind(e.id, OLD),
      env.DB.prepare(
        "INSERT INTO deliveries (event_seq, destination_no, state, attempts, gen, updated_at) SELECT seq, 1, 4, 1, 0, 0 FROM events WHERE id = ?1",
      ).bind(e.id),
    ]);
    const DB = retentionBeforeSecondRoundTrip((sql) => sql.includes("INSERT INTO deliveries"));
    await replayEvents({ ...env, DB, FORWARD_URL: STAND_IN_URL }, [e.id]).catch(() => undefined);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM events").first("n")).toBe(0);
    expect(await orphans()).toEqual({ attempts: 0, deliveries: 0, shipments: 0 });
  });
});
