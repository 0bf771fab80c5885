import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { listShipmentsSql } from "../src/operator/db/list-shipments";
import type { ShipmentFilter } from "../src/operator/query-schemas";
import { inpostStatusDelivered } from "./fixtures/inpost";
import { peddlerOutForDelivery } from "./fixtures/peddler";
import { call } from "./helpers/post-webhook";

const admin = { authorization: "Bearer test-admin-token-0123456789abcdef0123" };
const NOW = Date.now();
const hoursAgo = (h: number) => new Date(NOW - h * 3_600_000).toISOString();

interface Row {
  tracking_number: string;
  carrier: string;
  status: string;
  carrier_status: string | null;
  last_event_at: string;
  last_event_id: string;
}
interface Page {
  shipments: Row[];
  next_cursor: string | null;
}

async function get<T>(path: string): Promise<T> {
  const res = await call(path, undefined, { headers: admin });
  expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
  return res.json<T>();
}
const numbers = async (query: string) =>
  (await get<Page>(`/api/shipments?${query}`)).shipments.map((s) => s.tracking_number);

async function peddler(tn: string, status: string, code: number, hours: number): Promise<string> {
  const body = { ...peddlerOutForDelivery, id: `ship-${crypto.randomUUID()}`, carrierTrackingNumber: tn, status, code };
  const res = await call(
    "/webhooks/peddler",
    { ...body, ts: hoursAgo(hours) },
    {
      headers: { "x-webhook-shared-token": "test-peddler" },
    },
  );
  expect(res.status).toBe(200);
  return (await res.json<{ event_id: string }>()).event_id;
}

/** Shipments as the real queue consumer leaves them (this file starts with an empty database). */
const S = {
  failed: "SHIP-FAILED",
  held: "SHIP-HELD",
  pickup: "SHIP-PICKUP",
  delivered: "SHIP-DELIVERED-OLD",
  transit: "SHIP-TRANSIT-QUIET",
  inpost: "602677439331630337653846",
  formula: "=SUM(1,2)",
};
const ids: Record<string, string> = {};
let postedAt: string;

