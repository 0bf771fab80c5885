// `npm run bench:indexes -- [--events 100000] [--runs 20] [--held 0]`: what each index of events, shipments,
// deliveries and event_attempts costs in bytes and what dropping it would cost the queries it
// serves. Builds a SQLite database (node:sqlite, the engine D1 runs) with every migration and
// `--events` synthetic events over 90 days, one shipment per event (the worst honest mix), one
// `default` delivery and one forward attempt each, a few held, dead and unseen; then per index:
// its bytes per event (dbstat), and for each query function it serves the plan and the median time
// with the index and after DROP INDEX. Prints numbers; never fails on a slow machine.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { parseArgs } from "node:util";
import { CARRIERS } from "../../src/carriers";
import { type IndexCase, indexCases, seekCases } from "../../test/helpers/index-queries";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "100000" },
    runs: { type: "string", default: "20" },
    // An outage: the newest `--held` deliveries held (their destination down), as the catch-up,
    // the alerts and /metrics see them.
    held: { type: "string", default: "0" },
  },
});
const N = Number(values.events);
const RUNS = Number(values.runs);

const dir = mkdtempSync(join(tmpdir(), "parcelhook-index-costs-"));
const db = new DatabaseSync(join(dir, "db.sqlite"));
for (const f of readdirSync("migrations").sort()) db.exec(readFileSync(join("migrations", f), "utf8"));

const now = Date.now();
const START = now - 90 * 86_400_000;
const carriers = JSON.stringify(CARRIERS);
// Types and statuses skewed as a shop sees them: most events are status changes, most statuses
// in transit or delivered; a few are rare (what a filter on them must find among the rest).
db.exec(`CREATE TEMP TABLE pick (kind TEXT, value TEXT, weight INTEGER);
  INSERT INTO pick VALUES ('type', 'shipment.status_changed', 90), ('type', 'label.created', 8), ('type', 'label.cancelled', 1), ('type', 'rates.calculated', 1),
    ('status', 'in_transit', 45), ('status', 'delivered', 25), ('status', 'out_for_delivery', 15), ('status', 'pending', 10),
    ('status', 'delivery_failed', 3), ('status', 'on_hold', 1), ('status', 'return_to_sender', 1);`);
const started = Date.now();
// shipments keep Unix milliseconds (migrations/0011).
const ms = (c: string) =>
  `CAST(strftime('%s', ${c}) AS INTEGER) * 1000 + CAST(substr(strftime('%f', ${c}), 4) AS INTEGER)`;
db.exec("BEGIN");
db.prepare(
  `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?1 - 1)
   INSERT INTO events (id, carrier, dedupe_key, type, occurred_at, received_at, tracking_number, carrier_reference,
     status, carrier_status, reason, data, raw_body, request_url, state, duplicates, seen_at, attempts, updated_at)
   SELECT 'evt_' || upper(hex(randomblob(13))), c, c || '#' || substr(hex(randomblob(16)), 1, 22),
     CASE WHEN r % 100 < 90 THEN 'shipment.status_changed' WHEN r % 100 < 98 THEN 'label.created'
          WHEN r % 100 < 99 THEN 'label.cancelled' ELSE 'rates.calculated' END,
     t, t, 'TN' || (100000000 + i), 'REF' || i,
     CASE WHEN s < 45 THEN 'in_transit' WHEN s < 70 THEN 'delivered' WHEN s < 85 THEN 'out_for_delivery'
          WHEN s < 95 THEN 'pending' WHEN s < 98 THEN 'delivery_failed' WHEN s < 99 THEN 'on_hold' ELSE 'return_to_sender' END,
     'CARRIER_STATUS_' || s, NULL, randomblob(17), randomblob(120), 'https://parcelhook.example/webhooks/' || c,
     CASE WHEN i % 1000 = 1 THEN 'dead' WHEN i % 1000 = 2 THEN 'held' WHEN i > ?1 - 20 THEN 'queued' ELSE 'delivered' END,
     0, CASE WHEN i > ?1 - 20 THEN NULL ELSE t END, 1, t
   FROM (SELECT i, abs(random()) % 100 AS r, abs(random()) % 100 AS s,
           json_extract(?2, '$[' || (i % json_array_length(?2)) || ']') AS c,
           strftime('%Y-%m-%dT%H:%M:%fZ', (?3 + i * (?4 - ?3) / ?1) / 1000.0, 'unixepoch') AS t FROM n)`,
).run(N, carriers, START, now);
db.exec(`INSERT INTO shipments (carrier, tracking_number, status, last_event_at, last_event_seq, updated_at)
  SELECT carrier, tracking_number, status, ${ms("occurred_at")}, seq, ${ms("received_at")} FROM events;
  INSERT INTO deliveries (event_seq, destination_no, state, attempts, gen, updated_at)
  SELECT seq, 1, CASE state WHEN 'dead' THEN 5 WHEN 'held' THEN 3 WHEN 'queued' THEN 1 ELSE 4 END, 1, 0,
    CAST(strftime('%s', received_at) AS INTEGER) FROM events;
  INSERT INTO event_attempts (event_seq, destination_no, attempted_at, kind, http_status, duration_ms)
  SELECT seq, 1, ${ms("received_at")}, 'forward', 204, 40 FROM events;`);
