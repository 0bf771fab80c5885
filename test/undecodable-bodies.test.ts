import { env } from "cloudflare:workers";
import { deflateRawSync } from "node:zlib";
import { Hono } from "hono/tiny";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AppEnv } from "../src/app-env";
import type { CronJob } from "../src/cron-jobs";
import { decodeRawBody } from "../src/db/body-codec";
import { isUndecodable, tryDecodeRawBody, tryRowToEvent } from "../src/db/try-decode";
import { errorResponse } from "../src/errors/error-response";
import { runCronJobs } from "../src/scheduled";
import { peddlerOutForDelivery } from "./fixtures/peddler";
import { call } from "./helpers/post-webhook";

// A stored body that cannot be decoded must not block anything else: the codec bounds its work by
// the stored length, callers can decode one row without throwing, an operator page shows the other
// rows (and the broken one, marked), a failed dictionary load skips only the cron jobs that decode,
// and error logs say what failed.
const admin = { authorization: `Bearer ${env.ADMIN_TOKEN}` };

/** A stored body (format 0: no dictionary) that says it holds `length` bytes but inflates to `actual`. */
function lyingBody(length: number, actual: number): Uint8Array {
  const body = deflateRawSync(new Uint8Array(actual), { level: 9 });
  const out = new Uint8Array(2 + body.length);
  out.set([0, length]);
  out.set(body, 2);
  return out;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the body codec", () => {
  it("stops inflating near the stored length: 8 MB of zeros behind a 10-byte length is refused as such", () => {
    expect(() => decodeRawBody(lyingBody(10, 8_000_000))).toThrow(/does not inflate to its stored length 10/);
  });

  it("decodes one row without throwing: an error marker instead", () => {
    const bad = tryDecodeRawBody("evt_x", [0, 5, 1, 2, 3]);
    expect(isUndecodable(bad) && bad.id).toBe("evt_x");
    expect(isUndecodable(bad) && bad.error).toMatch(/stored|length|invalid|inflate/i);
    const row = {
      id: "evt_y",
      carrier: "peddler",
      type: "shipment.status_changed",
      occurred_at: "2026-11-23T00:00:00.000Z",
      received_at: "2026-11-23T00:00:00.000Z",
      tracking_number: null,
      carrier_reference: null,
      status: null,
      carrier_status: null,
      reason: null,
      data: [9, 9, 9],
      raw_body: "{}",
    };
    expect(tryRowToEvent(row)).toMatchObject({
      undecodable: true,
      id: "evt_y",
      error: expect.stringMatching(/format 9/),
    });
    expect(tryRowToEvent({ ...row, data: '{"a":1}' })).toMatchObject({ id: "evt_y", data: { a: 1 } });
  });
});

describe("operator pages with a broken row", () => {
  it("list the other events, and show the broken one marked, instead of failing the page", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const delivery = { ...peddlerOutForDelivery, id: `undecodable-${i}-${crypto.randomUUID()}` };
      const res = await call("/webhooks/peddler", delivery, { headers: { "x-webhook-shared-token": "test-peddler" } });
      ids.push((await res.json<{ event_id: string }>()).event_id);
    }
    const [broken, fine] = ids as [string, string];
    await env.DB.prepare("UPDATE events SET data = X'0105FFFFFF', raw_body = X'0003AB' WHERE id = ?1")
      .bind(broken)
      .run();

    const list = await call("/api/events?carrier=peddler&limit=500", undefined, { headers: admin });
    expect(list.status).toBe(200);
    const events = (await list.json<{ events: { id: string; data: Record<string, unknown> }[] }>()).events;
    expect(events.find((e) => e.id === fine)?.data).not.toHaveProperty("undecodable");
    expect(events.find((e) => e.id === broken)?.data).toEqual({ undecodable: expect.any(String) });

    const detail = await call(`/api/events/${broken}`, undefined, { headers: admin });
    expect(detail.status).toBe(200);
    const body = await detail.json<{ raw_body: string; event: { data: Record<string, unknown> } }>();
    expect(body.raw_body).toMatch(/^\[stored body could not be decoded: /);
    expect(body.event.data).toHaveProperty("undecodable");
  });
});

describe("the cron run (fault: the body dictionaries cannot be loaded)", () => {
  it("skips only the jobs that decode, runs the others, and logs which and why", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const ran: string[] = [];
    const job = (name: string, decodes: boolean): CronJob => ({ name, decodes, run: async () => ran.push(name) });
    await runCronJobs(
      [job("retention", false), job("catch_up_held", true), job("alerts", false)],
      env,
      new Date(),
      () => Promise.reject(new Error("loading the body dictionaries: HTTP 503")),
    );
    expect(ran.sort()).toEqual(["alerts", "retention"]);
    expect(errors.mock.calls.map((c) => JSON.parse(String(c[0])))).toEqual([
      { msg: "cron_jobs_skipped", jobs: ["catch_up_held"], error: "loading the body dictionaries: HTTP 503" },
    ]);
  });
});

describe("error logs", () => {
  it("carry the error's message, not only its class", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const app = new Hono<AppEnv>();
    app.onError(errorResponse);
    app.get("/", () => {
      throw new Error("stored body has a broken length");
    });
    const res = await app.request("/");
    expect(res.status).toBe(500);
    const line = JSON.parse(String(errors.mock.calls[0]?.[0]));
    expect(line).toMatchObject({ msg: "unhandled_error", error: "Error", message: "stored body has a broken length" });
  });
});
