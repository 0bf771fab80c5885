import type { Config } from "../config";
import type { PullStateRow } from "./db/pull-state";
import { PULL_SOURCES } from "./run-pull-sources";

export interface PullSourceHealth {
  carrier: string;
  /**
   * `not_configured`: its settings are missing; `waiting`: configured, not run yet; `ok`: its last
   * run worked; `unreachable`, `refused` or `storage`: its last run failed so (it is backing off).
   */
  state: "not_configured" | "waiting" | "ok" | "unreachable" | "refused" | "storage";
  failures: number;
  last_ok_at: string | null;
  next_at: string | null;
  /** What failed, never a credential. */
  error: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Each registered pull source as /health shows it, from its pull_sources row (pullStateQuery). */
export function pullSourcesHealth(config: Config, rows: readonly PullStateRow[]): PullSourceHealth[] {
  return PULL_SOURCES.map((source) => {
    const row = rows.find((r) => r.carrier === source.name);
    const settings = config.carriers[source.name as keyof Config["carriers"]];
    const configured = source.pull.isConfigured(settings);
    const state: PullSourceHealth["state"] = !configured
      ? "not_configured"
      : !row || row.last_run_at === null
        ? "waiting"
        : ((row.last_failure as PullSourceHealth["state"] | null) ?? "ok");
    return {
      carrier: source.name,
      state,
      failures: row?.failures ?? 0,
      last_ok_at: iso(row?.last_ok_at ?? null),
      next_at: configured && row ? iso(row.next_at) : null,
      error: row?.last_error ?? null,
    };
  });
}
