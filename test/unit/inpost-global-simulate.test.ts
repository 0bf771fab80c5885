import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { createRng } from "../../scripts/simulate/rng";
import { inpostGlobalPayloadSchema } from "../../src/carriers/inpost-global/inpost-global-payload-schema";
import { inpostGlobalSettings } from "../../src/carriers/inpost-global/inpost-global-settings";
import { normalizeInpostGlobal } from "../../src/carriers/inpost-global/normalize-inpost-global";
import { simulate } from "../../src/carriers/inpost-global/simulate";
import {
  verifyInpostGlobalSender,
  verifyInpostGlobalSignature,
} from "../../src/carriers/inpost-global/verify-inpost-global-signature";

const KEY = "sim-inpost-global-hmac";
const settings = {
  INPOST_GLOBAL_PUBLIC_KEY: inpostGlobalSettings.INPOST_GLOBAL_PUBLIC_KEY.fallback,
  INPOST_GLOBAL_HMAC_SECRET: [KEY],
};

/** What the route would answer, short of storage: the checks in the receiver's order. */
async function answer(req: { headers: Record<string, string>; body: string }): Promise<number> {
  const ctx = {
    url: new URL("https://parcelhook.test/webhooks/inpost-global"),
    headers: new Headers(req.headers),
    clientIp: null,
  };
  const sender = await verifyInpostGlobalSender(ctx, settings);
  if (sender !== "ok") return sender === "not_configured" ? 503 : 401;
  if ((await verifyInpostGlobalSignature(ctx, new TextEncoder().encode(req.body), settings)) !== "ok") return 401;
  let json: unknown;
  try {
    json = JSON.parse(req.body);
  } catch {
    return 400;
  }
  return v.safeParse(inpostGlobalPayloadSchema, json).success ? 200 : 422;
}

describe("the simulator", () => {
  it("signs every story so the route accepts it, and each event normalizes to its own time and parcel", async () => {
    const rng = createRng(7);
    for (let n = 0; n < 40; n++) {
      for (const event of simulate.story(rng, "run", n, new Date("2026-11-30T08:00:00.000Z"))) {
        const req = simulate.sign(JSON.stringify(event.payload), { INPOST_GLOBAL_HMAC_SECRET: KEY }, rng);
        expect(req.path).toBe("/webhooks/inpost-global");
        expect(await answer(req)).toBe(200);
        const normalized = normalizeInpostGlobal(v.parse(inpostGlobalPayloadSchema, JSON.parse(req.body)));
        expect(normalized.occurred_at).toBe(event.occurredAt.toISOString());
        expect(normalized.tracking_number).toBe(event.trackingNumber);
        expect(normalized.status).not.toBe("unknown");
      }
    }
  });

  it("makes bad deliveries that get exactly the answers it expects", async () => {
    const bad = simulate.bad(createRng(3), "run", { INPOST_GLOBAL_HMAC_SECRET: KEY });
    expect(bad.length).toBeGreaterThan(5);
    for (const req of bad) expect(await answer(req), req.label).toBe(req.expectStatus);
  });
});
