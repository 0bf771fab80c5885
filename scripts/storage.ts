// `npm run storage -- [--count N] [--seed N] [--port N] [--held N] [--keep PREFIX]`
// Bytes of D1 per stored event on two mixes, each in its own real receiver (`wrangler dev`, local
// D1 with every migration, local queues and consumer, FORWARD_URL on a local sink so every event
// has its `default` delivery row and a forward attempt, as in production):
// - `simulator`: the simulator's mix (every registered sender, several events per shipment);
// - `one-per-shipment`: every event its own shipment, the worst honest mix (a shipments row each).
// For each: send, wait until no event owes a delivery, stop, copy the SQLite file, VACUUM the copy,
// print its size per event and per table and index (SQLite's dbstat), and what each column of
// `events` holds on average. `--keep PREFIX` keeps the copies (PREFIX-<mix>.sqlite).
// Then the retention job over the simulator mix's D1 with `now` past RETENTION_DAYS (a `wrangler
// dev` of bench/retention-worker.ts): statements, D1 `rows_read` and time per 1,000 deleted events,
// and `rows_read` of a run when `--held N` expired events still owe a delivery (a destination gone
// for good): what every minute's run costs while they wait.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { parseArgs } from "node:util";
import { OWES_DELIVERY_SQL } from "../src/delivery/delivery-state";
import { startReceiver, TEST_VARS } from "../test/e2e/start-receiver";
import { openLocalD1 } from "./lib/local-d1";
import { assertPortFree } from "./lib/port-free";
import { waitFor } from "./lib/wait-for";
import { buildPlan } from "./simulate/plan";
import { settingsFromVars } from "./simulate/secrets";
import { sendAll } from "./simulate/send";
import { startSink } from "./sink/start-sink";

const { values } = parseArgs({
  options: {
    count: { type: "string", default: "3000" },
    seed: { type: "string", default: "9" },
    port: { type: "string", default: "8971" },
    held: { type: "string", default: "1000" },
    keep: { type: "string" },
  },
});
const port = Number(values.port);
for (const p of [port, port + 2]) await assertPortFree(p);

interface MixResult {
  name: string;
  persistTo: string;
  events: number;
  bytes: number;
  fixed: number;
}

const sink = await startSink({ port: port + 2, signingSecret: TEST_VARS.FORWARD_SIGNING_SECRET as string });
const results: MixResult[] = [];
try {
  for (const mix of [
    { name: "simulator", oneEventPerShipment: false },
    { name: "one-per-shipment", oneEventPerShipment: true },
  ]) {
    results.push(await measureMix(mix.name, mix.oneEventPerShipment));
  }
} finally {
  await sink.stop();
}
console.log(
  "\n## Summary\n\n| mix | events | bytes after VACUUM | bytes per event | without one-page tables and indexes |\n|---|---:|---:|---:|---:|",
);
for (const r of results) {
  console.log(
    `| ${r.name} | ${r.events} | ${r.bytes} | ${(r.bytes / r.events).toFixed(0)} | ${((r.bytes - r.fixed) / r.events).toFixed(0)} |`,
  );
}
const first = results[0] as MixResult;
await measureRetention(first.persistTo, Number(values.held));
for (const r of results) rmSync(r.persistTo, { recursive: true, force: true });

