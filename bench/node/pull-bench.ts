// `npm run bench:pull [-- --port 8840 --events 10000 --ack-fault-every 0]`: drains a DPD Polska
// journal of `--events` events (the local fake of InfoServices, over real HTTP) through the real
// receiver (`wrangler dev` of both Workers, local D1 and queues), one cron run per virtual minute
// (GET /cdn-cgi/handler/scheduled?time=…), and prints: runs and minutes to drain, events a minute
// against the pull budget's stated rate (pagesPerRun x pageSize a minute), each run's wall time
// against the 25 s budget, and what D1 holds: stored, lost, stored twice, duplicates absorbed.
// `--ack-fault-every N` fails every Nth acknowledgement (HTTP 500): those pages are read again and
// dedup must absorb them. The floor, measured in the same run: the same journal drained by a bare
// client in node (read, acknowledge, nothing stored), so the ratio is what storing costs.
// Ports: --port (receiver), --port + 1 (the fake), --port + 2 (wrangler's inspector).
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import { openLocalD1 } from "../../scripts/lib/local-d1";
import { assertPortFree } from "../../scripts/lib/port-free";
import { sleep } from "../../scripts/lib/wait-for";
import { dpdPl } from "../../src/carriers/dpd-pl";
import { acknowledgeDpdPl, readDpdPlJournal } from "../../src/carriers/dpd-pl/dpd-pl-journal";
import { DpdInfoServicesFake, dpdStory } from "../../src/carriers/dpd-pl/fake";
import { PULL_WALL_MS } from "../../src/pull/run-pull-sources";
import { startReceiver } from "../../test/e2e/start-receiver";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8840" },
    events: { type: "string", default: "10000" },
    "ack-fault-every": { type: "string", default: "0" },
  },
});
const port = Number(values.port);
const total = Number(values.events);
const faultEvery = Number(values["ack-fault-every"]);
const STORY = 5;
const PATH = "/DPDInfoServicesObjEventsService/DPDInfoServicesObjEvents";
const creds = { login: "bench-login", password: "bench-password-0123", channel: "1495" };

function filledJournal(): DpdInfoServicesFake {
  const fake = new DpdInfoServicesFake({ ...creds, firstObjectId: 500_000_000 });
  for (let n = 0; n < Math.ceil(total / STORY); n++) fake.add(dpdStory(n, new Date("2026-11-30T10:00:00Z")));
  fake.journal.splice(total);
  return fake;
}

// The floor: a bare client drains an identical journal, nothing stored (in-process, no HTTP).
const floorJournal = filledJournal();
const settings = {
  DPD_PL_LOGIN: creds.login,
  DPD_PL_PASSWORD: [creds.password],
  DPD_PL_MASTER_FID: creds.channel,
  DPD_PL_ENDPOINT: `http://fake${PATH}`,
};
const floorStart = performance.now();
for (;;) {
  const page = await readDpdPlJournal(settings, null, { fetch: floorJournal.fetch });
  await acknowledgeDpdPl(settings, page, { fetch: floorJournal.fetch });
  if (!page.more) break;
}
const floorMs = performance.now() - floorStart;

// The journal the receiver drains, behind a real HTTP server.
const fake = filledJournal();
let acks = 0;
await assertPortFree(port + 1);
const server = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = Buffer.concat(chunks).toString("utf8");
  if (faultEvery > 0 && body.includes("markEventsAsProcessedV1") && ++acks % faultEvery === 0) {
    fake.failNext("markEventsAsProcessedV1", "http500");
  }
  const answer = await fake.fetch(`http://127.0.0.1:${port + 1}${req.url}`, {
    method: req.method,
    headers: { "content-type": req.headers["content-type"] ?? "" },
    body,
  });
  res.writeHead(answer.status, Object.fromEntries(answer.headers));
  res.end(await answer.text());
});
await new Promise<void>((r) => server.listen(port + 1, "127.0.0.1", r));

const receiver = await startReceiver({
  port,
  inspectorPort: port + 2,
  vars: {
    DPD_PL_LOGIN: creds.login,
    DPD_PL_PASSWORD: creds.password,
    DPD_PL_MASTER_FID: creds.channel,
    DPD_PL_ENDPOINT: `http://127.0.0.1:${port + 1}${PATH}`,
  },
});
const d1 = openLocalD1(receiver.persistTo);
const lastRun = () =>
  d1.one<{ last_run_at: number | null }>("SELECT last_run_at FROM pull_sources WHERE carrier = 'dpd-pl'")
    ?.last_run_at ?? null;

const T0 = Date.now();
const runMs: number[] = [];
let minutes = 0;
let runs = 0;
try {
  while (fake.unacknowledged() > 0 && minutes < 10 * Math.ceil(total / 400) + 30) {
    const before = lastRun();
    const started = performance.now();
    const res = await fetch(`${receiver.url}/cdn-cgi/handler/scheduled?time=${T0 + minutes * 60_000}`);
    if (!res.ok) throw new Error(`the cron trigger answered ${res.status}`);
    // A run happened when pull_sources moved; a minute the source was backing off has none.
    for (let i = 0; i < 600 && lastRun() === before; i++) {
      if (i > 20 && fake.calls.getEventsForCustomerV4 === 0) break;
      await sleep(50);
    }
    if (lastRun() !== before) {
      runs++;
      runMs.push(performance.now() - started);
    }
    minutes++;
  }
} finally {
  server.close();
}

const rows = d1.one<{ n: number; distinct_events: number; absorbed: number }>(
  `SELECT count(*) AS n, count(DISTINCT type || '|' || carrier_reference) AS distinct_events,
     coalesce(sum(duplicates), 0) AS absorbed FROM events WHERE carrier = 'dpd-pl'`,
) ?? { n: 0, distinct_events: 0, absorbed: 0 };
const state = d1.one<Record<string, number>>(
  "SELECT stored, duplicates, pages FROM pull_sources WHERE carrier = 'dpd-pl'",
);
d1.close();
await receiver.stop();

const rate = dpdPl.pull.pagesPerRun * dpdPl.pull.pageSize;
const sorted = [...runMs].sort((a, b) => a - b);
const stored = rows.n;
const perMinute = total / minutes;
const workMs = runMs.reduce((a, b) => a + b, 0);
const line = (k: string, v: string | number) => console.log(`${k.padEnd(44)} ${v}`);
console.log(
  `\nDPD Polska journal drained by the pull cron job (${total} events${faultEvery ? `, every ${faultEvery}th acknowledgement failed` : ""})`,
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
line("unacknowledged left in the journal", fake.unacknowledged());
line("pull_sources: stored / duplicates / pages", `${state?.stored} / ${state?.duplicates} / ${state?.pages}`);
line("SOAP calls: read / acknowledge", `${fake.calls.getEventsForCustomerV4} / ${fake.calls.markEventsAsProcessedV1}`);
if (total - rows.distinct_events !== 0 || stored !== rows.distinct_events || fake.unacknowledged() !== 0) {
  console.error("FAILED: events lost, stored twice, or left unacknowledged");
  process.exit(1);
}
