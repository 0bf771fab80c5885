import { CARRIERS } from "../carriers";
import { readConfig } from "../config";
import { pullSourceMetrics } from "../pull/pull-metrics";
import {
  deliveryStateMetrics,
  destinationMetrics,
  type MetricSource,
  newestEventMetrics,
  requestTotalsMetrics,
} from "./db/metric-sources";
import type { MetricFamily } from "./exposition";

/** The scrape's statements, in one D1 batch: a fixed number whatever the data size. */
export function metricSources(db: D1Database): MetricSource[] {
  return [
    requestTotalsMetrics(db),
    deliveryStateMetrics(db),
    destinationMetrics(db),
    newestEventMetrics(db, CARRIERS),
    pullSourceMetrics(db),
  ];
}

/** Every metric family of one scrape: one D1 round trip (a batch of metricSources' statements). */
export async function scrapeMetrics(env: Env, now = new Date()): Promise<MetricFamily[]> {
  const sources = metricSources(env.DB);
  const results = await env.DB.batch(sources.map((s) => s.statement));
  const families = sources.flatMap((s, i) => s.families(results[i]?.results ?? [], now));
  const size = (results[0]?.meta as { size_after?: unknown } | undefined)?.size_after;
  const budget = readConfig(env).storageBudgetBytes;
  families.push(
    {
      name: "parcelhook_database_bytes",
      help: "The D1 database's size.",
      type: "gauge",
      samples: typeof size === "number" ? [{ value: size }] : [],
    },
    {
      name: "parcelhook_storage_budget_bytes",
      help: "STORAGE_BUDGET_BYTES.",
      type: "gauge",
      samples: [{ value: budget }],
    },
  );
  return families;
}
