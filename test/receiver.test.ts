import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../src/app";
import { flushRejections } from "../src/rejections/count-rejection";
import { sweepUnqueued } from "../src/sweep/sweep-unqueued";
import { peddlerOutForDelivery } from "./fixtures/peddler";
import { callWith } from "./helpers/call-with";
import { call } from "./helpers/post-webhook";
import { quarantinedBody } from "./helpers/stored-event";
import { throwingD1 } from "./helpers/throwing-d1";

const auth = { "x-webhook-shared-token": "test-peddler" };
let seq = 0;
/** A Peddler event no other test has sent (its identity is id + code + ts). */
function freshPeddler() {
  seq += 1;
  return { ...peddlerOutForDelivery, id: `receiver-test-${seq}-${crypto.randomUUID()}` };
}

async function countEvents(reference: string): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM events WHERE carrier_reference = ?")
    .bind(reference)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

function callWithEnv(overrides: Partial<Env>, path: string, body: unknown): Promise<Response> {
  return callWith(path, overrides, { method: "POST", headers: auth, body: JSON.stringify(body) });
}

describe("error answers", () => {
  it("answers malformed JSON 400 malformed_json, whatever the Content-Type", async () => {
    const res = await call("/webhooks/peddler", "{not json", { headers: { ...auth, "content-type": "text/plain" } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: "malformed_json", message: expect.any(String) } });
  });

  it("parses a JSON body sent as text/plain (carriers differ on Content-Type)", async () => {
    const res = await call("/webhooks/peddler", freshPeddler(), { headers: { ...auth, "content-type": "text/plain" } });
    expect(res.status).toBe(200);
  });

  it("answers invalid UTF-8 400 malformed_json", async () => {
    const ctx = createExecutionContext();
    const res = await app.fetch(
      new Request("https://parcelhook.test/webhooks/peddler", {
        method: "POST",
        headers: auth,
        body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
      }),
      env,
      ctx,
    );
    expect(res.status).toBe(400);
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe("malformed_json");
  });

  it("answers a missing token 401 unauthorized before reading the payload", async () => {
    const res = await call("/webhooks/peddler", "{not json");
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
  });

  it("answers an unknown carrier and an unknown path 404 not_found", async () => {
    for (const path of ["/webhooks/dhl", "/nope", "/webhooks/__proto__"]) {
      const res = await call(path, {}, { headers: auth });
      expect(res.status, path).toBe(404);
      expect(await res.json()).toEqual({ error: { code: "not_found", message: expect.any(String) } });
    }
  });

  it("answers 405 method_not_allowed for POST /health, PUT on a webhook and GET on a POST-only carrier", async () => {
    const cases: [string, string][] = [
      ["POST", "/health"],
      ["PUT", "/webhooks/peddler"],
      ["DELETE", "/webhooks/inpost"],
      ["GET", "/webhooks/swiftpod"],
    ];
    for (const [method, path] of cases) {
      const res = await call(path, method === "GET" ? undefined : "{}", { method, headers: auth });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(await res.json()).toEqual({ error: { code: "method_not_allowed", message: expect.any(String) } });
    }
  });

  it("answers 405 for any method no route answers, on any path, and for a known route's other method", async () => {
    const cases: [string, string][] = [
      ["PUT", "/nope"],
      ["PUT", "/api/events"],
      ["PATCH", "/dashboard"],
      ["DELETE", "/webhooks/dhl"],
      // PATCH and DELETE are answered at /api/destinations/{id} only.
      ["PATCH", "/api/destinations"],
      ["DELETE", "/api/destinations/dst_x/replay"],
      ["PATCH", "/api/events/evt_x"],
      ["OPTIONS", "/api/replay"],
      ["GET", "/api/replay"],
      ["GET", "/api/events/evt_x/replay"],
      ["POST", "/api/events"],
    ];
    for (const [method, path] of cases) {
      const res = await call(path, method === "GET" ? undefined : "{}", {
        method,
        headers: { authorization: "Bearer test-admin-token-0123456789abcdef0123" },
      });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(await res.json()).toEqual({ error: { code: "method_not_allowed", message: expect.any(String) } });
    }
    const getReplay = await call("/api/replay", undefined, {
      headers: { authorization: "Bearer test-admin-token-0123456789abcdef0123" },
    });
    expect(getReplay.headers.get("allow")).toBe("POST");
    const getNowhere = await call("/api/nowhere", undefined, {
      headers: { authorization: "Bearer test-admin-token-0123456789abcdef0123" },
    });
    expect(getNowhere.status).toBe(404);
  });

  it("answers a body over MAX_BODY_BYTES 413 payload_too_large and stores nothing", async () => {
    const big = { ...freshPeddler(), metaData: "x".repeat(524_288) };
    const res = await call("/webhooks/peddler", big, { headers: auth });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: { code: "payload_too_large", message: expect.any(String) } });
    expect(await countEvents(big.id)).toBe(0);
  });

  it("answers a body one byte under the limit normally", async () => {
    const event = freshPeddler();
    const base = JSON.stringify({ ...event, metaData: "" }).length;
    const body = JSON.stringify({ ...event, metaData: "x".repeat(524_288 - base - 1) });
    expect(body.length).toBe(524_287);
    const res = await call("/webhooks/peddler", body, { headers: auth });
    expect(res.status).toBe(200);
  });

  it("answers an unconfigured carrier 503 carrier_not_configured and accepts nothing", async () => {
    const event = freshPeddler();
    const res = await callWithEnv({ PEDDLER_WEBHOOK_TOKEN: "" }, "/webhooks/peddler", event);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: { code: "carrier_not_configured", message: expect.any(String) } });
    expect(await countEvents(event.id)).toBe(0);
  });

  it("answers an authenticated invalid payload 422 with issues and keeps it in quarantine", async () => {
    const bad = { ...freshPeddler(), code: "601", ts: "2024-09-02 13:08" };
    const res = await call("/webhooks/peddler", bad, { headers: auth });
    expect(res.status).toBe(422);
    const body = await res.json<{ error: { code: string; issues: { path: string; message: string }[] } }>();
    expect(body.error.code).toBe("invalid_payload");
    expect(body.error.issues.map((i) => i.path).sort()).toEqual(["code", "ts"]);
    for (const issue of body.error.issues) expect(issue.message).toEqual(expect.any(String));
    const q = await quarantinedBody("peddler", bad.id, "contains");
    expect(q?.carrier).toBe("peddler");
    expect(q?.raw_body).toBe(JSON.stringify(bad));
    expect(JSON.parse(q?.issues ?? "[]")).toEqual(body.error.issues);
    expect(await countEvents(bad.id)).toBe(0);
  });

  it("answers a JSON value that is not an object 422, not 500", async () => {
    for (const body of ["[]", "null", '"text"', "42"]) {
      const res = await call("/webhooks/peddler", body, { headers: auth });
      expect(res.status, body).toBe(422);
    }
  });

  it("counts rejected requests per carrier and code for the operator's stats", async () => {
    await call("/webhooks/peddler", freshPeddler(), { headers: { "x-webhook-shared-token": "wrong" } });
    // Counts are written per isolate now and then; flush this isolate's at once instead of waiting.
    await flushRejections(env.DB);
    const row = await env.DB.prepare(
      "SELECT sum(count) AS n FROM rejections WHERE carrier = 'peddler' AND status = 401 AND code = 'unauthorized'",
    ).first<{ n: number }>();
    expect(row?.n).toBeGreaterThanOrEqual(1);
  });
});

