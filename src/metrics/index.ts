import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { EXPOSITION_CONTENT_TYPE, renderExposition } from "./exposition";
import { scrapeMetrics } from "./scrape-metrics";

/**
 * GET /metrics: the Prometheus text exposition format (docs/metrics.md), behind the operator API's
 * bearer token (requireOperator with the `metrics` role, mounted in src/app.ts).
 */
export async function metrics(c: Context<AppEnv>): Promise<Response> {
  const text = renderExposition(await scrapeMetrics(c.env));
  return c.body(text, 200, { "Content-Type": EXPOSITION_CONTENT_TYPE, "Cache-Control": "no-store" });
}
