import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import cre1001 from "../fixtures/carriers/inpost-global/cre-1001.json";
import mmd1001 from "../fixtures/carriers/inpost-global/mmd-1001.json";
import { pausedQueue } from "../helpers/paused-queue";
import { EC_PUBLIC_KEY, PRODUCTION_CERTIFICATE, SANDBOX_CERTIFICATE } from "./inpost-global-certificates";

// The route through the Worker, with InPost Global's two settings laid over the test env and a
// paused events queue (a fault binding: nothing consumes what an accepted request queues). A
// refusal's background work (the rejection counts' flush, seconds later) is not waited for.
const KEY = "this is example of the HMAC key";
const UNSET = { INPOST_GLOBAL_PUBLIC_KEY: "", INPOST_GLOBAL_HMAC_SECRET: "" };

async function hmac(message: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(KEY),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(message)));
  return btoa(String.fromCharCode(...mac));
}

function fetchWith(path: string, settings: Record<string, string>, init?: RequestInit): Promise<Response> {
  const overrides = { ...UNSET, ...settings, EVENTS_QUEUE: pausedQueue() };
  return Promise.resolve(
    app.fetch(new Request(`https://parcelhook.test${path}`, init), { ...env, ...overrides }, createExecutionContext()),
  );
}

function post(settings: Record<string, string>, headers: Record<string, string>, body: string) {
  return fetchWith("/webhooks/inpost-global", settings, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
}

async function stored(): Promise<{ events: number; quarantined: number }> {
  const count = (table: string) =>
    env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE carrier = 'inpost-global'`).first<{ n: number }>();
  return { events: (await count("events"))?.n ?? 0, quarantined: (await count("quarantine"))?.n ?? 0 };
}

const event = (id: string, changes: Record<string, unknown> = {}) =>
  JSON.stringify({ ...JSON.parse(mmd1001.request.body), eventId: `${id}#EOL.1001`, eventCode: "EOL.1001", ...changes });

describe("POST /webhooks/inpost-global", () => {
  it("answers 503 carrier_not_configured while neither a key nor an HMAC secret is set", async () => {
    const res = await post({}, mmd1001.request.headers, mmd1001.request.body);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: "carrier_not_configured" } });
  });

  it("answers 503 while a PEM block is unreadable, names it in /health, and accepts once it is mended", async () => {
    const broken = {
      INPOST_GLOBAL_PUBLIC_KEY: `${PRODUCTION_CERTIFICATE}\n${EC_PUBLIC_KEY}`,
      INPOST_GLOBAL_HMAC_SECRET: KEY,
    };
    const body = event("mended");
    const headers = { "x-inpost-signature": await hmac(body) };
    const refused = await post(broken, headers, body);
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ error: { code: "carrier_not_configured" } });

    const health = await fetchWith("/health", broken);
    const { config_problems } = await health.json<{ config_problems: { name: string; message: string }[] }>();
    const problem = config_problems.find((p) => p.name === "INPOST_GLOBAL_PUBLIC_KEY");
    expect(problem?.message).toContain("block 2 (PUBLIC KEY): not an RSA key");
    expect(JSON.stringify(config_problems)).not.toContain(EC_PUBLIC_KEY.split("\n")[1]);

    const mended = { ...broken, INPOST_GLOBAL_PUBLIC_KEY: `${PRODUCTION_CERTIFICATE}\n${SANDBOX_CERTIFICATE}` };
    const accepted = await post(mended, headers, body);
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ status: "accepted" });
    const healthy = await fetchWith("/health", mended);
    const after = await healthy.json<{ config_problems: { name: string }[] }>();
    expect(after.config_problems.map((p) => p.name)).not.toContain("INPOST_GLOBAL_PUBLIC_KEY");
  });

  it("answers 401 for the RSA vector under the production certificate, and stores nothing", async () => {
    const before = await stored();
    const res = await post(
      { INPOST_GLOBAL_PUBLIC_KEY: PRODUCTION_CERTIFICATE },
      mmd1001.request.headers,
      mmd1001.request.body,
    );
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "unauthorized" } });
    expect(await stored()).toEqual(before);
  });

  it("answers 401 for an HMAC over the body when only a timestamp-variant signature would fit, and the reverse", async () => {
    const before = await stored();
    const headers = cre1001.request.headers as Record<string, string>;
    // The timestamp-variant signature without its timestamp.
    const { "x-inpost-timestamp": _, ...noTimestamp } = headers;
    expect((await post({ INPOST_GLOBAL_HMAC_SECRET: KEY }, noTimestamp, cre1001.request.body)).status).toBe(401);
    expect(await stored()).toEqual(before);
  });

  it("answers 400 for a signed body that is not JSON, and 422 (quarantined) for a signed invalid event", async () => {
    const notJson = '{"eventId": ';
    const bad = await post({ INPOST_GLOBAL_HMAC_SECRET: KEY }, { "x-inpost-signature": await hmac(notJson) }, notJson);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: "malformed_json" } });

    const before = await stored();
    const invalid = event("no-zone", { timestamp: "2024-11-25T16:51:40.111968200" });
    const res = await post({ INPOST_GLOBAL_HMAC_SECRET: KEY }, { "x-inpost-signature": await hmac(invalid) }, invalid);
    expect(res.status).toBe(422);
    const answer = await res.json<{ error: { code: string; issues: { path: string }[] } }>();
    expect(answer.error.code).toBe("invalid_payload");
    expect(answer.error.issues.map((i) => i.path)).toEqual(["timestamp"]);
    expect(await stored()).toEqual({ ...before, quarantined: before.quarantined + 1 });
  });
});