beforeAll(async () => {
  postedAt = new Date().toISOString();
  ids.failed = await peddler(S.failed, "FAILED_ATTEMPT", 601, 100);
  ids.held = await peddler(S.held, "ON_HOLD", 700, 2);
  ids.pickup = await peddler(S.pickup, "DELIVERED_COLLECTION_POINT", 550, 30);
  ids.delivered = await peddler(S.delivered, "DELIVERED", 500, 200);
  ids.transit = await peddler(S.transit, "SHIPMENT_IN_WAREHOUSE", 210, 80);
  ids.formula = await peddler(S.formula, "DELIVERED", 500, 300);
  const inpostTs = hoursAgo(10)
    .replace("T", " ")
    .replace(/\.\d+Z$/, " +0000");
  const inpost = { ...inpostStatusDelivered, event_ts: inpostTs };
  const res = await call("/webhooks/inpost", inpost, { headers: { "cf-connecting-ip": "91.216.25.10" } });
  expect(res.status).toBe(200);
  // The consumer writes `shipments` about a second later.
  const deadline = Date.now() + 15_000;
  while ((await get<Page>("/api/shipments?limit=500")).shipments.length < 7 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
});

describe("GET /api/shipments", () => {
  it("lists every shipment, newest last carrier event first, each with exactly the contract's fields", async () => {
    const page = await get<Page>("/api/shipments");
    expect(page.shipments.map((s) => s.tracking_number)).toEqual([
      S.held,
      S.inpost,
      S.pickup,
      S.transit,
      S.failed,
      S.delivered,
      S.formula,
    ]);
    expect(page.next_cursor).toBeNull();
    expect(page.shipments[0]).toEqual({
      tracking_number: S.held,
      carrier: "peddler",
      status: "on_hold",
      carrier_status: "ON_HOLD",
      last_event_at: hoursAgo(2),
      last_event_id: ids.held,
    });
  });

  it("filters by carrier, by a comma list of canonical statuses, by quiet hours and by update time", async () => {
    expect(await numbers("carrier=inpost")).toEqual([S.inpost]);
    expect(await numbers("status=delivery_failed,on_hold")).toEqual([S.held, S.failed]);
    expect(await numbers("status=delivered")).toEqual([S.inpost, S.delivered, S.formula]);
    expect(await numbers("status=delivered&carrier=peddler")).toEqual([S.delivered, S.formula]);
    // Quiet: not delivered or cancelled, last carrier event older than 72 h.
    expect(await numbers("quiet_for_hours=72")).toEqual([S.transit, S.failed]);
    expect(await numbers("quiet_for_hours=24")).toEqual([S.pickup, S.transit, S.failed]);
    expect(await numbers("quiet_for_hours=72&status=in_transit")).toEqual([S.transit]);
    expect(await numbers(`updated_since=${postedAt}&status=ready_for_pickup`)).toEqual([S.pickup]);
    expect(await numbers(`updated_since=${new Date(NOW + 3_600_000).toISOString()}`)).toEqual([]);
  });

  it("pages with a keyset cursor: the pages together are the whole list, for every filter", async () => {
    for (const query of ["", "status=delivered,on_hold,delivery_failed", "quiet_for_hours=24", "carrier=peddler"]) {
      const whole = await numbers(`limit=500&${query}`);
      const walked: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Page = await get<Page>(`/api/shipments?limit=2&${query}${cursor ? `&cursor=${cursor}` : ""}`);
        walked.push(...page.shipments.map((s) => s.tracking_number));
        cursor = page.next_cursor;
      } while (cursor);
      expect(walked, query).toEqual(whole);
    }
  });

  it("answers the same rows as CSV with format=csv, the next page in a Link header", async () => {
    const json = await get<Page>("/api/shipments?limit=500");
    const res = await call("/api/shipments?format=csv&limit=500", undefined, { headers: admin });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = (await res.text()).split("\r\n");
    expect(lines[0]).toBe("tracking_number,carrier,status,carrier_status,last_event_at,last_event_id");
    expect(lines.slice(1, -1)).toHaveLength(json.shipments.length);
    expect(lines[1]).toBe(`${S.held},peddler,on_hold,ON_HOLD,${hoursAgo(2)},${ids.held}`);
    // Quoted for its comma, and kept from running as a spreadsheet formula.
    expect(lines).toContain(`"'=SUM(1,2)",peddler,delivered,DELIVERED,${hoursAgo(300)},${ids.formula}`);
    expect(lines.at(-1)).toBe("");

    const paged = await call("/api/shipments?format=csv&limit=2&status=delivered", undefined, { headers: admin });
    const link = paged.headers.get("link") ?? "";
    expect(link).toMatch(/^<\/api\/shipments\?format=csv&limit=2&status=delivered&cursor=[\w-]+>; rel="next"$/);
    const next = await call(link.slice(1, link.indexOf(">")), undefined, { headers: admin });
    expect((await next.text()).split("\r\n")[1]).toMatch(/^"'=SUM/);
  });

  it("answers 400 invalid_request with the issues for a bad filter, and 401 without the token", async () => {
    const cases: [string, string][] = [
      ["status=lost", "status"],
      ["status=delivered,", "status"],
      ["carrier=ups", "carrier"],
      ["quiet_for_hours=0", "quiet_for_hours"],
      ["quiet_for_hours=three", "quiet_for_hours"],
      ["updated_since=yesterday", "updated_since"],
      ["cursor=bm90LWEtY3Vyc29y", "cursor"],
      ["format=xml", "format"],
      ["limit=501", "limit"],
      ["colour=red", "colour"],
    ];
    for (const [query, path] of cases) {
      const res = await call(`/api/shipments?${query}`, undefined, { headers: admin });
      expect(res.status, query).toBe(400);
      const body = await res.json<{ error: { code: string; issues: { path: string }[] } }>();
      expect(body.error.code).toBe("invalid_request");
      expect(
        body.error.issues.map((i) => i.path.split(".")[0]),
        query,
      ).toContain(path);
    }
    expect((await call("/api/shipments")).status).toBe(401);
  });

  it("answers every filter from an index, in list order, never a table scan (EXPLAIN QUERY PLAN)", async () => {
    const cursor = { at: "2030-01-01T00:00:00.000Z", key: "peddler:X" };
    const filters: ShipmentFilter[] = [
      {},
      { carrier: "peddler" },
      { status: ["delivered"] },
      { status: ["delivery_failed", "on_hold"] },
      { quiet_for_hours: 72 },
      { quiet_for_hours: 72, status: ["in_transit"] },
      { updated_since: "2026-11-23T00:00:00.000Z" },
      { updated_since: "2026-11-23T00:00:00.000Z", status: ["delivered"] },
      { carrier: "peddler", status: ["delivered"], quiet_for_hours: 1 },
    ];
    for (const filter of filters) {
      for (const c of [undefined, cursor]) {
        const { sql, params } = listShipmentsSql(filter, { limit: 50, cursor: c }, new Date());
        const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
          .bind(...params)
          .all<{ detail: string }>();
        const plan = results.map((r) => r.detail).join("; ");
        const label = JSON.stringify({ filter, cursor: !!c });
        expect(plan, label).toMatch(/^(SEARCH|SCAN) shipments USING INDEX shipments_\w+/);
        if (Object.keys(filter).length > 0 || c) expect(plan, label).toMatch(/^SEARCH/);
        if (filter.quiet_for_hours && !filter.status) expect(plan, label).toContain("shipments_open_last_event");
        if (filter.updated_since) expect(plan, label).toContain("USING INDEX shipments_updated");
        // Sorted only where no single index holds the list order: several statuses (one range
        // each), or the recent updates read from their own index.
        const sorts = (filter.status?.length ?? 0) > 1 || filter.updated_since !== undefined;
        if (!sorts) expect(plan, label).not.toMatch(/TEMP B-TREE/);
      }
    }
  });
});

describe("GET /api/stats", () => {
  it("counts shipments per status and carrier, every delivery state (held too), and the storage", async () => {
    const stats = await get<{
      events: { by_state: Record<string, number> };
      shipments: { total: number; by_carrier_status: { carrier: string; status: string; count: number }[] };
      storage: { bytes: number | null; budget_bytes: number; oldest_event_at: string | null };
    }>("/api/stats");
    expect(Object.keys(stats.events.by_state).sort()).toEqual(
      ["queued", "retrying", "held", "delivered", "dead", "stored"].sort(),
    );
    expect(stats.events.by_state.held).toBe(0);
    expect(stats.shipments.total).toBe(7);
    expect(stats.shipments.by_carrier_status).toEqual(
      expect.arrayContaining([
        { carrier: "peddler", status: "delivered", count: 2 },
        { carrier: "inpost", status: "delivered", count: 1 },
        { carrier: "peddler", status: "ready_for_pickup", count: 1 },
      ]),
    );
    expect(stats.storage.budget_bytes).toBe(10_000_000_000);
    expect(stats.storage.bytes).toBeGreaterThan(0);
    const oldest = await env.DB.prepare("SELECT min(received_at) AS at FROM events").first<{ at: string }>();
    expect(stats.storage.oldest_event_at).toBe(oldest?.at);
  });
});
