import { checkAlerts } from "./alerts";
import { catchUpHeld } from "./delivery/catch-up-held";
import { runPullSources } from "./pull/run-pull-sources";
import { applyRetention } from "./retention";
import { sweepWithBudget } from "./sweep/sweep-unqueued";

/** One piece of the every-minute cron work. */
export interface CronJob {
  /** Named in the log line when the job throws. */
  name: string;
  /**
   * Whether it decodes stored bodies, so needs the body dictionaries: when they cannot be loaded,
   * only these jobs are skipped, and the others (which never decode) still run.
   */
  decodes: boolean;
  run(env: Env, now: Date): Promise<unknown>;
}

/**
 * Every job the cron trigger runs, each on its own: one that throws is logged and does not stop
 * the others. Add a job by adding a line. The sweep and the catch-up are one job, in turn, because
 * they share one budget of messages on their way (1,000): the catch-up gets what the sweep left.
 */
export const CRON_JOBS: readonly CronJob[] = [
  // The sweep and the catch-up re-send ids, retention deletes, alerts count: none decodes a body
  // (the catch-up's probe is forwarded, and so decoded, by the consumer).
  {
    name: "sweep",
    decodes: false,
    run: async (env, now) => {
      const swept = await sweepWithBudget(env, now);
      return catchUpHeld(env, now, swept.budgetLeft);
    },
  },
  { name: "retention", decodes: false, run: (env, now) => applyRetention(env, now) },
  { name: "alerts", decodes: false, run: (env, now) => checkAlerts(env, now) },
  // Pull sources (src/pull/): what they read is stored as a pushed body is, deflated against the
  // dictionaries, so it needs them as a decoding job does.
  { name: "pull", decodes: true, run: (env, now) => runPullSources(env, now) },
];
