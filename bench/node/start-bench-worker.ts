// Starts the benchmark Worker (bench/bench-worker.ts) in workerd through Miniflare's own API, not
// `wrangler dev`: no wrangler process relaying the Worker's log lines to a terminal on the same two
// cores, so the measured path is the Worker's own work. Bindings come from the deployable configs
// (wrangler.toml and wrangler.consumer.toml), merged into one bench Worker
// that serves the Hono app's routes and consumes its queues.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { readD1Migrations } from "@cloudflare/vitest-plugin";
import { build } from "esbuild";
import { convertV4MiniflareOptions, Log, LogLevel, Miniflare } from "miniflare";
import { unstable_readConfig } from "wrangler";

/** The consumer Worker's config once the delivery path is its own Worker (issue 8). */
export const CONSUMER_CONFIG = "wrangler.consumer.toml";
/** Its entry; before the split the Hono app's own module consumes the queues. */

export interface BenchWorker {
  url: string;
  mf: Miniflare;
  stop(): Promise<void>;
}

/**
 * Bundles a bench Worker entry as wrangler would bundle src/ (the app config's aliases, workerd's
 * export conditions) into a fresh temporary folder; the caller removes `out`.
 */
export async function bundleWorker(
  entry: string,
  app: { alias?: Record<string, string> } = unstable_readConfig({ config: "wrangler.toml" }),
): Promise<{ out: string; scriptPath: string }> {
  const out = mkdtempSync(join(tmpdir(), "parcelhook-bench-"));
  const scriptPath = join(out, `${basename(entry).replace(/\.ts$/, "")}.js`);
  const aliases: Record<string, string> = {};
  for (const [name, target] of Object.entries(app.alias ?? {})) aliases[name] = resolve(target);
  await build({
    entryPoints: [entry],
    outfile: scriptPath,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["browser", "module", "main"],
    external: ["cloudflare:*", "node:*"],
    alias: aliases,
    logLevel: "warning",
  });
  return { out, scriptPath };
}

export async function startBenchWorker(opts: { port: number; vars: Record<string, string> }): Promise<BenchWorker> {
  const app = unstable_readConfig({ config: "wrangler.toml" });
  const consumer = unstable_readConfig({ config: CONSUMER_CONFIG });

  const { out, scriptPath } = await bundleWorker("bench/bench-worker.ts", app);

  const producers: Record<string, { queueName: string }> = {};
  const consumers: Record<string, Record<string, unknown>> = {};
  const databases: Record<string, string> = {};
  for (const c of [app, consumer]) {
    for (const p of c.queues?.producers ?? []) producers[p.binding] = { queueName: p.queue };
    for (const q of c.queues?.consumers ?? []) {
      consumers[q.queue] = {
        maxBatchSize: q.max_batch_size,
        maxBatchTimeout: q.max_batch_timeout,
        maxRetries: q.max_retries,
        deadLetterQueue: q.dead_letter_queue,
      };
    }
    for (const d of c.d1_databases ?? []) databases[d.binding] = d.database_name ?? d.binding;
  }
  const vars: Record<string, string> = {};
  for (const c of [consumer, app]) for (const [k, v] of Object.entries(c.vars ?? {})) vars[k] = String(v);

  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port: opts.port,
      scriptPath,
      modules: true,
      // Module names are paths below this root; the bundle lives in a temporary folder.
      modulesRoot: out,
      compatibilityDate: app.compatibility_date,
      compatibilityFlags: app.compatibility_flags,
      bindings: { ...vars, ...opts.vars },
      d1Databases: databases,
      queueProducers: producers,
      queueConsumers: consumers,
      // Logs out of the measured path: Miniflare prints nothing, and the Worker's console lines
      // (parsed from workerd's stdout) are dropped instead of formatted for a terminal.
      log: new Log(LogLevel.NONE),
      logRequests: false,
      handleStructuredLogs: process.env.BENCH_DEBUG ? undefined : () => {},
      verbose: !!process.env.BENCH_DEBUG,
    }),
  );
  const url = (await mf.ready).toString().replace(/\/$/, "");

  const db = await mf.getD1Database("DB");
  for (const migration of await readD1Migrations(app.d1_databases[0]?.migrations_dir ?? "migrations")) {
    await db.batch(migration.queries.map((q) => db.prepare(q)));
  }
  return {
    url,
    mf,
    stop: async () => {
      await mf.dispose();
      rmSync(out, { recursive: true, force: true });
    },
  };
}
