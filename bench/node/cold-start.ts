// `npm run bench:cold-start -- [--runs 21] [--port 9701]`: the Hono app's cold start against a bare
// Hono app's (bench/bare-hono-worker.ts), in one run. Both are bundled by `wrangler deploy --dry-run
// --minify` (as deployed), then each is started in a fresh workerd through Miniflare's API many
// times, the two alternating, with the same bindings (D1, the queue, the static assets, the vars):
// the only difference is the script. One cold start is the Worker's start (workerd loads the
// script: compile and top-level evaluation) plus its first GET /health; the real app's first
// /health also does what a cold isolate does first (the body dictionaries from the assets, the
// config parse, a D1 ping and the destinations read). Prints medians and the ratio; never fails on
// a slow machine (issue 20's target: at most 1.5x the bare app).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { readD1Migrations } from "@cloudflare/vitest-plugin";
import { convertV4MiniflareOptions, Log, LogLevel, Miniflare } from "miniflare";
import { unstable_readConfig } from "wrangler";
import { assertPortFree } from "../../scripts/lib/port-free";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "21" },
    port: { type: "string", default: "9701" },
  },
});
const runs = Number(values.runs);
const port = Number(values.port);

const app = unstable_readConfig({ config: "wrangler.toml" });
const work = mkdtempSync(join(tmpdir(), "parcelhook-cold-start-"));

/** The Worker as `wrangler deploy --dry-run --minify` bundles it (what CI's deploy:dry checks): its file. */
function bundle(config: string, name: string): string {
  const outdir = join(work, name);
  const run = spawnSync("wrangler", ["deploy", "-c", config, "--dry-run", "--minify", "--outdir", outdir], {
    encoding: "utf8",
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: "false",
      WRANGLER_SEND_ERROR_REPORTS: "false",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
    },
  });
  if (run.status !== 0) throw new Error(`wrangler deploy --dry-run -c ${config} failed:\n${run.stderr}`);
  const js = readdirSync(outdir).filter((f) => f.endsWith(".js"));
  if (js.length !== 1) throw new Error(`${outdir}: expected one script, found ${js.join(", ")}`);
  return join(outdir, js[0] as string);
}

const vars: Record<string, string> = {};
for (const [k, v] of Object.entries(app.vars ?? {})) vars[k] = String(v);
const persist = join(work, "d1");
const producers: Record<string, { queueName: string }> = {};
for (const p of app.queues.producers) producers[p.binding] = { queueName: p.queue };

function options(script: string) {
  return convertV4MiniflareOptions({
    host: "127.0.0.1",
    port,
    // The placeholder `request.cf`: no fetch of Cloudflare's in the measured path (nor anywhere).
    cf: false,
    scriptPath: script,
    modules: true,
    modulesRoot: dirname(script),
    compatibilityDate: app.compatibility_date,
    compatibilityFlags: app.compatibility_flags,
    bindings: vars,
    d1Databases: { DB: app.d1_databases[0]?.database_name ?? "DB" },
    resourcePersistencePath: persist,
    queueProducers: producers,
    assets: {
      directory: app.assets?.directory ?? "public",
      binding: "ASSETS",
      routerConfig: { has_user_worker: true, invoke_user_worker_ahead_of_assets: true },
    },
    // Logs out of the measured path (BENCH_DEBUG=1 shows them).
    log: new Log(process.env.BENCH_DEBUG ? LogLevel.DEBUG : LogLevel.NONE),
    logRequests: false,
    handleStructuredLogs: process.env.BENCH_DEBUG ? undefined : () => {},
  });
}

