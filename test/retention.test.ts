import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { storeQuarantine } from "../src/db/store-quarantine";
import { storeEvent } from "../src/delivery/db/store-event";
import type { DeliveryState } from "../src/delivery/delivery-state";
import { newEventId, newQuarantineId } from "../src/events/new-event-id";
import { applyRetention } from "../src/retention";
import { EXPIRED_WINDOW_SQL } from "../src/retention/db/delete-expired-events";
import { rejection } from "./helpers/rejection-row";

// Real local D1 with every migration; rows are written with the receiver's own storeEvent and
// storeQuarantine at chosen times, then the job runs at a chosen `now` (RETENTION_DAYS 90 by default).
const NOW = new Date("2026-11-23T12:00:00.000Z");
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();

async function event(receivedDaysAgo: number, state: DeliveryState, tracking: string | null = null): Promise<string> {
  const id = newEventId();
  const receivedAt = daysAgo(receivedDaysAgo);
  await storeEvent(env.DB, {
    event: {
      id,
      carrier: "peddler",
      type: "shipment.status_changed",
      occurred_at: receivedAt,
      received_at: receivedAt,
      tracking_number: tracking,
      carrier_reference: null,
      status: "in_transit",
      carrier_status: "SHIPMENT_IN_WAREHOUSE",
      reason: null,
      data: { n: 1 },
    },
    dedupeKey: `peddler:${id}`,
    rawBody: `{"id":"${id}"}`,
    requestUrl: "https://parcelhook.test/webhooks/peddler",
  });
  await env.DB.batch([
    env.DB.prepare("UPDATE events SET state = ?2 WHERE id = ?1").bind(id, state),
    env.DB.prepare(
      `INSERT INTO event_attempts (event_seq, attempted_at, kind, http_status)
       SELECT seq, ?2, 'forward', 503 FROM events WHERE id = ?1
       UNION ALL SELECT seq, ?2, 'replay', NULL FROM events WHERE id = ?1`,
    ).bind(id, Date.parse(receivedAt)),
  ]);
  return id;
}

async function shipment(tracking: string, lastEventId: string, movedDaysAgo: number): Promise<void> {
  await env.DB.prepare(
    `INSERT INTO shipments (carrier, tracking_number, status, last_event_at, last_event_seq, updated_at)
     SELECT 'peddler', ?1, 'in_transit', ?2, coalesce((SELECT seq FROM events WHERE id = ?3), 0), ?4`,
  )
    .bind(tracking, Date.parse(daysAgo(100)), lastEventId, Date.parse(daysAgo(movedDaysAgo)))
    .run();
}

const count = async (sql: string, ...binds: unknown[]) =>
  (
    await env.DB.prepare(sql)
      .bind(...binds)
      .first<{ n: number }>()
  )?.n ?? -1;

beforeEach(async () => {
  await env.DB.batch([
    ...["events", "event_attempts", "shipments", "deliveries", "quarantine", "rejections"].map((t) =>
      env.DB.prepare(`DELETE FROM ${t}`),
    ),
    env.DB.prepare("UPDATE retention_cursor SET seq = 0"),
  ]);
});

