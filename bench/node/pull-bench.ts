// `npm run bench:pull [-- --port 8840 --events 10000 --ack-fault-every 0 --source <name>]`: drains
// a pull source's journal of `--events` events (its local fake, `fake.ts` in its folder, over real
// HTTP; the first registered pull source unless named) through the real receiver (`wrangler dev` of
// both Workers, local D1 and queues), one cron run per virtual minute
// (GET /cdn-cgi/handler/scheduled?time=…), and prints: runs and minutes to drain, events a minute
// against the pull budget's stated rate (pagesPerRun x pageSize a minute), each run's wall time
// against the 25 s budget, and what D1 holds: stored, lost, stored twice, duplicates absorbed.
// `--ack-fault-every N` fails every Nth acknowledgement (HTTP 500): those pages are read again and
// dedup must absorb them. The floor, measured in the same run: the same journal drained by the
// source's own read and acknowledge in node (nothing stored), so the ratio is what storing costs.
// Ports: --port (receiver), --port + 1 (the fake), --port + 2 (wrangler's inspector).
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import { openLocalD1 } from "../../scripts/lib/local-d1";
import { assertPortFree } from "../../scripts/lib/port-free";
import { sleep } from "../../scripts/lib/wait-for";
import { REGISTRY } from "../../src/carriers";
import { isPullSource, type PullFake } from "../../src/carriers/pull-kit";
import { parseConfig } from "../../src/config";
import { PULL_WALL_MS } from "../../src/pull/run-pull-sources";
import { startReceiver, TEST_VARS } from "../../test/e2e/start-receiver";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8840" },
    events: { type: "string", default: "10000" },
    "ack-fault-every": { type: "string", default: "0" },
    source: { type: "string" },
  },
});
const port = Number(values.port);
const total = Number(values.events);
const faultEvery = Number(values["ack-fault-every"]);
const source = REGISTRY.filter(isPullSource).find((s) => values.source === undefined || s.name === values.source);
if (!source) throw new Error(`no pull source ${values.source ?? ""}`);
const { fake: kind } = (await import(`../../src/carriers/${source.name}/fake.ts`)) as { fake: PullFake };
const fakeUrl = new URL(TEST_VARS[kind.endpointSetting] ?? "http://127.0.0.1/");
fakeUrl.host = `127.0.0.1:${port + 1}`;
const vars = { ...TEST_VARS, [kind.endpointSetting]: fakeUrl.toString() };

// The floor: the source's own read and acknowledge drain an identical journal, nothing stored.
const floorJournal = kind.create(vars);
floorJournal.fill(total);
const settings = parseConfig(vars).carriers[source.name];
const floorIo = { fetch: floorJournal.fetch };
const floorStart = performance.now();
for (;;) {
  const page = await source.pull.read(settings, null, floorIo);
  await source.pull.acknowledge(settings, page, floorIo);
  if (!page.more) break;
}
const floorMs = performance.now() - floorStart;

// The journal the receiver drains, behind a real HTTP server.
const fake = kind.create(vars);
fake.fill(total);
let armedFor = 0;
await assertPortFree(port + 1);
const server = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  // Every Nth acknowledgement fails: the fault waits in the fake for the next acknowledgement.
  const next = fake.calls().acknowledgements + 1;
  if (faultEvery > 0 && next % faultEvery === 0 && armedFor !== next) {
    fake.failNextAcknowledgement();
    armedFor = next;
  }
  const answer = await fake.fetch(
    new Request(new URL(req.url ?? "/", fakeUrl), {
      method: req.method,
      headers: { "content-type": req.headers["content-type"] ?? "" },
      body: new Uint8Array(Buffer.concat(chunks)),
    }),
  );
  res.writeHead(answer.status, Object.fromEntries(answer.headers));
  res.end(Buffer.from(await answer.arrayBuffer()));
});
await new Promise<void>((r) => server.listen(port + 1, "127.0.0.1", r));

const receiver = await startReceiver({
  port,
  inspectorPort: port + 2,
  vars,
});
const d1 = openLocalD1(receiver.persistTo);
const row = () =>
  d1.one<{ last_run_at: number | null; next_at: number }>(
    "SELECT last_run_at, next_at FROM pull_sources WHERE carrier = ?",
    source.name,
  );
