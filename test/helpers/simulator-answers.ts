import * as v from "valibot";
import { expect, it } from "vitest";
import { createRng } from "../../scripts/simulate/rng";
import type { CarrierSim, SimSettings } from "../../scripts/simulate/types";
import { findCarrier } from "../../src/carriers";
import { parseConfig } from "../../src/config";

/**
 * What the route would answer a simulated request, short of storage: the carrier's checks in the
 * receiver's order, with `vars` parsed as the Worker parses its env.
 */
export async function answerOf(
  carrier: string,
  vars: Record<string, string>,
  req: { path: string; headers: Record<string, string>; body: string },
): Promise<number> {
  const c = findCarrier(carrier);
  if (!c) throw new Error(`${carrier} is not registered`);
  // biome-ignore lint/suspicious/noExplicitAny: the settings of whichever carrier is named
  const settings = (parseConfig(vars).carriers as Record<string, any>)[carrier];
  const headers = new Headers(req.headers);
  const ctx = {
    url: new URL(`https://parcelhook.test${req.path}`),
    headers,
    clientIp: headers.get("cf-connecting-ip"),
  };
  const verdicts = { ok: 0, unauthorized: 401, forbidden: 403, not_configured: 503, unavailable: 503 } as const;
  let verdict = await c.verifySender(ctx, settings);
  if (verdict === "ok" && c.verifyBody) verdict = await c.verifyBody(ctx, new TextEncoder().encode(req.body), settings);
  if (verdict !== "ok") return verdicts[verdict];
  let json: unknown;
  try {
    json = JSON.parse(req.body);
  } catch {
    return 400;
  }
  return v.safeParse(c.schema, json).success ? 200 : 422;
}

/** A carrier's simulator signs every story so its route accepts it, in its own time, and its bad requests get what they expect. */
export function itSimulatesTruly(carrier: string, sim: CarrierSim, vars: SimSettings): void {
  const c = findCarrier(carrier);
  it("signs every story so the route accepts it, and each event normalizes to its own time and parcel", async () => {
    const rng = createRng(7);
    for (let n = 0; n < 30; n++) {
      for (const event of sim.story(rng, "run", n, new Date("2026-11-30T08:00:00.000Z"))) {
        const req = sim.sign(JSON.stringify(event.payload), vars, rng);
        expect(req.path.split("?")[0]).toBe(`/webhooks/${carrier}`);
        expect(await answerOf(carrier, vars, req), event.label).toBe(200);
        const normalized = c?.normalize(v.parse(c.schema, JSON.parse(req.body)));
        expect(normalized?.occurred_at, event.label).toBe(event.occurredAt.toISOString());
        expect(normalized?.tracking_number).toBe(event.trackingNumber);
      }
    }
  });

  it("makes bad deliveries that get exactly the answers it expects", async () => {
    const bad = sim.bad(createRng(3), "run", vars);
    expect(bad.length).toBeGreaterThan(3);
    for (const req of bad) expect(await answerOf(carrier, vars, req), req.label).toBe(req.expectStatus);
  });
}
