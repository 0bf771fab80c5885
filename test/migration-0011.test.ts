import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { storeEvent } from "../src/delivery/db/store-event";
import { newEventId } from "../src/events/new-event-id";

// Migration 0011 over rows the previous schema held: shipments move to the WITHOUT ROWID table as
// they were, attempts keep their event (now by seq), and attempts and deliveries whose event is
// gone (orphans of the race the consumer's writes now rule out) are removed. The schema is
// rebuilt from the migrations before 0011, rows written, then every migration applied.

const before = env.TEST_MIGRATIONS.filter((m) => m.name < "0011");

async function schemaBefore0011(): Promise<void> {
  const { results } = await env.DB.prepare(
    "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND type IN ('table', 'trigger')",
  ).all<{ type: string; name: string }>();
  await env.DB.batch(results.map((r) => env.DB.prepare(`DROP ${r.type.toUpperCase()} IF EXISTS "${r.name}"`)));
  await applyD1Migrations(env.DB, before);
}

describe("migration 0011 (rows written before it)", () => {
  it("keeps shipments and attempts, keys attempts by seq, and removes orphan attempts and deliveries", async () => {
    await schemaBefore0011();
    const at = new Date().toISOString();
    const id = newEventId();
    await storeEvent(env.DB, {
      event: {
        id,
        carrier: "peddler",
        type: "shipment.status_changed",
        occurred_at: at,
        received_at: at,
        tracking_number: "M11",
        carrier_reference: null,
        status: "in_transit",
        carrier_status: "x",
        reason: null,
        data: {},
      },
      dedupeKey: `peddler:${id}`,
      rawBody: "{}",
      requestUrl: "https://p.test/",
    });
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO shipments (carrier, tracking_number, status, carrier_status, last_event_at, last_event_id, updated_at)
         VALUES ('peddler', 'M11', 'in_transit', 'x', ?1, ?2, ?1)`,
      ).bind(at, id),
      env.DB.prepare(
        `INSERT INTO event_attempts (event_id, destination_no, attempted_at, kind, http_status)
         VALUES (?1, 1, ?2, 'forward', 204), ('evt_gone', 1, ?2, 'forward', 204)`,
      ).bind(id, at),
      env.DB.prepare(
        `INSERT INTO deliveries (event_seq, destination_no, state, attempts, gen, updated_at)
         SELECT seq, 1, 4, 1, 0, 0 FROM events WHERE id = ?1 UNION ALL SELECT 999999, 1, 4, 1, 0, 0`,
      ).bind(id),
    ]);

    await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);

    // Its times become Unix milliseconds, to the millisecond.
    expect(
      await env.DB.prepare(
        "SELECT carrier, tracking_number, (SELECT id FROM events WHERE seq = last_event_seq) AS last_event_id, last_event_at, updated_at FROM shipments",
      ).all(),
    ).toMatchObject({
      results: [
        {
          carrier: "peddler",
          tracking_number: "M11",
          last_event_id: id,
          last_event_at: Date.parse(at),
          updated_at: Date.parse(at),
        },
      ],
    });
    const attempts = await env.DB.prepare(
      "SELECT e.id, a.http_status, a.attempted_at FROM event_attempts a LEFT JOIN events e ON e.seq = a.event_seq",
    ).all();
    expect(attempts.results).toEqual([{ id, http_status: 204, attempted_at: Date.parse(at) }]);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM deliveries").first("n")).toBe(1);
    const columns = await env.DB.prepare("SELECT name FROM pragma_table_info('event_attempts')").all<{
      name: string;
    }>();
    expect(columns.results.map((c) => c.name)).not.toContain("event_id");
    expect(await env.DB.prepare("SELECT seq FROM retention_cursor").first("seq")).toBe(0);
  });
});
