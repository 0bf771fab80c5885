import { CRON_JOBS, type CronJob } from "./cron-jobs";
import { loadBodyDictionaries } from "./db/load-body-dictionaries";
import { errorText } from "./errors/error-text";

/** The cron trigger of the Hono app: runs every job of CRON_JOBS side by side. */
export const scheduled: ExportedHandlerScheduledHandler<Env> = async (controller, env, ctx) => {
  ctx.waitUntil(runCronJobs(CRON_JOBS, env, new Date(controller.scheduledTime)));
};

/**
 * Runs the jobs side by side, each on its own. The body dictionaries are loaded first (`load`, a
 * parameter so a test can make it fail); when they cannot be, only the jobs that decode stored
 * bodies are skipped, logged with the reason, and the others run.
 */
export async function runCronJobs(
  jobs: readonly CronJob[],
  env: Env,
  now: Date,
  load: () => Promise<void> = () => loadBodyDictionaries(env.ASSETS),
): Promise<void> {
  let runnable = jobs;
  try {
    await load();
  } catch (err) {
    runnable = jobs.filter((job) => !job.decodes);
    const skipped = jobs.filter((job) => job.decodes).map((job) => job.name);
    console.error(JSON.stringify({ msg: "cron_jobs_skipped", jobs: skipped, error: errorText(err) }));
  }
  await Promise.all(
    runnable.map(async (job) => {
      try {
        await job.run(env, now);
      } catch (err) {
        console.error(JSON.stringify({ msg: "cron_job_failed", job: job.name, error: errorText(err) }));
      }
    }),
  );
}
