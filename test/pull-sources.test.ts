// The pull sources' cron job (src/pull/) with DPD Polska's journal, against the real local D1 and
// queue: the journal is a local fake of InfoServices written from the WSDL
// (src/carriers/dpd-pl/fake.ts), reached through the job's `fetch` parameter (workerd tests cannot
// reach a node server; the same module answers over HTTP in `npm run dev`). Faults are put in the
// fake's answers, or in a D1 binding that throws (named in each test).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { dpdPl } from "../src/carriers/dpd-pl";
import { DpdInfoServicesFake, dpdStory } from "../src/carriers/dpd-pl/fake";
import type { PullIo } from "../src/carriers/pull-kit";
import { readConfig } from "../src/config";
import { renderExposition } from "../src/metrics/exposition";
import { scrapeMetrics } from "../src/metrics/scrape-metrics";
import { runPullSources } from "../src/pull/run-pull-sources";
import { callWith } from "./helpers/call-with";

const ENDPOINT = "http://dpd-fake.test/DPDInfoServicesObjEventsService/DPDInfoServicesObjEvents";
const VARS = {
  DPD_PL_LOGIN: "test-login",
  DPD_PL_PASSWORD: "test-password-0123",
  DPD_PL_MASTER_FID: "1495",
  DPD_PL_ENDPOINT: ENDPOINT,
};
// One env object per configuration: readConfig parses each once.
const dpdEnv = { ...env, ...VARS } as Env;
const T0 = Date.parse("2026-12-05T08:00:00Z");
const minute = (n: number) => new Date(T0 + n * 60_000);

// Each test its own objectIds (DPD's are unique; the tests share one D1).
let fakes = 0;
function newFake(password = VARS.DPD_PL_PASSWORD, maxLimit?: number) {
  fakes++;
  return new DpdInfoServicesFake({
    login: VARS.DPD_PL_LOGIN,
    password,
    channel: "1495",
    firstObjectId: fakes * 1_000_000,
    maxLimit,
  });
}

/** `parcels` parcels' stories (5 events each), numbered from `from` so tests never share a waybill. */
function fill(fake: DpdInfoServicesFake, from: number, parcels: number): void {
  for (let n = from; n < from + parcels; n++) fake.add(dpdStory(n, new Date("2026-11-30T10:00:00Z")));
}

async function reset(): Promise<void> {
  await env.DB.prepare("DELETE FROM pull_sources").run();
}

async function storedFor(from: number, parcels: number): Promise<{ events: number; duplicates: number }> {
  const waybills = Array.from({ length: parcels }, (_, i) => `1000${String(from + i).padStart(9, "0")}U`);
  const row = await env.DB.prepare(
    `SELECT count(*) AS events, coalesce(sum(duplicates), 0) AS duplicates FROM events
     WHERE carrier = 'dpd-pl' AND tracking_number IN (SELECT value FROM json_each(?1))`,
  )
    .bind(JSON.stringify(waybills))
    .first<{ events: number; duplicates: number }>();
  return row ?? { events: -1, duplicates: -1 };
}

async function state() {
  return env.DB.prepare("SELECT * FROM pull_sources WHERE carrier = 'dpd-pl'").first<{
    failures: number;
    next_at: number;
    lease_until: number;
    last_failure: string | null;
    last_error: string | null;
    stored: number;
    duplicates: number;
    pages: number;
  }>();
}

const run = (fake: { fetch: PullIo["fetch"] }, at: Date, e: Env = dpdEnv) =>
  runPullSources(e, at, { fetch: fake.fetch }, [dpdPl]);