describe("applyRetention (RETENTION_DAYS, by received_at)", () => {
  it("deletes expired events with their attempts and replays, shipments not moved since, and keeps every event that owes a delivery", async () => {
    // Stored in the order of their receipt, as the receiver stores them (oldest first).
    const held = await event(300, "held");
    const stored = await event(200, "stored");
    const dead = await event(120, "dead");
    const owed = [held, await event(95, "queued", "T2"), await event(95, "retrying")];
    const expired = [await event(91, "delivered", "T1"), dead, stored];
    // Their deliveries go with them (a trigger), and are not counted as events.
    await env.DB.prepare(
      `INSERT INTO deliveries (event_seq, destination_no, state, attempts, gen, updated_at)
       SELECT seq, 1, 4, 1, 0, 0 FROM events WHERE id IN (SELECT value FROM json_each(?1))`,
    )
      .bind(JSON.stringify(expired))
      .run();
    const kept = await event(89, "delivered", "T3");
    // A shipment goes once the consumer has not moved it for RETENTION_DAYS (its events were all
    // received before): a multi-parcel label's event moved two; T3 moved within them stays.
    await shipment("T1", expired[0] as string, 91);
    await shipment("T1-parcel-2", expired[0] as string, 91);
    await shipment("T3", kept, 89);

    const result = await applyRetention(env, NOW);

    // One window (a read, then two deletes and the cursor's move), then shipments, quarantine and counters.
    expect(result).toMatchObject({ events: 3, attempts: 6, shipments: 2, done: true, statements: 1 + 3 + 5 });
    const left = await env.DB.prepare("SELECT id FROM events ORDER BY id").all<{ id: string }>();
    expect(left.results.map((r) => r.id).sort()).toEqual([...owed, kept].sort());
    expect(await count("SELECT count(*) AS n FROM event_attempts")).toBe(8);
    expect(await count("SELECT count(*) AS n FROM deliveries")).toBe(0);
    expect(
      await count("SELECT count(*) AS n FROM event_attempts WHERE event_seq NOT IN (SELECT seq FROM events)"),
    ).toBe(0);
    const ships = await env.DB.prepare("SELECT tracking_number FROM shipments ORDER BY 1").all<{
      tracking_number: string;
    }>();
    expect(ships.results.map((s) => s.tracking_number)).toEqual(["T3"]);
  });

  it("works in bounded windows: the rest waits for the next cron run", async () => {
    for (let i = 0; i < 5; i++) await event(104 - i, "delivered");
    const first = await applyRetention(env, NOW, { chunk: 2, maxChunks: 2 });
    expect(first).toMatchObject({ events: 4, done: false, statements: 2 * 4 + 5 });
    // Oldest first: the one left is the newest of the expired.
    const left = await env.DB.prepare("SELECT received_at FROM events").all<{ received_at: string }>();
    expect(left.results.map((r) => r.received_at)).toEqual([daysAgo(100)]);
    const second = await applyRetention(env, NOW, { chunk: 2, maxChunks: 2 });
    expect(second).toMatchObject({ events: 1, done: true, statements: 4 + 5 });
    expect(await count("SELECT count(*) AS n FROM events")).toBe(0);
  });

  it("reads a bounded number of rows per run however many expired events still owe a delivery, and deletes the rest behind them", async () => {
    // 3,000 expired events held for a destination gone for good, older than 4 deletable ones.
    const HELD = 3000;
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
       INSERT INTO events (id, carrier, dedupe_key, type, occurred_at, received_at, data, raw_body, request_url, state, updated_at)
       SELECT 'evt_held_' || i, 'peddler', 'peddler#held' || i, 'shipment.status_changed', ?2, ?2, '{}', '{}', '', 'held', ?2 FROM n`,
    )
      .bind(HELD, daysAgo(300))
      .run();
    const deletable = [];
    for (let i = 0; i < 4; i++) deletable.push(await event(103 - i, "delivered"));
    const runs = [];
    for (let i = 0; i < 4 && runs.at(-1)?.done !== true; i++) runs.push(await applyRetention(env, NOW));
    // Before: every run's every chunk read all 3,000 held rows again, three times (about 9,000 a run).
    // After: two windows of 1,000 rows, and the deletes.
    for (const r of runs) expect(r.rowsRead).toBeLessThanOrEqual(2 * 1000 + 100);
    expect(runs.reduce((n, r) => n + r.events, 0)).toBe(deletable.length);
    expect(await count("SELECT count(*) AS n FROM events WHERE state = 'held'")).toBe(HELD);
    // The next pass starts at the oldest again, still bounded: a held event delivered later goes then.
    await env.DB.prepare("UPDATE events SET state = 'delivered' WHERE id = 'evt_held_1'").run();
    const again = await applyRetention(env, NOW);
    expect(again.rowsRead).toBeLessThanOrEqual(2 * 1000 + 100);
    expect(again.events).toBe(1);
  });

  it("deletes quarantine rows and rejection counters past the cutoff, and keeps newer ones", async () => {
    for (const d of [91, 89]) {
      await storeQuarantine(env.DB, {
        id: newQuarantineId(),
        carrier: "peddler",
        receivedAt: daysAgo(d),
        requestUrl: "https://parcelhook.test/webhooks/peddler",
        rawBody: "{}",
        issues: [{ path: "id", message: "missing" }],
      });
      await rejection(new Date(daysAgo(d)), "peddler", 401, "unauthorized");
    }
    const result = await applyRetention(env, NOW);
    expect(result).toMatchObject({ quarantine: 1, rejections: 1 });
    expect(await count("SELECT count(*) AS n FROM quarantine WHERE received_at = ?1", daysAgo(89))).toBe(1);
    expect(await count("SELECT count(*) AS n FROM quarantine")).toBe(1);
    expect(await count("SELECT count(*) AS n FROM rejections")).toBe(1);
  });

  it("keeps the audit log and failed operator sign-ins for AUDIT_RETENTION_DAYS (default 365), not RETENTION_DAYS", async () => {
    const insert = (d: number) =>
      env.DB.prepare(
        "INSERT INTO audit_log (at, actor, actor_name, action, target, outcome) VALUES (?1, 'admin_token', 'ADMIN_TOKEN', 'key.revoke', 'key_x', 'ok')",
      )
        .bind(daysAgo(d))
        .run();
    for (const d of [366, 364, 91]) {
      await insert(d);
      await rejection(new Date(daysAgo(d)), "operator", 401, "sign_in_failed");
    }
    const result = await applyRetention(env, NOW);
    expect(result.audit).toBe(1);
    expect(await count("SELECT count(*) AS n FROM audit_log")).toBe(2);
    expect(await count("SELECT count(*) AS n FROM rejections WHERE carrier = 'operator'")).toBe(2);
    const shorter = await applyRetention({ ...env, AUDIT_RETENTION_DAYS: "100" } as Env, NOW);
    expect(shorter.audit).toBe(1);
    expect(await count("SELECT count(*) AS n FROM audit_log")).toBe(1);
    expect(await count("SELECT count(*) AS n FROM rejections WHERE carrier = 'operator'")).toBe(1);
  });

  it("follows RETENTION_DAYS", async () => {
    await event(31, "delivered");
    await event(29, "delivered");
    const result = await applyRetention({ ...env, RETENTION_DAYS: "30" } as Env, NOW);
    expect(result).toMatchObject({ events: 1, cutoff: daysAgo(30) });
    expect(await count("SELECT count(*) AS n FROM events")).toBe(1);
  });

  it("reads a window as a range of the table's key after the cursor, bounded by one lookup in events_received, no sort (EXPLAIN QUERY PLAN)", async () => {
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${EXPIRED_WINDOW_SQL}`)
      .bind(daysAgo(90), 500)
      .all<{ detail: string }>();
    const plan = results.map((r) => r.detail).join("; ");
    expect(plan).toMatch(/^SEARCH events USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/);
    expect(plan).toMatch(/SEARCH events USING COVERING INDEX events_received \(received_at<\?\)/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
  });
});