describe("rejection counts", () => {
  it("counts requests to unknown carriers under 'unknown', never under the name in the URL", async () => {
    const name = `made-up-${crypto.randomUUID()}`;
    await call(`/webhooks/${name}`, {}, { headers: auth });
    await flushRejections(env.DB);
    const rows = await env.DB.prepare("SELECT carrier FROM rejections WHERE status = 404").all<{ carrier: string }>();
    expect(rows.results.map((r) => r.carrier)).toContain("unknown");
    expect(rows.results.map((r) => r.carrier)).not.toContain(name);
  });
});

describe("health", () => {
  it("answers GET /health 200 with JSON when D1 answers", async () => {
    const res = await call("/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok" });
  });

  it("says forwarding is off without FORWARD_URL and on with one", async () => {
    const off = await callWith("/health", { FORWARD_URL: "" });
    expect(await off.json()).toMatchObject({ status: "ok", forwarding: "off", config_problems: [] });
    const on = await callWith("/health", { FORWARD_URL: "https://shop.example/hooks" });
    expect(await on.json()).toMatchObject({ status: "ok", forwarding: "on", config_problems: [] });
  });

  it("names each setting it could not use, never its value, and keeps answering 200", async () => {
    const secretish = "whsec-not-base64-but-secret";
    const res = await callWith("/health", {
      FORWARD_URL: "not a url",
      MAX_BODY_BYTES: "lots",
      FORWARD_SIGNING_SECRET: secretish,
    } as Partial<Env>);
    expect(res.status).toBe(200);
    const body = await res.json<{ forwarding: string; config_problems: { name: string; message: string }[] }>();
    expect(body.forwarding).toBe("off");
    expect(body.config_problems.map((p) => p.name).sort()).toEqual([
      "FORWARD_SIGNING_SECRET",
      "FORWARD_URL",
      "MAX_BODY_BYTES",
    ]);
    expect(JSON.stringify(body)).not.toContain(secretish);
  });

  it("answers 503 storage_unavailable when D1 fails (fault: D1 throws)", async () => {
    const ctx = createExecutionContext();
    const res = await app.fetch(new Request("https://parcelhook.test/health"), { ...env, DB: throwingD1() }, ctx);
    expect(res.status).toBe(503);
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe("storage_unavailable");
  });
});

