// The contract's answers on /webhooks/aftership, through the Worker with its real D1 (the fixtures'
// conformance run covers accepted, duplicate, a missing or corrupted signature, and forwarding).
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { callWith } from "../helpers/call-with";
import { untouchedBody } from "../helpers/route-answers";
import { AFTERSHIP_VECTOR } from "./aftership-fixtures";

const SECRET = "aftership_test_secret";
const HEX = "d44577152c70a705717da512fb050d4cb78ebf0fe4d4db0844bcd85724d5e65e";

async function hmacBase64(body: string, secret = SECRET): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(body)));
  return btoa(String.fromCharCode(...mac));
}

/**
 * A refusal's only background work is the rejection counts' flush, seconds later: not waited for
 * (as in the conformance test); anything else is waited for, as the runtime would.
 */
async function post(body: string, headers: Record<string, string>, secret = SECRET, refused = false) {
  const overrides = { AFTERSHIP_WEBHOOK_SECRET: secret } as Partial<Env>;
  const init = { method: "POST", headers: { "content-type": "application/json", ...headers }, body };
  const res = refused
    ? await app.fetch(
        new Request("https://parcelhook.test/webhooks/aftership", init),
        { ...env, ...overrides },
        createExecutionContext(),
      )
    : await callWith("/webhooks/aftership", overrides, init);
  const json = await res.json<{ status?: string; event_id?: string; error?: { code: string; issues?: unknown[] } }>();
  return { status: res.status, json };
}

async function counts(): Promise<{ events: number; quarantined: number }> {
  const q = (table: string) =>
    env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE carrier = 'aftership'`).first<{ n: number }>();
  return { events: (await q("events"))?.n ?? 0, quarantined: (await q("quarantine"))?.n ?? 0 };
}

/** A valid body of its own event_id, so tests in this file do not collide. */
const body = (eventId: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    event: "tracking_update",
    event_id: eventId,
    msg: { id: "r1", tracking_number: `T-${eventId}`, slug: "gls", tag: "InTransit" },
    ts: 1712741696,
    ...extra,
  });

describe("/webhooks/aftership", () => {
  it("answers 503 carrier_not_configured while the secret is unset, even to a valid signature", async () => {
    const b = AFTERSHIP_VECTOR.request.body;
    const { status, json } = await post(b, { "aftership-hmac-sha256": await hmacBase64(b) }, "", true);
    expect(status).toBe(503);
    expect(json.error?.code).toBe("carrier_not_configured");
  });

  it("refuses the vector's digest in hex with 401, storing nothing", async () => {
    const before = await counts();
    const { status, json } = await post(AFTERSHIP_VECTOR.request.body, { "aftership-hmac-sha256": HEX }, SECRET, true);
    expect(status).toBe(401);
    expect(json.error?.code).toBe("unauthorized");
    expect(await counts()).toEqual(before);
  });

  it("refuses a signature made with another key, or over other bytes, with 401", async () => {
    const b = body("route-wrong-key");
    const wrongKey = { "aftership-hmac-sha256": await hmacBase64(b, "other") };
    expect((await post(b, wrongKey, SECRET, true)).status).toBe(401);
    const pretty = JSON.stringify(JSON.parse(b), null, 2);
    expect((await post(b, { "aftership-hmac-sha256": await hmacBase64(pretty) }, SECRET, true)).status).toBe(401);
    expect(await counts()).toEqual({ events: 0, quarantined: 0 });
  });

  it("accepts with any secret of a rotation list", async () => {
    const b = body("route-rotation");
    const { status, json } = await post(b, { "aftership-hmac-sha256": await hmacBase64(b) }, `old-one, ${SECRET}`);
    expect(status).toBe(200);
    expect(json.status).toBe("accepted");
  });

  it("answers a signed body that is not JSON with 400 malformed_json", async () => {
    const b = '{"event":"tracking_update",';
    const { status, json } = await post(b, { "aftership-hmac-sha256": await hmacBase64(b) });
    expect(status).toBe(400);
    expect(json.error?.code).toBe("malformed_json");
  });

  it("answers a signed body with ts in milliseconds with 422 and quarantines it", async () => {
    const before = await counts();
    const b = body("route-ms", { ts: 1712741696000 });
    const { status, json } = await post(b, { "aftership-hmac-sha256": await hmacBase64(b) });
    expect(status).toBe(422);
    expect(json.error?.code).toBe("invalid_payload");
    expect(json.error?.issues).toEqual([expect.objectContaining({ path: "ts" })]);
    expect(await counts()).toEqual({ events: before.events, quarantined: before.quarantined + 1 });
  });

  it("does not read the body when the signature header is missing or malformed", async () => {
    for (const headers of [{}, { "aftership-hmac-sha256": HEX }] as Record<string, string>[]) {
      const { stream, pulls } = untouchedBody();
      const res = await app.fetch(
        new Request("https://parcelhook.test/webhooks/aftership", { method: "POST", headers, body: stream }),
        { ...env, AFTERSHIP_WEBHOOK_SECRET: SECRET },
        createExecutionContext(),
      );
      expect(res.status).toBe(401);
      expect(pulls()).toBe(0);
    }
  });
});
