// POST /webhooks/easypost through the Worker's app (workerd, local D1 and queue), with
// EASYPOST_WEBHOOK_SECRET laid over the test env: the contract's answers for this route.
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { easypostSignature } from "../../src/carriers/easypost/easypost-signature";
import trackerUpdated from "../fixtures/carriers/easypost/tracker-updated.json";
import { callWith } from "../helpers/call-with";
import { storedEvent } from "../helpers/stored-event";

const SECRET = "s\u00e9cret";
const VENDOR_BODY = trackerUpdated.request.body;
const VENDOR_SIGNATURE = trackerUpdated.request.headers["x-hmac-signature"];
const NFC_SIGNATURE = "hmac-sha256-hex=7f1669d6699d0b937cc1e69402423bdd2be0a8bcf571d34a8116765f1741219b";
const NEAR_MISS = "hmac-sha256-hex=e93977c8ccb20363d51a62b3fe1fc402b7829be1152da9e88cf9e8d07115aaaa";
const encoder = new TextEncoder();

function post(body: string, signature: string | null, settings: Partial<Env> = { EASYPOST_WEBHOOK_SECRET: SECRET }) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (signature !== null) headers["X-Hmac-Signature"] = signature;
  return callWith("/webhooks/easypost", settings, { method: "POST", headers, body });
}

/** A request that is refused: its only background work, the rejection counts' flush, is not waited for. */
function refused(body: string, signature: string | null, settings: Partial<Env> = { EASYPOST_WEBHOOK_SECRET: SECRET }) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (signature !== null) headers["X-Hmac-Signature"] = signature;
  const init = { method: "POST", headers, body };
  return app.fetch(
    new Request("https://parcelhook.test/webhooks/easypost", init),
    { ...env, ...settings },
    createExecutionContext(),
  );
}

const sign = (body: string, secret = SECRET) => easypostSignature(encoder.encode(body), secret);

async function stored(): Promise<{ events: number; quarantined: number }> {
  const count = async (table: string) =>
    (await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE carrier = 'easypost'`).first<{ n: number }>())?.n ??
    0;
  return { events: await count("events"), quarantined: await count("quarantine") };
}

async function errorCode(res: Response): Promise<string> {
  return (await res.json<{ error: { code: string } }>()).error.code;
}

beforeEach(async () => {
  await env.DB.prepare("DELETE FROM quarantine WHERE carrier = 'easypost'").run();
});

describe("POST /webhooks/easypost", () => {
  it("answers 503 carrier_not_configured while the secret is unset or blank, storing nothing", async () => {
    for (const settings of [{ EASYPOST_WEBHOOK_SECRET: "" }, { EASYPOST_WEBHOOK_SECRET: " , " }]) {
      const res = await refused(VENDOR_BODY, VENDOR_SIGNATURE, settings);
      expect(res.status).toBe(503);
      expect(await errorCode(res)).toBe("carrier_not_configured");
    }
    expect(await stored()).toEqual({ events: 0, quarantined: 0 });
  });

  it("refuses every signature problem with 401 and stores nothing", async () => {
    const hex = VENDOR_SIGNATURE.slice("hmac-sha256-hex=".length);
    for (const signature of [
      null,
      "",
      NFC_SIGNATURE,
      NEAR_MISS,
      hex,
      VENDOR_SIGNATURE.toUpperCase(),
      `${VENDOR_SIGNATURE},${VENDOR_SIGNATURE}`,
    ]) {
      const res = await refused(VENDOR_BODY, signature);
      expect(res.status, String(signature)).toBe(401);
      expect(await errorCode(res)).toBe("unauthorized");
    }
    // The right signature under another secret, and the right secret over another body.
    expect((await refused(VENDOR_BODY, VENDOR_SIGNATURE, { EASYPOST_WEBHOOK_SECRET: "secret" })).status).toBe(401);
    expect((await refused(`${VENDOR_BODY}\n`, VENDOR_SIGNATURE)).status).toBe(401);
    expect(await stored()).toEqual({ events: 0, quarantined: 0 });
  });

  it("refuses a missing signature 401 before reading an oversized body; a well-formed one reads it: 413", async () => {
    const big = `{"id":"evt_big","description":"tracker.updated","pad":"${"x".repeat(600_000)}"}`;
    expect((await refused(big, null)).status).toBe(401);
    const res = await refused(big, await sign(big));
    expect(res.status).toBe(413);
    expect(await errorCode(res)).toBe("payload_too_large");
    expect(await stored()).toEqual({ events: 0, quarantined: 0 });
  });

  it("accepts the vendor's vector during a rotation, stores it normalized, and answers its retry duplicate", async () => {
    const settings = { EASYPOST_WEBHOOK_SECRET: `old-secret, ${SECRET}` };
    const res = await post(VENDOR_BODY, VENDOR_SIGNATURE, settings);
    expect(res.status).toBe(200);
    const { status, event_id } = await res.json<{ status: string; event_id: string }>();
    expect(status).toBe("accepted");
    const row = await storedEvent(event_id);
    expect(row).toMatchObject({
      carrier: "easypost",
      type: "shipment.status_changed",
      status: "in_transit",
      carrier_status: "in_transit",
      tracking_number: "1",
      carrier_reference: "trk_1",
      occurred_at: "2024-08-02T18:50:00.000Z",
      raw_body: VENDOR_BODY,
    });
    const again = await post(VENDOR_BODY, VENDOR_SIGNATURE, settings);
    expect(await again.json()).toEqual({ status: "duplicate", event_id });
  });

  it("answers a signed body that is not JSON 400 malformed_json, storing nothing", async () => {
    const body = '{"description":"tracker.updated",';
    const res = await refused(body, await sign(body));
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe("malformed_json");
    expect((await stored()).quarantined).toBe(0);
  });

  it("answers a signed tracker event that is not a Tracker 422 with issues, and quarantines it", async () => {
    const body = JSON.stringify({ id: "evt_not_a_tracker", description: "tracker.updated", result: { id: "trk_9" } });
    const res = await post(body, await sign(body));
    expect(res.status).toBe(422);
    const answer = await res.json<{ error: { code: string; issues: { path: string }[] } }>();
    expect(answer.error.code).toBe("invalid_payload");
    expect(answer.error.issues.map((i) => i.path)).toContain("result.status");
    expect((await stored()).quarantined).toBe(1);
  });

  it("stores a signed event of another kind as unknown with no status", async () => {
    const body = JSON.stringify({
      id: "evt_refund_1",
      object: "Event",
      description: "refund.successful",
      mode: "test",
      created_at: "2026-05-04T10:00:00.000Z",
      result: { id: "rfnd_1", object: "Refund", status: "refunded", tracking_code: "EZ4000000004" },
    });
    const res = await post(body, await sign(body));
    expect(res.status).toBe(200);
    const { event_id } = await res.json<{ event_id: string }>();
    expect(await storedEvent(event_id)).toMatchObject({
      type: "unknown",
      status: null,
      carrier_status: "refund.successful",
      tracking_number: "EZ4000000004",
      occurred_at: "2026-05-04T10:00:00.000Z",
    });
  });
});