const lastRun = () => row()?.last_run_at ?? null;

const T0 = Date.now();
const runMs: number[] = [];
let minutes = 0;
let runs = 0;
try {
  while (
    fake.pending() > 0 &&
    minutes < 10 * Math.ceil(total / (source.pull.pagesPerRun * source.pull.pageSize)) + 30
  ) {
    const before = lastRun();
    const time = T0 + minutes * 60_000;
    // A minute the source is backing off (next_at later) has no run to wait for.
    const due = (row()?.next_at ?? 0) <= time;
    const started = performance.now();
    const res = await fetch(`${receiver.url}/cdn-cgi/handler/scheduled?time=${time}`);
    if (!res.ok) throw new Error(`the cron trigger answered ${res.status}`);
    // A run happened when pull_sources moved.
    for (let i = 0; due && i < 1200 && lastRun() === before; i++) await sleep(50);
    if (lastRun() !== before) {
      runs++;
      runMs.push(performance.now() - started);
    }
    minutes++;
    if (minutes % 5 === 0)
      console.log(`minute ${minutes}: ${runs} runs, ${fake.pending()} pending, ${JSON.stringify(row())}`);
  }
} finally {
  server.close();
}

const rows = d1.one<{ n: number; distinct_events: number; absorbed: number }>(
  `SELECT count(*) AS n, count(DISTINCT type || '|' || carrier_reference) AS distinct_events,
     coalesce(sum(duplicates), 0) AS absorbed FROM events WHERE carrier = ?`,
  source.name,
) ?? { n: 0, distinct_events: 0, absorbed: 0 };
const state = d1.one<Record<string, number>>(
  "SELECT stored, duplicates, pages FROM pull_sources WHERE carrier = ?",
  source.name,
);
d1.close();
await receiver.stop();

const rate = source.pull.pagesPerRun * source.pull.pageSize;
const sorted = [...runMs].sort((a, b) => a - b);
const stored = rows.n;
const perMinute = total / minutes;
const workMs = runMs.reduce((a, b) => a + b, 0);
const line = (k: string, v: string | number) => console.log(`${k.padEnd(44)} ${v}`);
console.log(
  `\n${source.name}: a journal drained by the pull cron job (${total} events${faultEvery ? `, every ${faultEvery}th acknowledgement failed` : ""})`,
);
line("stated rate (pagesPerRun x pageSize a minute)", `${rate} events/minute`);
line("cron minutes to drain / runs that read", `${minutes} / ${runs}`);
line(
  "events a minute (journal / minutes)",
  `${perMinute.toFixed(0)} (${((perMinute / rate) * 100).toFixed(0)} % of the stated rate)`,
);
line(
  "run wall time: median / max",
  `${(sorted[Math.floor(sorted.length / 2)] ?? 0).toFixed(0)} ms / ${(sorted[sorted.length - 1] ?? 0).toFixed(0)} ms (budget ${PULL_WALL_MS} ms + one page)`,
);
line("events a second while running", `${((total / workMs) * 1000).toFixed(0)}`);
line(
  "floor: bare client read+ack, nothing stored",
  `${floorMs.toFixed(0)} ms (${((total / floorMs) * 1000).toFixed(0)} events/s)`,
);
line("ratio: runs' wall time / floor", `${(workMs / floorMs).toFixed(1)}x`);
line("stored in D1 (rows) / distinct events", `${stored} / ${rows.distinct_events}`);
line("lost (journal - distinct stored)", total - rows.distinct_events);
line("stored twice (rows - distinct)", stored - rows.distinct_events);
line("duplicates absorbed by dedup", rows.absorbed);
line("unacknowledged left in the journal", fake.pending());
line("pull_sources: stored / duplicates / pages", `${state?.stored} / ${state?.duplicates} / ${state?.pages}`);
line("calls to the source: read / acknowledge", `${fake.calls().reads} / ${fake.calls().acknowledgements}`);
if (total - rows.distinct_events !== 0 || stored !== rows.distinct_events || fake.pending() !== 0) {
  console.error("FAILED: events lost, stored twice, or left unacknowledged");
  process.exit(1);
}
