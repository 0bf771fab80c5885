import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { REGISTRY } from "../carriers";
import type { AnyCarrier, CarrierProblem } from "../carriers/kit";
import { readConfig } from "../config";
import { ping } from "../db/ping";
import { readDestinations } from "../destinations";
import { ApiError } from "../errors/api-error";
import { type PullStateRow, pullStateQuery } from "../pull/db/pull-state";
import { pullSourcesHealth } from "../pull/pull-health";

/**
 * 200 when the Worker and D1 answer; 503 when D1 does not. Says whether forwarding is on and names
 * each setting that was set but could not be used, and each that works but is weak (never a value),
 * and each destination whose signing secret cannot be read (nothing is sent there until it is
 * rotated or the key restored), and what a carrier reports about itself (`carrier_problems`: a key
 * source it cannot reach, whose route answers 503 until it can). Each pull source says whether its
 * last run worked, and when the next one is due (a failing source backs off).
 */
export async function health(c: Context<AppEnv>): Promise<Response> {
  try {
    await ping(c.env.DB);
  } catch {
    throw new ApiError("storage_unavailable");
  }
  const config = readConfig(c.env);
  const [destinations, pulls, carriers] = await Promise.all([
    readDestinations(c.env),
    pullStateQuery(c.env.DB).all<PullStateRow>(),
    carrierProblems(config.carriers),
  ]);
  return c.json({
    status: "ok",
    d1: "ok",
    forwarding: config.forwardUrl === null ? "off" : "on",
    config_problems: [
      ...config.problems,
      ...destinations.problems.map((p) => ({ name: `destination ${p.id}`, message: p.message })),
    ],
    config_warnings: config.warnings,
    carrier_problems: carriers,
    pull_sources: pullSourcesHealth(config, pulls.results),
  });
}

/** What each carrier reports about itself now (a key source it cannot reach), by its setting's name. */
// biome-ignore lint/suspicious/noExplicitAny: each carrier reads its own settings
async function carrierProblems(settings: Record<string, any>): Promise<CarrierProblem[]> {
  const lists = await Promise.all(
    REGISTRY.map((c) => (c as AnyCarrier).health?.(settings[c.name]) ?? Promise.resolve([])),
  );
  return lists.flat();
}