describe("nothing accepted is lost", () => {
  it("answers 503 storage_unavailable and stores nothing when D1 fails (fault: D1 throws)", async () => {
    const event = freshPeddler();
    const res = await callWithEnv({ DB: throwingD1() }, "/webhooks/peddler", event);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: { code: "storage_unavailable", message: expect.any(String) } });
    expect(await countEvents(event.id)).toBe(0);
    // The carrier's retry, once D1 is back, is accepted as new.
    const retry = await call("/webhooks/peddler", event, { headers: auth });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ status: "accepted" });
    expect(await countEvents(event.id)).toBe(1);
  });

  it("answers 503 for an invalid payload it could not quarantine (fault: D1 throws)", async () => {
    const res = await callWithEnv({ DB: throwingD1() }, "/webhooks/peddler", { ...freshPeddler(), code: "x" });
    expect(res.status).toBe(503);
  });

  it("answers 200 when the queue refuses, and the sweep queues the stored event (fault: queue refuses)", async () => {
    const event = freshPeddler();
    const res = await callWithEnv({ EVENTS_QUEUE: refusingQueue() }, "/webhooks/peddler", event);
    expect(res.status).toBe(200);
    const { event_id } = await res.json<{ event_id: string }>();
    const before = await env.DB.prepare("SELECT enqueue_failed_at, swept_at FROM events WHERE id = ?")
      .bind(event_id)
      .first<{ enqueue_failed_at: string | null; swept_at: string | null }>();
    expect(before?.enqueue_failed_at).not.toBeNull();
    expect(before?.swept_at).toBeNull();

    // The real local queue this time.
    const queued = await sweepUnqueued(env);
    expect(queued).toBeGreaterThanOrEqual(1);
    const after = await env.DB.prepare("SELECT swept_at FROM events WHERE id = ?")
      .bind(event_id)
      .first<{ swept_at: string | null }>();
    expect(after?.swept_at).not.toBeNull();
    // A second sweep right away does not send it again.
    const again = await sweepUnqueued(env);
    const swept = await env.DB.prepare("SELECT swept_at FROM events WHERE id = ?")
      .bind(event_id)
      .first<{ swept_at: string | null }>();
    expect(swept?.swept_at).toBe(after?.swept_at);
    expect(again).toBe(0);
  });

  it("the sweep leaves alone events still within their grace time and those the consumer has seen", async () => {
    const fresh = freshPeddler();
    const res = await call("/webhooks/peddler", fresh, { headers: auth });
    const { event_id } = await res.json<{ event_id: string }>();
    await sweepUnqueued(env);
    const row = await env.DB.prepare("SELECT swept_at FROM events WHERE id = ?")
      .bind(event_id)
      .first<{ swept_at: string | null }>();
    expect(row?.swept_at).toBeNull();

    // Ten minutes later, an event never seen by the consumer is swept; a seen one is not.
    const later = new Date(Date.now() + 600_000);
    const seen = freshPeddler();
    const seenId = (await (await call("/webhooks/peddler", seen, { headers: auth })).json<{ event_id: string }>())
      .event_id;
    await env.DB.prepare("UPDATE events SET seen_at = ?2 WHERE id = ?1").bind(seenId, new Date().toISOString()).run();
    await env.DB.prepare("UPDATE events SET seen_at = NULL WHERE id = ?1").bind(event_id).run();
    await sweepUnqueued(env, later);
    const rows = await env.DB.prepare("SELECT id, swept_at FROM events WHERE id IN (?1, ?2)")
      .bind(event_id, seenId)
      .all<{ id: string; swept_at: string | null }>();
    const byId = Object.fromEntries(rows.results.map((r) => [r.id, r.swept_at]));
    expect(byId[seenId]).toBeNull();
    expect(byId[event_id]).toBe(later.toISOString());
  });

  /** The event as the consumer leaves it after a forward to default (a test's setup): seen, a delivery in `state`. */
  async function seenWithDelivery(eventId: string, state: "queued" | "retrying", at: string): Promise<number> {
    const row = await env.DB.prepare("SELECT seq FROM events WHERE id = ?1").bind(eventId).first<{ seq: number }>();
    const seq = row?.seq as number;
    await env.DB.batch([
      env.DB.prepare("UPDATE events SET state = ?2, seen_at = ?3, updated_at = ?3 WHERE id = ?1").bind(
        eventId,
        state,
        at,
      ),
      env.DB.prepare(
        "INSERT INTO deliveries (event_seq, destination_no, state, attempts, gen, updated_at) VALUES (?1, 1, ?2, 1, 0, ?3)",
      ).bind(seq, state === "queued" ? 1 : 2, Math.floor(Date.parse(at) / 1000)),
    ]);
    return seq;
  }
  const movedAt = async (seq: number) =>
    (
      await env.DB.prepare("SELECT updated_at FROM deliveries WHERE event_seq = ?1 AND destination_no = 1")
        .bind(seq)
        .first<{ updated_at: number }>()
    )?.updated_at;

  it("the sweep re-queues a delivery left retrying longer than any retry delay, once", async () => {
    const res = await call("/webhooks/peddler", freshPeddler(), { headers: auth });
    const { event_id } = await res.json<{ event_id: string }>();
    const seq = await seenWithDelivery(event_id, "retrying", new Date(Date.now() - 3 * 3600_000).toISOString());
    const now = new Date();
    expect(await sweepUnqueued(env, now)).toBeGreaterThanOrEqual(1);
    expect(await movedAt(seq)).toBe(Math.floor(now.getTime() / 1000));
    // An hour later it is not sent again; a retrying delivery with a recent attempt is never touched.
    await sweepUnqueued(env, new Date(now.getTime() + 3600_000));
    expect(await movedAt(seq)).toBe(Math.floor(now.getTime() / 1000));
  });

  it("the sweep re-queues a delivery the consumer saw but never finished, hours ago", async () => {
    const res = await call("/webhooks/peddler", freshPeddler(), { headers: auth });
    const { event_id } = await res.json<{ event_id: string }>();
    const seq = await seenWithDelivery(event_id, "queued", new Date(Date.now() - 3 * 3600_000).toISOString());
    const now = new Date();
    await sweepUnqueued(env, now);
    expect(await movedAt(seq)).toBe(Math.floor(now.getTime() / 1000));
  });

  it("the sweep leaves a retrying delivery alone while its retry may still be on its way", async () => {
    const res = await call("/webhooks/peddler", freshPeddler(), { headers: auth });
    const { event_id } = await res.json<{ event_id: string }>();
    const at = new Date(Date.now() - 3600_000).toISOString();
    const seq = await seenWithDelivery(event_id, "retrying", at);
    await sweepUnqueued(env);
    expect(await movedAt(seq)).toBe(Math.floor(Date.parse(at) / 1000));
  });

  it("does not store a secret from the URL", async () => {
    const event = freshPeddler();
    const res = await call("/webhooks/peddler", event, { headers: auth, query: "?secret=hunter2&x=1" });
    const { event_id } = await res.json<{ event_id: string }>();
    const row = await env.DB.prepare("SELECT request_url FROM events WHERE id = ?")
      .bind(event_id)
      .first<{ request_url: string }>();
    expect(row?.request_url).toBe("https://parcelhook.test/webhooks/peddler?x=1");
  });
});

function refusingQueue(): Queue {
  const refuse = async () => {
    throw new Error("Queue send failed: injected fault");
  };
  return { send: refuse, sendBatch: refuse } as unknown as Queue;
}
