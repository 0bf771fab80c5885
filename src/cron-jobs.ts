import { checkAlerts } from "./alerts";
import { catchUpHeld } from "./delivery/catch-up-held";
import { applyRetention } from "./retention";
import { sweepUnqueued } from "./sweep/sweep-unqueued";

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
 * the others. Add a job by adding a line.
 */
export const CRON_JOBS: readonly CronJob[] = [
  // The sweep re-sends ids, retention deletes, alerts count: none decodes a body.
  { name: "sweep", decodes: false, run: (env, now) => sweepUnqueued(env, now) },
  { name: "catch_up_held", decodes: true, run: (env, now) => catchUpHeld(env, now) },
  { name: "retention", decodes: false, run: (env, now) => applyRetention(env, now) },
  { name: "alerts", decodes: false, run: (env, now) => checkAlerts(env, now) },
];
