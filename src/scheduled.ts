import { CRON_JOBS, type CronJob } from "./cron-jobs";
import { loadBodyDictionaries } from "./db/load-body-dictionaries";
import { errorText } from "./errors/error-text";

/** The cron trigger of the Hono app: runs every job of CRON_JOBS side by side. */
export const scheduled: ExportedHandlerScheduledHandler<Env> = async (controller, env, ctx) => {
  ctx.waitUntil(runCronJobs(CRON_JOBS, env, new Date(controller.scheduledTime)));
};

export async function runCronJobs(jobs: readonly CronJob[], env: Env, now: Date): Promise<void> {
  try {
    await loadBodyDictionaries(env.ASSETS);
  } catch (err) {
    console.error(JSON.stringify({ msg: "cron_jobs_skipped", error: errorText(err) }));
    return;
  }
  await Promise.all(
    jobs.map(async (job) => {
      try {
        await job.run(env, now);
      } catch (err) {
        console.error(JSON.stringify({ msg: "cron_job_failed", job: job.name, error: errorText(err) }));
      }
    }),
  );
}