async function measureMix(name: string, oneEventPerShipment: boolean): Promise<MixResult> {
  const persistTo = mkdtempSync(join(tmpdir(), "parcelhook-storage-"));
  const receiver = await startReceiver({
    port,
    persistTo,
    vars: { FORWARD_URL: sink.url, FORWARD_RETRY_BASE_SECONDS: "1" },
  });
  try {
    const plan = buildPlan({
      count: Number(values.count),
      settings: settingsFromVars(TEST_VARS),
      seed: Number(values.seed),
      oneEventPerShipment,
    });
    const sent = await sendAll(receiver.url, plan.deliveries, { concurrency: 10 });
    const failed = sent.filter((r) => r.status !== 200).length;
    if (failed > 0) throw new Error(`${failed} deliveries were not answered 200`);
    const d1 = openLocalD1(persistTo);
    const settled = await waitFor(
      () =>
        (d1.one<{ n: number }>(
          `SELECT count(*) AS n FROM events WHERE seen_at IS NULL OR state IN ${OWES_DELIVERY_SQL}`,
        )?.n ?? 1) === 0,
      120_000,
    );
    if (!settled) console.warn("some events still owed a delivery after 120 s; measuring anyway");
    d1.close();
  } finally {
    await receiver.stop();
  }
  const file = vacuumedCopy(persistTo);
  const db = new DatabaseSync(file);
  const one = <T>(sql: string) => db.prepare(sql).get() as T;
  const { page_count, page_size } = one<{ page_count: number; page_size: number }>(
    "SELECT page_count, page_size FROM pragma_page_count(), pragma_page_size()",
  );
  const bytes = page_count * page_size;
  const events = one<{ n: number }>("SELECT count(*) AS n FROM events").n;
  const perEvent = (n: number) => (n / events).toFixed(0);
  const rows = (table: string) => one<{ n: number }>(`SELECT count(*) AS n FROM ${table}`).n;
  console.log(`\n## Mix: ${name}\n`);
  console.log(
    `events stored: ${events}; shipments ${rows("shipments")}, deliveries ${rows("deliveries")}, ` +
      `event_attempts ${rows("event_attempts")}`,
  );
  // Every table and index takes at least one page: ~40 near-empty ones are a fixed cost that a few
  // thousand events still feel and a real deployment does not.
  const fixed = one<{ n: number }>(
    `SELECT coalesce(sum(size), 0) AS n FROM (SELECT sum(pgsize) AS size FROM dbstat GROUP BY name HAVING count(*) = 1)`,
  ).n;
  console.log(`database: ${bytes} bytes after VACUUM: **${perEvent(bytes)} bytes per event**`);
  console.log(
    `of which ${fixed} bytes are tables and indexes of one page (near empty, a fixed cost): ` +
      `${perEvent(bytes - fixed)} bytes per event without them`,
  );
  console.log("\n| table or index | of table | bytes | bytes per event |\n|---|---|---:|---:|");
  const parts = db
    .prepare(
      `SELECT d.name, coalesce(m.tbl_name, d.name) AS tbl, sum(d.pgsize) AS size FROM dbstat d
       LEFT JOIN sqlite_master m ON m.name = d.name GROUP BY d.name ORDER BY size DESC`,
    )
    .all() as { name: string; tbl: string; size: number }[];
  for (const p of parts) console.log(`| ${p.name} | ${p.tbl} | ${p.size} | ${perEvent(p.size)} |`);
  const columns = (db.prepare("SELECT name FROM pragma_table_info('events')").all() as { name: string }[]).map(
    (c) => c.name,
  );
  const sums = one<Record<string, number>>(
    `SELECT ${columns.map((c) => `avg(coalesce(length(CAST(${c} AS BLOB)), 0)) AS "${c}"`).join(", ")} FROM events`,
  );
  console.log("\n| events column | average bytes |\n|---|---:|");
  for (const c of columns) console.log(`| ${c} | ${(sums[c] ?? 0).toFixed(0)} |`);
  db.close();
  if (values.keep) copyFileSync(file, `${values.keep}-${name}.sqlite`);
  rmSync(file, { force: true });
  return { name, persistTo, events, bytes, fixed };
}

/** A VACUUMed copy of the local D1's SQLite file (with its WAL), so free pages do not count. */
function vacuumedCopy(persistTo: string): string {
  const dir = join(persistTo, "v3", "d1", "miniflare-D1DatabaseObject");
  const found = readdirSync(dir)
    .filter((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite")
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).size - statSync(a).size)[0];
  if (!found) throw new Error(`no database under ${dir}`);
  const file = join(mkdtempSync(join(tmpdir(), "parcelhook-vacuum-")), "db.sqlite");
  copyFileSync(found, file);
  for (const suffix of ["-wal", "-shm"]) {
    try {
      copyFileSync(found + suffix, file + suffix);
    } catch {
      // no such file: the database was checkpointed
    }
  }
  const db = new DatabaseSync(file);
  db.exec("VACUUM");
  db.close();
  return file;
}

// Retention's cost: the same local D1, every event expired; first `held` of them made to owe a
// delivery, so the runs show what they cost while they stay.
async function measureRetention(persistTo: string, held: number): Promise<void> {
  const configDir = mkdtempSync(join(tmpdir(), "parcelhook-retention-config-"));
  const root = process.cwd();
  const toml = readFileSync("wrangler.toml", "utf8")
    .replace(/^main = "[^"]+"$/m, `main = ${JSON.stringify(resolve(root, "bench/retention-worker.ts"))}`)
    .replace(/= "(\.\.?\/[^"]*)"/g, (_, p: string) => `= ${JSON.stringify(resolve(root, p))}`)
    .replace(/^migrations_dir = "([^"]+)"$/m, (_, p: string) => `migrations_dir = ${JSON.stringify(resolve(root, p))}`);
  writeFileSync(join(configDir, "wrangler.toml"), toml);
  const bench = await startReceiver({ port, persistTo, config: join(configDir, "wrangler.toml") });
  try {
    const res = await fetch(`${bench.url}/retention?held=${held}`, { signal: AbortSignal.timeout(300_000) });
    if (!res.ok) throw new Error(`retention bench: ${res.status} ${await res.text()}`);
    const r = (await res.json()) as {
      held: number;
      events: number;
      statements: number;
      rowsRead: number;
      maxRunRowsRead: number;
      idleRowsRead: number;
      idleStatements: number;
      ms: number;
      runs: number;
      shipments: number;
    };
    const per1000 = (n: number) => ((n / r.events) * 1000).toFixed(1);
    console.log(
      `\nretention (simulator mix, every event expired, ${r.held} of them held): ${r.events} events ` +
        `(and ${r.shipments} shipments) deleted in ${r.runs} cron runs, ${r.statements} D1 statements, ` +
        `rows_read ${r.rowsRead} (at most ${r.maxRunRowsRead} in one run), ${r.ms} ms (local D1): ` +
        `${per1000(r.statements)} statements, ${per1000(r.rowsRead)} rows read and ${per1000(r.ms)} ms ` +
        "per 1,000 deleted events",
    );
    console.log(
      `retention, a run with nothing to delete but the ${r.held} expired held events: ` +
        `rows_read ${r.idleRowsRead}, ${r.idleStatements} statements`,
    );
  } finally {
    await bench.stop();
    rmSync(configDir, { recursive: true, force: true });
  }
}
