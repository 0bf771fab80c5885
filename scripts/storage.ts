// `npm run storage -- [--count N] [--seed N] [--port N]`
// Bytes of D1 per stored event on the simulator's mix: starts the real receiver (`wrangler dev`,
// local D1 with every migration, local queues and consumer) on its own port and storage folder,
// sends the simulator's deliveries, waits until the consumer has seen every event, stops it, then
// copies the SQLite file, VACUUMs the copy and prints its size per event, per table and index
// (SQLite's dbstat), and what each column of `events` holds on average. `--keep FILE` keeps the copy.
import { copyFileSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { parseArgs } from "node:util";
import { startReceiver, TEST_VARS } from "../test/e2e/start-receiver";
import { openLocalD1 } from "./lib/local-d1";
import { waitFor } from "./lib/wait-for";
import { buildPlan } from "./simulate/plan";
import { secretsFromVars } from "./simulate/secrets";
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
    secrets: secretsFromVars(TEST_VARS),
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
rmSync(persistTo, { recursive: true, force: true });
if (values.keep) copyFileSync(file, values.keep);
rmSync(file, { force: true });
