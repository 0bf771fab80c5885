import { checkAlerts } from "./alerts";
import { catchUpHeld } from "./delivery/catch-up-held";
import { applyRetention } from "./retention";
import { sweepUnqueued } from "./sweep/sweep-unqueued";

/** One piece of the every-minute cron work. */
export interface CronJob {
  /** Named in the log line when the job throws. */
  name: string;
  run(env: Env, now: Date): Promise<unknown>;
}

/**
 * Every job the cron trigger runs, each on its own: one that throws is logged and does not stop
 * the others. Add a job by adding a line.
 */
export const CRON_JOBS: readonly CronJob[] = [
  { name: "sweep", run: (env, now) => sweepUnqueued(env, now) },
  { name: "catch_up_held", run: (env, now) => catchUpHeld(env, now) },
  { name: "retention", run: (env, now) => applyRetention(env, now) },
  { name: "alerts", run: (env, now) => checkAlerts(env, now) },
];