describe("pull sources: DPD Polska's journal through the cron job", () => {
  it("drains the journal within the budget (4 pages of 100 a run), each event stored once and acknowledged", async () => {
    await reset();
    const fake = newFake();
    fill(fake, 1, 100); // 500 events
    const [first] = await run(fake, minute(0));
    expect(first).toMatchObject({ pages: 4, stored: 400, duplicates: 0, failure: null });
    // Budget spent with more to read: due again at once (the next minute's run).
    expect(first?.nextAt).toBe(minute(0).getTime());
    expect(fake.unacknowledged()).toBe(100);
    const [second] = await run(fake, minute(1));
    expect(second).toMatchObject({ pages: 1, stored: 100, failure: null });
    expect(fake.unacknowledged()).toBe(0);
    // Drained: its schedule (every minute) decides the next run.
    expect(second?.nextAt).toBe(minute(2).getTime());
    expect(await storedFor(1, 100)).toEqual({ events: 500, duplicates: 0 });
    // The last full page might have had more behind it: one more read found the journal empty.
    expect(fake.calls).toEqual({ getEventsForCustomerV4: 6, markEventsAsProcessedV1: 5 });
  }, 60_000);

  it("a service that returns fewer than asked (its own cap, 30) is still read on until empty, within the budget", async () => {
    await reset();
    const fake = newFake(VARS.DPD_PL_PASSWORD, 30);
    fill(fake, 6000, 18); // 90 events
    const [r] = await run(fake, minute(0));
    expect(r).toMatchObject({ pages: 3, stored: 90, failure: null });
    expect(fake.unacknowledged()).toBe(0);
    expect(r?.nextAt).toBe(minute(1).getTime());
  });

  it("stores each record's raw XML as the raw delivery, and normalizes it (Warsaw time to UTC)", async () => {
    await reset();
    const fake = newFake();
    fill(fake, 1000, 1);
    await run(fake, minute(0));
    const row = await env.DB.prepare(
      "SELECT id FROM events WHERE carrier = 'dpd-pl' AND tracking_number = '1000000001000U' AND carrier_status = '190101'",
    ).first<{ id: string }>();
    const res = await callWith(
      `/api/events/${row?.id}`,
      {},
      { headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` } },
    );
    const event = await res.json<Record<string, unknown>>();
    expect(event).toMatchObject({
      event: {
        carrier: "dpd-pl",
        type: "shipment.status_changed",
        status: "delivered",
        // dpdStory: 2026-11-30T10:00Z + 4 h + 40 s (parcel 1000 % 60), written as Warsaw time (+01:00).
        occurred_at: "2026-11-30T14:00:40.000Z",
        tracking_number: "1000000001000U",
      },
      request_url: `${ENDPOINT}#getEventsForCustomerV4`,
    });
    expect(String(event.raw_body)).toMatch(/^<eventsList><businessCode>190101<\/businessCode>.*<\/eventsList>$/);
  });

  it("acknowledgement fails (fault: the fake answers markEventsAsProcessed with 500): the page is read again and dedup absorbs it", async () => {
    await reset();
    const fake = newFake();
    fill(fake, 2000, 30); // 150 events: pages of 100 and 50
    fake.failNext("markEventsAsProcessedV1", "http500");
    const [failed] = await run(fake, minute(0));
    // The first page was stored, its acknowledgement failed: the run stops there.
    expect(failed).toMatchObject({ stored: 100, pages: 0, failure: { kind: "unreachable" } });
    expect(fake.unacknowledged()).toBe(150);
    expect(await state()).toMatchObject({ failures: 1, last_failure: "unreachable", next_at: minute(1).getTime() });

    const [again] = await run(fake, minute(1));
    expect(again).toMatchObject({ duplicates: 100, stored: 50, pages: 2, failure: null });
    expect(fake.unacknowledged()).toBe(0);
    expect(await storedFor(2000, 30)).toEqual({ events: 150, duplicates: 100 });
    expect(await state()).toMatchObject({ failures: 0, last_failure: null });
  });

  it("the invocation dies after storing, before acknowledging (fault: the acknowledgement never returns): the lease lapses, the page is read again, nothing is lost or stored twice", async () => {
    await reset();
    const fake = newFake();
    fill(fake, 3000, 10); // 50 events, one page
    let stored = 0;
    const dying = {
      fetch: (async (input, init) => {
        if (String(init?.body).includes("markEventsAsProcessedV1")) {
          stored = (await storedFor(3000, 10)).events;
          return new Promise<Response>(() => {}); // the isolate is gone: no answer, no finish
        }
        return fake.fetch(input, init);
      }) as typeof fetch,
    };
    void run(dying, minute(0));
    await expect.poll(() => stored, { timeout: 10_000 }).toBe(50);
    expect(fake.unacknowledged()).toBe(50);

    // An overlapping run a minute later finds the source held and leaves it alone.
    expect(await run(fake, minute(1))).toEqual([]);
    // Once the lease (3 minutes) lapsed, the next run reads the same page again.
    const [after] = await run(fake, minute(4));
    expect(after).toMatchObject({ stored: 0, duplicates: 50, pages: 1, failure: null });
    expect(fake.unacknowledged()).toBe(0);
    expect(await storedFor(3000, 10)).toEqual({ events: 50, duplicates: 50 });
  }, 20_000);

  it("D1 refuses the write (fault: a D1 binding that throws on INSERT): nothing is acknowledged, the next run stores it all", async () => {
    await reset();
    const fake = newFake();
    fill(fake, 4000, 4); // 20 events
    const throwingDb = new Proxy(env.DB, {
      get(target, prop) {
        if (prop === "prepare") {
          return (sql: string) => {
            if (/INSERT INTO events/.test(sql)) throw new Error("D1_ERROR: injected write failure");
            return target.prepare(sql);
          };
        }
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const faulty = { ...dpdEnv, DB: throwingDb } as Env;
    const [failed] = await run(fake, minute(0), faulty);
    expect(failed).toMatchObject({ stored: 0, failure: { kind: "storage" } });
    expect(fake.calls.markEventsAsProcessedV1).toBe(0);
    expect(fake.unacknowledged()).toBe(20);

    const [ok] = await run(fake, minute(1));
    expect(ok).toMatchObject({ stored: 20, duplicates: 0, failure: null });
    expect(await storedFor(4000, 4)).toEqual({ events: 20, duplicates: 0 });
  });

  it("a refusing source (wrong password: a SOAP fault) backs off 1, 2, 4 minutes and shows in /health and /metrics", async () => {
    await reset();
    const fake = newFake("another-password");
    fill(fake, 5000, 1);
    const [r1] = await run(fake, minute(0));
    expect(r1?.failure).toEqual({
      kind: "refused",
      message: expect.stringContaining("Access denied to secured webserwis method"),
    });
    expect(r1?.nextAt).toBe(minute(1).getTime());
    const [r2] = await run(fake, minute(1));
    expect(r2?.nextAt).toBe(minute(3).getTime());
    expect(await run(fake, minute(2))).toEqual([]); // not due
    const [r3] = await run(fake, minute(3));
    expect(r3?.nextAt).toBe(minute(7).getTime());
    expect(fake.unacknowledged()).toBe(5);

    const health = await (await callWith("/health", VARS)).json<{ pull_sources: unknown[] }>();
    expect(health.pull_sources).toEqual([
      {
        carrier: "dpd-pl",
        state: "refused",
        failures: 3,
        last_ok_at: null,
        next_at: minute(7).toISOString(),
        error: expect.stringContaining("Access denied"),
      },
    ]);
    expect(JSON.stringify(health)).not.toContain(VARS.DPD_PL_PASSWORD);

    const metrics = renderExposition(await scrapeMetrics(dpdEnv));
    expect(metrics).toContain('parcelhook_pull_source_up{carrier="dpd-pl"} 0');
    expect(metrics).toContain('parcelhook_pull_source_failures{carrier="dpd-pl"} 3');
  });

  it("an unreachable source (no answer, then a 200 that is not SOAP) backs off as `unreachable`", async () => {
    await reset();
    const fake = newFake();
    fake.failNext("getEventsForCustomerV4", "network");
    fake.failNext("getEventsForCustomerV4", "http200_garbage");
    const [r1] = await run(fake, minute(0));
    expect(r1?.failure?.kind).toBe("unreachable");
    const [r2] = await run(fake, minute(1));
    expect(r2?.failure).toEqual({
      kind: "unreachable",
      message: expect.stringMatching(/not a getEventsForCustomerV4Response/),
    });
    const [r3] = await run(fake, minute(3));
    expect(r3?.failure).toBeNull();
    expect(await state()).toMatchObject({ failures: 0, last_failure: null, last_error: null });
  });

  it("an unconfigured source is never called, and /health says so", async () => {
    await reset();
    const fake = newFake();
    // Blank, whatever a local .dev.vars holds: blank is unset.
    const unset = { ...VARS, DPD_PL_LOGIN: "" };
    const unsetEnv = { ...env, ...unset } as Env;
    expect(await runPullSources(unsetEnv, minute(0), { fetch: fake.fetch }, [dpdPl])).toEqual([]);
    expect(fake.calls.getEventsForCustomerV4).toBe(0);
    expect(readConfig(unsetEnv).carriers["dpd-pl"].DPD_PL_LOGIN).toBeNull();
    const health = await (await callWith("/health", unset)).json<{ pull_sources: { state: string }[] }>();
    expect(health.pull_sources).toEqual([expect.objectContaining({ carrier: "dpd-pl", state: "not_configured" })]);
  });

  it("a record its schema refuses is quarantined whole (raw XML), and the page is still acknowledged", async () => {
    await reset();
    const fake = newFake();
    fake.add([{ businessCode: "190101", waybill: "1000999999999U", eventTime: "yesterday at noon" }]);
    const [r] = await run(fake, minute(0));
    expect(r).toMatchObject({ quarantined: 1, stored: 0, failure: null });
    expect(fake.unacknowledged()).toBe(0);
    const q = await callWith(
      "/api/quarantine?carrier=dpd-pl",
      {},
      { headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` } },
    );
    const body = await q.json<{ deliveries: { raw_body: string; issues: { path: string }[] }[] }>();
    expect(body.deliveries[0]?.raw_body).toContain("<eventTime>yesterday at noon</eventTime>");
    expect(body.deliveries[0]?.issues[0]?.path).toBe("eventTime");
  });

  it("has no webhook route: POST /webhooks/dpd-pl is 404", async () => {
    const res = await callWith("/webhooks/dpd-pl", VARS, { method: "POST", body: "{}" });
    expect(res.status).toBe(404);
  });
});
