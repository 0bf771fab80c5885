import type { Context } from "hono";
import type { AppEnv } from "../app-env";
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
 * rotated or the key restored). Each pull source says whether its last run worked, and when the
 * next one is due (a failing source backs off).
 */
export async function health(c: Context<AppEnv>): Promise<Response> {
  try {
    await ping(c.env.DB);
  } catch {
    throw new ApiError("storage_unavailable");
  }
  const config = readConfig(c.env);
  const [destinations, pulls] = await Promise.all([
    readDestinations(c.env),
    pullStateQuery(c.env.DB).all<PullStateRow>(),
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
    pull_sources: pullSourcesHealth(config, pulls.results),
  });
}
