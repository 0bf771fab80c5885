import { REGISTRY } from "../carriers";
import { type AnyPullSource, isPullSource, type PullIo } from "../carriers/pull-kit";
import { readConfig } from "../config";
import { claimPullSources, finishPullRun, type PullRunResult } from "./db/pull-state";
import { drainPullSource } from "./drain-pull-source";
import { nextPullAt } from "./pull-backoff";

/** Every registered pull source, in the registry's order. */
export const PULL_SOURCES: readonly AnyPullSource[] = REGISTRY.filter(isPullSource) as AnyPullSource[];

/** No page is started this long after the run began: the rest waits for the next minute. */
export const PULL_WALL_MS = 25_000;
/**
 * How long a run holds its sources. Longer than any run (the wall budget, then one page's two
 * calls of at most 15 s each and its writes), so a run that died holds them at most this long.
 */
export const PULL_LEASE_MS = 3 * 60_000;

/**
 * The cron job `pull`: each configured source that is due (its schedule or back-off passed) and
 * not held by an overlapping run is drained within its budget, side by side; its outcome, next run
 * and back-off go to pull_sources. Returns each run's result. `io` and `sources` are parameters so
 * a test can put a fault in the network or run a source on its own.
 */
export async function runPullSources(
  env: Env,
  now: Date,
  io: PullIo = { fetch: (input, init) => fetch(input, init) },
  sources: readonly AnyPullSource[] = PULL_SOURCES,
  clock: () => number = Date.now,
): Promise<PullRunResult[]> {
  const config = readConfig(env);
  const settingsOf = (s: AnyPullSource) => config.carriers[s.name as keyof typeof config.carriers];
  const configured = sources.filter((s) => s.pull.isConfigured(settingsOf(s)));
  const at = now.getTime();
  const claimed = await claimPullSources(
    env.DB,
    configured.map((s) => s.name),
    at,
    at + PULL_LEASE_MS,
  );
  const byName = new Map(configured.map((s) => [s.name as string, s]));
  return Promise.all(
    claimed.map(async (claim) => {
      const source = byName.get(claim.carrier) as AnyPullSource;
      const started = clock();
      const drained = await drainPullSource(
        env,
        source,
        settingsOf(source),
        claim.cursor,
        io,
        { pages: source.pull.pagesPerRun, deadline: started + PULL_WALL_MS },
        clock,
      );
      const end = Math.max(at, clock());
      const failures = drained.failure ? claim.failures + 1 : 0;
      const result: PullRunResult = {
        carrier: source.name,
        at: end,
        nextAt: nextPullAt(at, source.pull.everyMinutes, failures, drained.more),
        cursor: drained.cursor,
        failure: drained.failure,
        stored: drained.stored,
        duplicates: drained.duplicates,
        quarantined: drained.quarantined,
        pages: drained.pages,
      };
      await finishPullRun(env.DB, result);
      if (drained.failure) {
        console.error(JSON.stringify({ msg: "pull_failed", carrier: source.name, failures, ...drained.failure }));
      } else if (drained.pages > 0) {
        console.log(
          JSON.stringify({
            msg: "pulled",
            carrier: source.name,
            pages: drained.pages,
            stored: drained.stored,
            duplicates: drained.duplicates,
            quarantined: drained.quarantined,
            more: drained.more,
          }),
        );
      }
      return result;
    }),
  );
}
