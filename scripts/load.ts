// `npm run load -- [--count 10000] [--concurrency 50] [--seed N] [--port 8860]`
// Starts the receiver (wrangler dev, temporary storage) with three destinations, each a local sink:
// `default` (FORWARD_URL), an unfiltered one, and one filtered to the exceptions (failed, delayed,
// returned, on hold); fires the simulator's mixed traffic at it (10% exact retries, shuffled
// shipments), waits for the queue to drain, then checks D1 and each sink: each got exactly the
// events its filter matches, once, signed with its own key. Loopback only; stops by itself; exit
// code 1 on any failed check.
import { parseArgs } from "node:util";
import { OWES_DELIVERY_SQL } from "../src/delivery/delivery-state";
import { sealSecret } from "../src/destinations/secret-box";
import { startReceiver, TEST_VARS } from "../test/e2e/start-receiver";
import { checklist } from "./lib/checks";
import { shipmentCount, shipmentMismatches, sinkVersusD1, stateCounts } from "./lib/d1-checks";
import { openLocalD1 } from "./lib/local-d1";
import { assertPortFree } from "./lib/port-free";
import { sleep, waitFor } from "./lib/wait-for";
import { buildPlan } from "./simulate/plan";
import { printSummary, progress, summarize } from "./simulate/report";
import { settingsFromVars } from "./simulate/secrets";
import { sendAll } from "./simulate/send";
import { startSink } from "./sink/start-sink";

const { values } = parseArgs({
  options: {
    count: { type: "string", default: "10000" },
    concurrency: { type: "string", default: "50" },
    seed: { type: "string", default: "20261123" },
    port: { type: "string", default: "8860" },
    "drain-timeout": { type: "string", default: "420" },
  },
});
const port = Number(values.port);
const count = Number(values.count);
const concurrency = Number(values.concurrency);
const signingSecret = TEST_VARS.FORWARD_SIGNING_SECRET as string;