/** One cold start: a new workerd with the script, then its first /health (and the answer read). */
async function coldStart(script: string): Promise<{ start: number; health: number; warm: number }> {
  const t0 = performance.now();
  const mf = new Miniflare(options(script));
  try {
    const url = await mf.ready;
    const t1 = performance.now();
    const res = await fetch(new URL("/health", url));
    const body = await res.text();
    const t2 = performance.now();
    if (res.status !== 200) throw new Error(`/health answered ${res.status}: ${body}`);
    // A second /health on the now warm isolate: what the harness and the route cost without the cold start.
    await (await fetch(new URL("/health", url))).text();
    return { start: t1 - t0, health: t2 - t1, warm: performance.now() - t2 };
  } finally {
    await mf.dispose();
  }
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  return (s[lo] ?? 0) + ((s[lo + 1] ?? s[lo] ?? 0) - (s[lo] ?? 0)) * (at - lo);
};
const median = (xs: number[]) => quantile(xs, 0.5);
const kib = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length / 1024;

try {
  await assertPortFree(port);
  console.log(`parcelhook cold start, ${new Date().toISOString()}, ${runs} runs each, alternating`);
  const scripts = { app: bundle("wrangler.toml", "app"), bare: bundle("bench/wrangler.bare-hono.toml", "bare") };
  for (const [name, file] of Object.entries(scripts)) {
    console.log(`${name}: ${(statSync(file).size / 1024).toFixed(1)} KiB minified, ${kib(file).toFixed(1)} KiB gzip`);
  }

  // The schema once, into the persisted local D1 both scripts open: /health reads the destinations.
  const setup = new Miniflare(options(scripts.bare));
  const db = await setup.getD1Database("DB");
  for (const m of await readD1Migrations(app.d1_databases[0]?.migrations_dir ?? "migrations")) {
    await db.batch(m.queries.map((q) => db.prepare(q)));
  }
  await setup.dispose();

  // One warm-up each (the OS caches the workerd binary and the files), not counted.
  await coldStart(scripts.app);
  await coldStart(scripts.bare);
  type Samples = Record<"start" | "health" | "total" | "warm", number[]>;
  const fresh = (): Samples => ({ start: [], health: [], total: [], warm: [] });
  const samples = { app: fresh(), bare: fresh() };
  for (let i = 0; i < runs; i++) {
    const order = i % 2 ? (["bare", "app"] as const) : (["app", "bare"] as const);
    for (const which of order) {
      const r = await coldStart(scripts[which]);
      const into = samples[which];
      into.start.push(r.start);
      into.health.push(r.health);
      into.total.push(r.start + r.health);
      into.warm.push(r.warm);
    }
  }

  const medians = (s: Samples) => ({
    start: median(s.start),
    health: median(s.health),
    total: median(s.total),
    warm: median(s.warm),
  });
  const a = medians(samples.app);
  const b = medians(samples.bare);
  const row = (name: string, m: typeof a) =>
    `| ${name} | ${m.start.toFixed(1)} | ${m.health.toFixed(1)} | ${m.total.toFixed(1)} | ${m.warm.toFixed(1)} |`;
  console.log("\n| medians, ms | workerd start (script loaded) | first /health | cold start | second /health |");
  console.log("|---|---:|---:|---:|---:|");
  console.log(row("bare Hono app", b));
  console.log(row("parcelhook app", a));
  const x = (n: number, d: number) => `${(n / d).toFixed(2)}x`;
  console.log(
    `| ratio | ${x(a.start, b.start)} | ${x(a.health, b.health)} | ${x(a.total, b.total)} | ${x(a.warm, b.warm)} |`,
  );
  const spread = (xs: number[]) => `${quantile(xs, 0.25).toFixed(0)}-${quantile(xs, 0.75).toFixed(0)} ms`;
  console.log(
    `\ncold start, middle half of the runs (p25-p75): app ${spread(samples.app.total)}, bare ${spread(samples.bare.total)}`,
  );
  const ratio = a.total / b.total;
  console.log(
    `\ncold start: ${a.total.toFixed(1)} ms against ${b.total.toFixed(1)} ms bare, ${ratio.toFixed(2)}x (target at most 1.5x: ${ratio <= 1.5 ? "met" : "NOT met"}); the app's own share ${(a.total - b.total).toFixed(1)} ms`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