db.prepare("UPDATE deliveries SET state = 3 WHERE event_seq > ?1").run(N - Number(values.held));
db.prepare("UPDATE events SET state = 'held' WHERE seq > ?1").run(N - Number(values.held));
db.exec("COMMIT");
db.exec("VACUUM");
console.log(`${N} events, one shipment, delivery and attempt each, built in ${Date.now() - started} ms`);

const size = db.prepare("SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name").all() as {
  name: string;
  bytes: number;
}[];
const bytesOf = new Map(size.map((s) => [s.name, s.bytes]));
const total = size.reduce((n, s) => n + s.bytes, 0);
console.log(`database ${total} bytes: ${(total / N).toFixed(0)} bytes per event\n`);

const one = <T>(sql: string) => db.prepare(sql).get() as T;
const tn = one<{ t: string }>(
  `SELECT tracking_number AS t FROM events WHERE seq = ${Math.min(5000, Math.ceil(N / 2))}`,
).t;
type Case = IndexCase;
const CASES = indexCases({ now: new Date(now), carriers: CARRIERS, trackingNumber: tn });

function measure(c: Case): { plan: string; ms: number } | { error: string } {
  try {
    const stmt = db.prepare(c.sql);
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${c.sql}`).all(...(c.params as never[])) as { detail: string }[])
      .map((r) => r.detail)
      .join("; ");
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      stmt.all(...(c.params as never[]));
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return { plan, ms: times[Math.floor(times.length / 2)] as number };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}
const show = (m: ReturnType<typeof measure>) => ("error" in m ? `error: ${m.error}` : `${m.ms.toFixed(3)} ms`);
const short = (m: ReturnType<typeof measure>) =>
  "error" in m ? "" : m.plan.replace(/USING (COVERING )?INDEX /g, "").slice(0, 90);

console.log(
  "| index | bytes per event | query | with it | plan | after DROP | plan |\n|---|---:|---|---:|---|---:|---|",
);
for (const [index, cases] of Object.entries(CASES)) {
  const create = one<{ sql: string } | undefined>(`SELECT sql FROM sqlite_master WHERE name = '${index}'`);
  if (!create) {
    console.log(`| ${index} | (no such index) | | | | | |`);
    continue;
  }
  const before = cases.map(measure);
  db.exec(`DROP INDEX ${index}`);
  const after = cases.map(measure);
  db.exec(create.sql);
  cases.forEach((c, i) => {
    const b = before[i] as ReturnType<typeof measure>;
    const a = after[i] as ReturnType<typeof measure>;
    const bytes = i === 0 ? (((bytesOf.get(index) ?? 0) / N).toFixed(1) as string) : "";
    console.log(
      `| ${i === 0 ? index : ""} | ${bytes} | ${c.query} | ${show(b)} | ${short(b)} | ${show(a)} | ${short(a)} |`,
    );
  });
}
// Issue 18: a destination's reads (the destinations page and API, the catch-up, the alerts,
// /metrics, a replay to one destination by state), each as its function runs it, against
// `default`'s deliveries (one per event). Run at two sizes: a seek costs the same at both.
const seeks = await seekCases({ now: new Date(now), carrier: CARRIERS[0] as string, no: 1 });
console.log(
  `\n${N} deliveries (${values.held} held): a destination's reads\n| query | median | plan |\n|---|---:|---|`,
);
for (const c of seeks) {
  const m = measure({ ...c, uses: /./ });
  console.log(`| ${c.query} | ${show(m)} | ${"error" in m ? "" : m.plan.slice(0, 160)} |`);
}
console.log("\n| table or index | bytes per event |\n|---|---:|");
for (const s of [...size].sort((a, b) => b.bytes - a.bytes)) console.log(`| ${s.name} | ${(s.bytes / N).toFixed(1)} |`);
db.close();
rmSync(dir, { recursive: true, force: true });
