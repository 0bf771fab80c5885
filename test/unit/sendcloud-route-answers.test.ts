import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import vector from "../fixtures/carriers/sendcloud/vectors/vendor-vector-6-2.json";
import { callWith } from "../helpers/call-with";
import { pausedQueue } from "../helpers/paused-queue";

// The contract's answers on /webhooks/sendcloud, through the Worker (the events queue is a paused
// one, a fault binding, so nothing reaches the local consumer). Sendcloud's own signature example
// (carriers-more.md 6.2) is authentic JSON but no event: 422 and quarantined, never stored.
const SECRET = "secretkey";
const hmacHex = async (body: string, key: string) => {
  const k = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(key),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", k, new TextEncoder().encode(body)));
  return [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
};

// A refusal's only background work is the rejection counts' flush, seconds later: not waited for
// (as in the conformance test); anything else is waited for, as the runtime would.
async function post(body: string, headers: Record<string, string>, secret = SECRET, refused = false) {
  const queue = pausedQueue();
  const overrides = { SENDCLOUD_WEBHOOK_SECRET: secret, EVENTS_QUEUE: queue } as Partial<Env>;
  const init = { method: "POST", headers: { "content-type": "application/json", ...headers }, body };
  const res = refused
    ? await app.fetch(
        new Request("https://parcelhook.test/webhooks/sendcloud", init),
        { ...env, ...overrides },
        createExecutionContext(),
      )
    : await callWith("/webhooks/sendcloud", overrides, init);
  return {
    res,
    json: await res.json<{ status?: string; error?: { code: string; issues?: { path: string }[] } }>(),
    queue,
  };
}

async function counts() {
  const q = (table: string) =>
    env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE carrier = 'sendcloud'`).first<{ n: number }>();
  return { events: (await q("events"))?.n, quarantined: (await q("quarantine"))?.n };
}

describe("/webhooks/sendcloud answers", () => {
  it("the vendor vector as given: signature passes, body is no event -> 422 invalid_payload on `action`, quarantined", async () => {
    const before = await counts();
    const { res, json, queue } = await post(vector.request.body, vector.request.headers);
    expect(res.status).toBe(vector.answer.status);
    expect(json.error?.code).toBe(vector.answer.code);
    expect(json.error?.issues?.map((i) => i.path).join(" ")).toContain("action");
    expect(queue.messages).toEqual([]);
    expect(await counts()).toEqual({ events: before.events, quarantined: (before.quarantined ?? 0) + 1 });
  });

  it("the vector without, or with a corrupted, signature -> 401, nothing stored", async () => {
    const before = await counts();
    const sig = vector.request.headers["sendcloud-signature"];
    const refused: Record<string, string>[] = [
      {},
      { "sendcloud-signature": `x${sig}` },
      { "sendcloud-signature": sig.toUpperCase() },
    ];
    for (const headers of refused) {
      const { res, json } = await post(vector.request.body, headers, SECRET, true);
      expect([res.status, json.error?.code]).toEqual([401, "unauthorized"]);
    }
    // Signed with another key: a well-formed but wrong HMAC.
    const wrongKey = { "sendcloud-signature": await hmacHex(vector.request.body, "x") };
    const { res } = await post(vector.request.body, wrongKey, SECRET, true);
    expect(res.status).toBe(401);
    expect(await counts()).toEqual(before);
  });

  it("503 carrier_not_configured while SENDCLOUD_WEBHOOK_SECRET is unset or blank", async () => {
    for (const secret of ["", " , "]) {
      const { res, json } = await post(vector.request.body, vector.request.headers, secret, true);
      expect([res.status, json.error?.code]).toEqual([503, "carrier_not_configured"]);
    }
  });

  it("400 malformed_json for a signed body that is not JSON", async () => {
    const body = '{"action": ';
    const { res, json } = await post(body, { "sendcloud-signature": await hmacHex(body, SECRET) });
    expect([res.status, json.error?.code]).toEqual([400, "malformed_json"]);
  });

  it("a signed parcel event with keys no doc lists is accepted (200), and its retry is a duplicate", async () => {
    const body = JSON.stringify({
      action: "parcel_status_changed",
      timestamp: 1712163999000,
      carrier_status_change_timestamp: 1712163998000,
      brand_new_top_level_key: { nested: [1, 2] },
      parcel: { id: 990001, tracking_number: "", status: { id: 1337, message: "Unknown status" }, never_seen: true },
    });
    const headers = { "sendcloud-signature": await hmacHex(body, SECRET) };
    const first = await post(body, headers);
    expect([first.res.status, first.json.status]).toEqual([200, "accepted"]);
    const again = await post(body, headers);
    expect([again.res.status, again.json.status]).toEqual([200, "duplicate"]);
  });
});
