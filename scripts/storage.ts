// `npm run storage -- [--count N] [--seed N] [--port N]`
// Bytes of D1 per stored event on the simulator's mix: starts the real receiver (`wrangler dev`,
// local D1 with every migration, local queues and consumer) on its own port and storage folder,
// sends the simulator's deliveries, waits until the consumer has seen every event, stops it, then
// copies the SQLite file, VACUUMs the copy and prints its size per event, per table and index
// (SQLite's dbstat), and what each column of `events` holds on average. `--keep FILE` keeps the copy.
// Then it runs the retention job over the same local D1 with `now` past RETENTION_DAYS (a
// `wrangler dev` of bench/retention-worker.ts) and prints its D1 statements and time per 1,000
// deleted events.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { parseArgs } from "node:util";
import { startReceiver, TEST_VARS } from "../test/e2e/start-receiver";
import { openLocalD1 } from "./lib/local-d1";
import { waitFor } from "./lib/wait-for";
import { buildPlan } from "./simulate/plan";
import { settingsFromVars } from "./simulate/secrets";
import { sendAll } from "./simulate/send";

const { values } = parseArgs({
  options: {
    count: { type: "string", default: "3000" },
    seed: { type: "string", default: "9" },
    port: { type: "string", default: "8971" },
    keep: { type: "string" },
  },
});

const persistTo = mkdtempSync(join(tmpdir(), "parcelhook-storage-"));
const receiver = await startReceiver({ port: Number(values.port), persistTo });
let file: string;
try {
  const plan = buildPlan({
    count: Number(values.count),
    settings: settingsFromVars(TEST_VARS),
    seed: Number(values.seed),
  });
  const results = await sendAll(receiver.url, plan.deliveries, { concurrency: 10 });
  const failed = results.filter((r) => r.status !== 200).length;
  if (failed > 0) throw new Error(`${failed} deliveries were not answered 200`);
  const d1 = openLocalD1(persistTo);
  const seen = await waitFor(
    () => (d1.one<{ n: number }>("SELECT count(*) AS n FROM events WHERE seen_at IS NULL")?.n ?? 1) === 0,
    60_000,
  );
  if (!seen) console.warn("the consumer had not seen every event after 60 s; measuring anyway");
  d1.close();
} finally {
  await receiver.stop();
}
{
  const dir = join(persistTo, "v3", "d1", "miniflare-D1DatabaseObject");
  const found = readdirSync(dir)
    .filter((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite")
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).size - statSync(a).size)[0];
  if (!found) throw new Error(`no database under ${dir}`);
  file = join(mkdtempSync(join(tmpdir(), "parcelhook-vacuum-")), "db.sqlite");
  copyFileSync(found, file);
  for (const suffix of ["-wal", "-shm"]) {
    try {
      copyFileSync(found + suffix, file + suffix);
    } catch {
      // no such file: the database was checkpointed
    }
  }
}

const db = new DatabaseSync(file);
const before = statSync(file).size;
db.exec("VACUUM");
const one = <T>(sql: string) => db.prepare(sql).get() as T;
const { page_count, page_size } = one<{ page_count: number; page_size: number }>(
  "SELECT page_count, page_size FROM pragma_page_count(), pragma_page_size()",
);
const bytes = page_count * page_size;
const events = one<{ n: number }>("SELECT count(*) AS n FROM events").n;
const perEvent = (n: number) => (n / events).toFixed(0);
console.log(`events stored: ${events}`);
console.log(`database: ${bytes} bytes after VACUUM (${before} before): ${perEvent(bytes)} bytes per event`);
console.log("\n| table or index | bytes | bytes per event |\n|---|---:|---:|");
const parts = db.prepare("SELECT name, sum(pgsize) AS size FROM dbstat GROUP BY name ORDER BY size DESC").all() as {
  name: string;
  size: number;
}[];
for (const p of parts) console.log(`| ${p.name} | ${p.size} | ${perEvent(p.size)} |`);

const columns = (db.prepare("SELECT name FROM pragma_table_info('events')").all() as { name: string }[]).map(
  (c) => c.name,
);
const sums = one<Record<string, number>>(
  `SELECT ${columns.map((c) => `avg(coalesce(length(CAST(${c} AS BLOB)), 0)) AS "${c}"`).join(", ")} FROM events`,
);
console.log("\n| events column | average bytes |\n|---|---:|");
for (const c of columns) console.log(`| ${c} | ${(sums[c] ?? 0).toFixed(0)} |`);
db.close();

// Retention's cost: the same local D1, every event expired (all are `stored`: none owes a delivery).
const configDir = mkdtempSync(join(tmpdir(), "parcelhook-retention-config-"));
const root = process.cwd();
const toml = readFileSync("wrangler.toml", "utf8")
  .replace(/^main = "[^"]+"$/m, `main = ${JSON.stringify(resolve(root, "bench/retention-worker.ts"))}`)
  .replace(/= "(\.\.?\/[^"]*)"/g, (_, p: string) => `= ${JSON.stringify(resolve(root, p))}`)
  .replace(/^migrations_dir = "([^"]+)"$/m, (_, p: string) => `migrations_dir = ${JSON.stringify(resolve(root, p))}`);
writeFileSync(join(configDir, "wrangler.toml"), toml);
const bench = await startReceiver({ port: Number(values.port), persistTo, config: join(configDir, "wrangler.toml") });
try {
  const res = await fetch(`${bench.url}/retention`, { signal: AbortSignal.timeout(300_000) });
  const r = (await res.json()) as { events: number; statements: number; ms: number; runs: number; shipments: number };
  const per1000 = (n: number) => ((n / r.events) * 1000).toFixed(1);
  console.log(
    `\nretention: ${r.events} events (and ${r.shipments} shipments) deleted in ${r.runs} cron runs, ` +
      `${r.statements} D1 statements, ${r.ms} ms (local D1): ${per1000(r.statements)} statements and ` +
      `${per1000(r.ms)} ms per 1,000 deleted events`,
  );
} finally {
  await bench.stop();
  rmSync(configDir, { recursive: true, force: true });
}
rmSync(persistTo, { recursive: true, force: true });
if (values.keep) copyFileSync(file, values.keep);
rmSync(file, { force: true });