console.log(
  `load: ${count} deliveries at concurrency ${concurrency}, receiver on :${port}, sinks on :${port + 2}-${port + 4}`,
);
for (const p of [port, port + 2, port + 3, port + 4]) await assertPortFree(p);
const sink = await startSink({ port: port + 2, signingSecret });
/** The two API destinations' own key (each destination signs with its own). */
const DESTINATION_SECRET = "whsec_dGVzdC1kZXN0aW5hdGlvbi1zaWduaW5nLWtleS0zMmI=";
const erp = await startSink({ port: port + 3, signingSecret: DESTINATION_SECRET });
const exceptions = await startSink({ port: port + 4, signingSecret: DESTINATION_SECRET });
const EXCEPTION_STATUSES = ["delivery_failed", "delivery_delayed", "return_to_sender", "on_hold"];
// The fault harness's entries wrap the real Workers unchanged (no fault is switched on here); they
// add /__sql, with which the setup writes the destinations the operator API would, until that API
// is merged.
const receiver = await startReceiver({
  port,
  configs: ["bench/wrangler.faults.toml", "bench/wrangler.faults-consumer.toml"],
  vars: { FORWARD_URL: sink.url, FORWARD_RETRY_BASE_SECONDS: "1" },
  timeoutMs: 60_000,
});
async function createDestination(name: string, url: string, filter: object | null): Promise<void> {
  const at = new Date().toISOString();
  const res = await fetch(`${receiver.url}/__sql`, {
    method: "POST",
    body: JSON.stringify({
      sql: `INSERT INTO destinations (id, name, url, filter, secret, created_at, updated_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)`,
      params: [
        `dst_${name}`,
        name,
        url,
        filter ? JSON.stringify(filter) : null,
        // Sealed as the API seals it (src/destinations/secret-box.ts), with the run's DESTINATIONS_KEY.
        await sealSecret([TEST_VARS.DESTINATIONS_KEY as string], `dst_${name}`, DESTINATION_SECRET),
        at,
      ],
    }),
  });
  if (!res.ok) throw new Error(`creating destination ${name}: ${res.status} ${await res.text()}`);
}
await createDestination("erp", erp.url, null);
await createDestination("exceptions", exceptions.url, { statuses: EXCEPTION_STATUSES });
// The consumer's cached configuration sees them within 10 s.
await sleep(11_000);
const list = checklist();
let exit = 1;
// A hard stop, so a hung run never outlives its budget.
const guard = setTimeout(
  () => {
    console.error("load: time budget exceeded, stopping");
    void receiver.stop().finally(() => process.exit(2));
  },
  (Number(values["drain-timeout"]) + 600) * 1000,
);
try {
  const plan = buildPlan({ count, settings: settingsFromVars(TEST_VARS), seed: Number(values.seed) });
  console.log(
    `plan: ${plan.distinct} distinct events, ${plan.retries} exact retries, ${plan.outOfOrder} shipments out of order`,
  );
  const bar = progress(plan.deliveries.length);
  const t0 = performance.now();
  const results = await sendAll(receiver.url, plan.deliveries, { concurrency, onResult: (_r, n) => bar.tick(n) });
  const sendSeconds = (performance.now() - t0) / 1000;
  const summary = summarize(results, sendSeconds);
  printSummary(summary);

  const d1 = openLocalD1(receiver.persistTo);
  const drainStart = performance.now();
  let lastSweep = drainStart;
  const drained = await waitFor(
    async () => {
      const s = stateCounts(d1);
      const pending = (s.queued ?? 0) + (s.retrying ?? 0);
      // An event whose send failed (or whose message was lost) waits for the cron sweep, which
      // wrangler dev runs only on request: run it every minute, as production's cron would.
      if (pending > 0 && performance.now() - lastSweep > 60_000) {
        lastSweep = performance.now();
        await fetch(`${receiver.url}/cdn-cgi/handler/scheduled`).catch(() => {});
      }
      return pending === 0;
    },
    Number(values["drain-timeout"]) * 1000,
    1000,
  );
  // Let late forwards (a retry racing the last state write) land before counting.
  await sleep(2000);
  const drainSeconds = (performance.now() - drainStart) / 1000;
  console.log(`queue ${drained ? "drained" : "NOT drained"} ${drainSeconds.toFixed(1)} s after the last answer`);

  const accepted = results.filter((r) => r.status === 200 && r.outcome === "accepted");
  const acceptedIds = new Set(accepted.map((r) => r.eventId));
  const answeredIds = new Set(results.filter((r) => r.status === 200).map((r) => r.eventId));
  const stored = d1.one<{ n: number; ids: number; dups: number }>(
    "SELECT count(*) AS n, count(DISTINCT id) AS ids, coalesce(sum(duplicates), 0) AS dups FROM events",
  ) ?? { n: 0, ids: 0, dups: 0 };
  const storedIds = new Set(d1.all<{ id: string }>("SELECT id FROM events").map((r) => r.id));
  const fromSink = sinkVersusD1(d1, sink);
  const fromErp = sinkVersusD1(d1, erp);
  const fromExceptions = sinkVersusD1(
    d1,
    exceptions,
    `SELECT id FROM events WHERE status IN (${EXCEPTION_STATUSES.map((st) => `'${st}'`).join(", ")})`,
  );
  const mismatches = shipmentMismatches(d1);

  list.check("no 5xx and no unanswered request", summary.serverErrors === 0, `${summary.serverErrors}`);
  list.check(
    "every valid delivery answered 200",
    summary.validRefused.length === 0,
    `${summary.validRefused.length} refused`,
  );
  list.check(
    "each distinct event accepted once, each retry a duplicate",
    accepted.length === plan.distinct && summary.duplicates === plan.retries,
    `${accepted.length} accepted / ${plan.distinct} distinct, ${summary.duplicates} duplicates / ${plan.retries} retries`,
  );
  list.check(
    "every accepted event stored exactly once in D1",
    stored.n === acceptedIds.size && [...acceptedIds].every((id) => id !== undefined && storedIds.has(id)),
    `${stored.n} rows for ${acceptedIds.size} accepted ids`,
  );
  list.check(
    "every 200 names a stored event; duplicates counted on their row",
    [...answeredIds].every((id) => id !== undefined && storedIds.has(id)) && stored.dups === summary.duplicates,
    `duplicates column sums to ${stored.dups}`,
  );
  list.check(
    "queue drained: every event delivered",
    drained && (stateCounts(d1).delivered ?? 0) === stored.n,
    JSON.stringify(stateCounts(d1)),
  );
  list.check(
    "every distinct event reached the sink exactly once",
    fromSink.missing.length === 0 && fromSink.twice.length === 0 && fromSink.unknown.length === 0,
    `${fromSink.deliveredDistinct} delivered, ${fromSink.missing.length} missing, ${fromSink.twice.length} twice, ${fromSink.unknown.length} unknown`,
  );
  list.check(
    "every forward carried a valid Standard Webhooks signature and webhook-id = event id",
    fromSink.badSignatures === 0 && fromSink.idMismatch === 0,
    `${sink.received.length} forwards, ${fromSink.badSignatures} bad signatures, ${fromSink.idMismatch} id mismatches`,
  );
  for (const [name, got, at] of [
    ["erp (every event)", fromErp, erp],
    ["exceptions (filtered)", fromExceptions, exceptions],
  ] as const) {
    list.check(
      `${name}: exactly its set, once, each signed with its own key`,
      got.missing.length === 0 &&
        got.twice.length === 0 &&
        got.unknown.length === 0 &&
        got.badSignatures === 0 &&
        got.idMismatch === 0,
      `${got.stored} expected, ${got.deliveredDistinct} delivered, ${got.missing.length} missing, ${got.twice.length} twice, ${got.unknown.length} not its own, ${got.badSignatures} bad signatures of ${at.received.length}`,
    );
  }
  const deliveries = d1.all<{ destination_no: number; state: number; n: number }>(
    "SELECT destination_no, state, count(*) AS n FROM deliveries GROUP BY 1, 2",
  );
  list.info(`deliveries by destination and state (4 = delivered): ${JSON.stringify(deliveries)}`);
  list.check(
    "every shipment's status is its newest event's",
    mismatches.length === 0,
    `${shipmentCount(d1)} shipments, ${mismatches.length} wrong${mismatches.length ? ` e.g. ${JSON.stringify(mismatches[0])}` : ""}`,
  );
  console.log(
    `figures: ${summary.sent} deliveries to 3 destinations (${sink.received.length + erp.received.length + exceptions.received.length} forwards) in ${sendSeconds.toFixed(1)} s = ${(summary.sent / sendSeconds).toFixed(0)} req/s at concurrency ${concurrency}; ` +
      `p50 ${summary.latency.p50.toFixed(0)} ms, p99 ${summary.latency.p99.toFixed(0)} ms; drain ${drainSeconds.toFixed(1)} s`,
  );
  if (!drained) {
    const stuck = d1.one<{ n: number; failed: number; swept: number }>(
      `SELECT count(*) AS n, count(enqueue_failed_at) AS failed, count(swept_at) AS swept
       FROM events WHERE state IN ${OWES_DELIVERY_SQL} AND seen_at IS NULL`,
    );
    list.info(`never seen by the consumer: ${stuck?.n} (send failed: ${stuck?.failed}, swept: ${stuck?.swept})`);
  }
  if (list.failed.length > 0 && process.env.LOAD_LOG) {
    const { writeFileSync } = await import("node:fs");
    writeFileSync(process.env.LOAD_LOG, receiver.output());
    list.info(`receiver output written to ${process.env.LOAD_LOG}`);
  }
  d1.close();
  exit = list.failed.length === 0 ? 0 : 1;
  console.log(exit === 0 ? "load: all checks passed" : `load: FAILED: ${list.failed.join("; ")}`);
} catch (err) {
  console.error("load: aborted:", err);
  console.error(receiver.output().slice(-3000));
} finally {
  clearTimeout(guard);
  await receiver.stop();
  await sink.stop();
  await erp.stop();
  await exceptions.stop();
}
process.exit(exit);
