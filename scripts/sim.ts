// `npm run sim`: the deterministic simulation of issue 18 (docs/simulation.md). Starts the sim
// Worker (bench/sim/sim-worker.ts: the real Hono app, consumer, dead-letter consumer, cron jobs
// and operator API under a seeded scheduler) once in workerd through Miniflare, with a real local
// D1, and asks it to run schedules one seed after another.
//   SIM_SEED=n    replays one schedule and prints its violations with their history
//   SIM_RUNS=n    how many schedules; SIM_FIRST=n the first seed. Without SIM_RUNS (what CI runs):
//                 seeds 1, 2, ... until 40 schedules or SIM_BUDGET_S seconds (default 120) have passed;
//                 with SIM_RUNS, SIM_BUDGET_S bounds the run only when it is set
//   SIM_PORT=n    the port Miniflare listens on (default: any free one)
//   SIM_BENCH=1   first prints what the scheduler's primitives cost here (an event-loop turn, a D1
//                 round trip), which set the schedules per minute
//   SIM_DEBUG=1   the Workers' own log lines too
// The last line reads `sim: <runs> schedules, <violations> violations`; exit code 1 on any.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { readD1Migrations } from "@cloudflare/vitest-plugin";
import { convertV4MiniflareOptions, Log, LogLevel, Miniflare } from "miniflare";
import { unstable_readConfig } from "wrangler";
import { bundleWorker } from "../bench/node/bundle-worker";
import { TEST_VARS } from "../test/e2e/start-receiver";
import { settingsFromVars } from "./simulate/secrets";

interface Violation {
  invariant: number;
  text: string;
  eventId?: string;
  history: string[];
}
interface Result {
  seed: number;
  violations?: Violation[];
  stats?: Record<string, number>;
  error?: string;
}

const env = process.env;
const single = env.SIM_SEED !== undefined ? Number(env.SIM_SEED) : undefined;
/** Print every violation with its history, also when running many seeds. */
const verbose = single !== undefined || env.SIM_VERBOSE === "1";
const runs = single !== undefined ? 1 : Number(env.SIM_RUNS ?? 40);
/** No new schedule starts after this: by default only the bounded run (CI); SIM_BUDGET_S also fits a
 * long SIM_RUNS run to the time there is, still printing its summary. */
const budgetS =
  single !== undefined ? Infinity : Number(env.SIM_BUDGET_S ?? (env.SIM_RUNS !== undefined ? Infinity : 120));
const first = single ?? Number(env.SIM_FIRST ?? 1);
/** Wall-clock budget of one schedule inside the Worker; past it the schedule reports itself. */
const budgetMs = Number(env.SIM_SCHEDULE_MS ?? 60_000);

const app = unstable_readConfig({ config: "wrangler.toml" });
const consumer = unstable_readConfig({ config: "wrangler.consumer.toml" });
const out = mkdtempSync(join(tmpdir(), "parcelhook-sim-"));
const scriptPath = join(out, "sim-worker.js");
await bundleWorker("bench/sim/sim-worker.ts", scriptPath, app);

const vars: Record<string, string> = {};
for (const c of [consumer, app]) for (const [k, v] of Object.entries(c.vars ?? {})) vars[k] = String(v);
Object.assign(vars, TEST_VARS);
const mf = new Miniflare(
  convertV4MiniflareOptions({
    host: "127.0.0.1",
    port: Number(env.SIM_PORT ?? 0),
    scriptPath,
    modules: true,
    modulesRoot: out,
    compatibilityDate: app.compatibility_date,
    compatibilityFlags: app.compatibility_flags,
    bindings: { SIM_VARS: JSON.stringify(vars), SIM_SETTINGS: JSON.stringify(settingsFromVars(TEST_VARS)) },
    d1Databases: { DB: "parcelhook-sim" },
    log: new Log(env.SIM_DEBUG ? LogLevel.DEBUG : LogLevel.NONE),
    // The real code's console lines (thousands per schedule) are dropped unless SIM_DEBUG is set.
    handleStructuredLogs: env.SIM_DEBUG ? undefined : () => {},
  }),
);
let stopped = false;
const stop = async () => {
  if (stopped) return;
  stopped = true;
  await mf.dispose();
  rmSync(out, { recursive: true, force: true });
};
process.on("SIGINT", () => void stop().finally(() => process.exit(130)));

try {
  await mf.ready;
  const db = await mf.getD1Database("DB");
  for (const migration of await readD1Migrations(resolve(app.d1_databases[0]?.migrations_dir ?? "migrations"))) {
    await db.batch(migration.queries.map((q) => db.prepare(q)));
  }
  if (env.SIM_BENCH) console.log(await (await mf.dispatchFetch("http://sim/bench")).text());
  const started = performance.now();
  let violations = 0;
  let failed = 0;
  const byInvariant = new Map<number, number>();
  let ran = 0;
  for (let seed = first; seed < first + runs; seed++) {
    if ((performance.now() - started) / 1000 > budgetS) {
      console.log(`sim: time budget of ${budgetS} s spent, stopping before seed ${seed}`);
      break;
    }
    ran++;
    const res = await mf.dispatchFetch("http://sim/run", { method: "POST", body: JSON.stringify({ seed, budgetMs }) });
    const result = (await res.json()) as Result;
    if (result.error) {
      failed++;
      violations++;
      console.log(`sim: seed ${seed} crashed the simulator: ${result.error}`);
      console.log(`  replay: SIM_SEED=${seed} npm run sim`);
      continue;
    }
    const vs = result.violations ?? [];
    if (vs.length > 0) {
      failed++;
      violations += vs.length;
      console.log(`sim: seed ${seed}: ${vs.length} violation(s)`);
      for (const v of verbose ? vs : vs.slice(0, 3)) {
        byInvariant.set(v.invariant, (byInvariant.get(v.invariant) ?? 0) + 1);
        console.log(`  invariant ${v.invariant}: ${v.eventId ? `${v.eventId}: ` : ""}${v.text}`);
        if (verbose) for (const line of v.history) console.log(`    | ${line}`);
      }
      for (const v of verbose ? [] : vs.slice(3)) byInvariant.set(v.invariant, (byInvariant.get(v.invariant) ?? 0) + 1);
      console.log(`  replay: SIM_SEED=${seed} npm run sim`);
    } else if (single !== undefined) {
      console.log(`sim: seed ${seed}: no violation (${JSON.stringify(result.stats)})`);
    }
  }
  const minutes = (performance.now() - started) / 60_000;
  console.log(
    `sim: ${(ran / minutes).toFixed(1)} schedules per minute (${ran} in ${(minutes * 60).toFixed(1)} s); ${failed} failing seeds; by invariant: ${[...byInvariant].map(([i, n]) => `${i}: ${n}`).join(", ") || "none"}`,
  );
  console.log(`sim: ${ran} schedules, ${violations} violations`);
  process.exitCode = violations > 0 ? 1 : 0;
} finally {
  await stop();
}
