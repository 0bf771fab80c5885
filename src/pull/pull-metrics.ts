import type { MetricSource } from "../metrics/db/metric-sources";
import type { Sample } from "../metrics/exposition";
import { type PullStateRow, pullStateQuery } from "./db/pull-state";

const OUTCOMES = [
  ["stored", "stored"],
  ["duplicate", "duplicates"],
  ["quarantined", "quarantined"],
] as const;

/** Per pull source that has run (pull_sources: one row each): whether it works, and what it read. */
export function pullSourceMetrics(db: D1Database): MetricSource {
  return {
    statement: pullStateQuery(db),
    families: (rows) => {
      const list = rows as PullStateRow[];
      const records: Sample[] = list.flatMap((r) =>
        OUTCOMES.map(([outcome, column]) => ({ labels: { carrier: r.carrier, outcome }, value: r[column] })),
      );
      return [
        {
          name: "parcelhook_pull_source_up",
          help: "1 when the pull source's last run read and acknowledged without a failure.",
          type: "gauge",
          samples: list.map((r) => ({ labels: { carrier: r.carrier }, value: r.failures === 0 ? 1 : 0 })),
        },
        {
          name: "parcelhook_pull_source_failures",
          help: "Failed runs of the pull source in a row (its back-off doubles with each).",
          type: "gauge",
          samples: list.map((r) => ({ labels: { carrier: r.carrier }, value: r.failures })),
        },
        {
          name: "parcelhook_pull_source_last_success_timestamp_seconds",
          help: "Unix time of the pull source's last good run.",
          type: "gauge",
          samples: list
            .filter((r) => r.last_ok_at !== null)
            .map((r) => ({ labels: { carrier: r.carrier }, value: Math.floor((r.last_ok_at as number) / 1000) })),
        },
        {
          name: "parcelhook_pull_records_total",
          help: "Records read from the pull source, by what became of them.",
          type: "counter",
          samples: records,
        },
      ];
    },
  };
}
