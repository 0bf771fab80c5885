// `npm run bench -- [--duration 5] [--rounds 3] [--connections 10]`: every row measured in one run on one local
// workerd (wrangler dev with bench/wrangler.bench.toml). It prints; it never fails on a slow machine.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";
import { assertPortFree } from "../../scripts/lib/port-free";
import { waitFor } from "../../scripts/lib/wait-for";
import { buildPlan } from "../../scripts/simulate/plan";
import { secretsFromVars } from "../../scripts/simulate/secrets";
import { sendAll } from "../../scripts/simulate/send";
import { CARRIER_NAMES, type CarrierName, type Delivery } from "../../scripts/simulate/types";
import { startSink } from "../../scripts/sink/start-sink";
import { startReceiver, TEST_VARS } from "../../test/e2e/start-receiver";
import { measureCpu, printCpuTable } from "./cpu";

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "5" },
    connections: { type: "string", default: "10" },
    port: { type: "string", default: "8874" },
    rounds: { type: "string", default: "3" },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const port = Number(values.port);
const rounds = Number(values.rounds);
const secrets = secretsFromVars(TEST_VARS);

console.log(`parcelhook bench, ${new Date().toISOString()}`);
console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? "?"}, Node ${process.version}`);
console.log(
  `load: autocannon, ${connections} connections, ${duration} s per row, ${rounds} interleaved rounds (median shown), one wrangler dev (workerd)\n`,
);

// Distinct real payloads per carrier, so the carrier rows are not all duplicates.
const byCarrier: Record<CarrierName, Delivery[]> = { inpost: [], swiftpod: [], postmen: [], peddler: [] };
for (const c of CARRIER_NAMES) {
  byCarrier[c] = buildPlan({
    count: 6000,
    secrets,
    seed: 900 + CARRIER_NAMES.indexOf(c),
    retryShare: 0,
    carriers: [c],
  }).deliveries;
}

for (const p of [port, port + 2]) await assertPortFree(p);
const sink = await startSink({ port: port + 2, signingSecret: TEST_VARS.FORWARD_SIGNING_SECRET as string });
const receiver = await startReceiver({
  port,
  config: "bench/wrangler.bench.toml",
  vars: { FORWARD_URL: sink.url },
  timeoutMs: 60_000,
});

interface Row {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
}

async function fire(name: string, deliveries: Delivery[]): Promise<Row> {
  let i = 0;
  const first = deliveries[0] as Delivery;
  const result = await autocannon({
    url: receiver.url,
    connections,
    duration,
    requests: [
      {
        method: "POST",
        path: first.path,
        setupRequest: (req: Record<string, unknown>) => {
          const d = deliveries[i++ % deliveries.length] as Delivery;
          return { ...req, method: d.method, path: d.path, headers: d.headers, body: d.body };
        },
      },
    ],
  });
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
  };
}

const stored = () => fetch(`${receiver.url}/__bench/counters`).then((r) => r.json() as Promise<Record<string, number>>);
async function settle() {
  // Let the consumer catch up between rows, so one row's queue work does not land on the next.
  let last = -1;
  await waitFor(
    async () => {
      const c = await stored();
      const same = c.messages === last;
      last = c.messages ?? 0;
      return same;
    },
    30_000,
    1500,
  );
}

try {
  const bare: Delivery = {
    carrier: "other",
    kind: "valid",
    label: "bare",
    method: "GET",
    path: "/__bench/bare",
    headers: {},
    body: "",
  };
  const peddlerBody = (byCarrier.peddler[0] as Delivery).body;
  const io: Delivery = {
    ...bare,
    method: "POST",
    path: "/__bench/io",
    headers: { "content-type": "application/json" },
    body: peddlerBody,
  };
  // Warm-up: the first requests compile the Worker and open D1.
  await fire("warm-up", [bare]);
  await fire("warm-up", byCarrier.peddler.slice(-200));
  await settle();

  // Rounds interleave the rows, so a burst of load from elsewhere on the machine lands on every
  // row alike; each row reports its median round.
  const plan: [string, Delivery[]][] = [
    ["(a) bare 200 route", [bare]],
    ["(b) hot-path I/O only", [io]],
    ...CARRIER_NAMES.map((c): [string, Delivery[]] => [`(c) ${c}`, byCarrier[c]]),
  ];
  const runs = new Map<string, Row[]>();
  for (let round = 0; round < rounds; round++) {
    for (const [name, deliveries] of plan) {
      const offset = Math.floor((round * deliveries.length) / rounds);
      const r = await fire(name, [...deliveries.slice(offset), ...deliveries.slice(0, offset)]);
      runs.set(name, [...(runs.get(name) ?? []), r]);
      if (name.startsWith("(c)") || name.startsWith("(b)")) await settle();
    }
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
  const rows: Row[] = plan.map(([name]) => {
    const rs = runs.get(name) ?? [];
    return {
      name,
      rps: median(rs.map((r) => r.rps)),
      p50: median(rs.map((r) => r.p50)),
      p99: median(rs.map((r) => r.p99)),
      non2xx: rs.reduce((n, r) => n + r.non2xx, 0),
    };
  });
  const a = rows[0] as Row;
  const b = rows[1] as Row;
  console.log("| route | req/s | p50 ms | p99 ms | non-2xx | c/b | c/a |");
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    const c = r.name.startsWith("(c)");
    console.log(
      `| ${r.name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${c ? (r.rps / b.rps).toFixed(2) : ""} | ${c ? (r.rps / a.rps).toFixed(2) : ""} |`,
    );
  }

  // D1 round trips: 100 distinct deliveries at once, then the consumer's batches.
  await settle();
  await fetch(`${receiver.url}/__bench/counters`, { method: "POST" });
  const hundred = buildPlan({ count: 100, secrets, seed: 4242, retryShare: 0 }).deliveries;
  const sent = await sendAll(receiver.url, hundred, { concurrency: 100 });
  await waitFor(async () => (await stored()).messages >= sent.filter((r) => r.outcome === "accepted").length, 30_000);
  const k = await stored();
  const sizes = (k.batchSizes as unknown as number[]) ?? [];
  console.log("\nD1 round trips (counted by wrapping the DB binding in the bench Worker):");
  console.log(
    `  per accepted delivery: ${(k.requestTrips / k.requests).toFixed(2)} (${k.requestTrips} over ${k.requests} deliveries)`,
  );
  console.log(
    `  per consumer batch: ${(k.batchTrips / k.batches).toFixed(2)} (${k.batchTrips} over ${k.batches} batches of ${sizes.join(", ")} messages)`,
  );
} finally {
  await receiver.stop();
  await sink.stop();
}

// CPU per event, in this process.
const env = { ...TEST_VARS, INPOST_ALLOWED_CIDRS: "91.216.25.0/24", MAX_BODY_BYTES: "524288" } as unknown as Env;
const sample: Record<string, Delivery[]> = {};
for (const c of CARRIER_NAMES) sample[c] = byCarrier[c].slice(0, 300);
const cpu = await measureCpu(sample, env);
console.log("\nCPU per event (check + parse + validate + normalize vs JSON.parse of the same body), this process:");
printCpuTable(cpu);

// Bundle sizes: the deployable Worker, and the receiver path alone (without the operator surface).
function bundleSize(config: string): { raw: number; gz: number; wrangler: string } {
  const out = mkdtempSync(join(tmpdir(), "parcelhook-bundle-"));
  const build = spawnSync("wrangler", ["deploy", "--dry-run", "--minify", "--outdir", out, "-c", config], {
    encoding: "utf8",
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: "false",
      WRANGLER_SEND_ERROR_REPORTS: "false",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      NO_COLOR: "1",
    },
  });
  let raw = 0;
  let gz = 0;
  for (const f of readdirSync(out).filter((name) => name.endsWith(".js"))) {
    const bytes = readFileSync(join(out, f));
    raw += bytes.length;
    gz += gzipSync(bytes).length;
  }
  rmSync(out, { recursive: true, force: true });
  return {
    raw,
    gz,
    wrangler: /Total Upload:[^\n]*/.exec(build.stdout + build.stderr)?.[0] ?? "(wrangler printed no size)",
  };
}

console.log("\nbundle (wrangler deploy --dry-run --minify), target < 40 KiB gzip:");
for (const [label, config] of [
  ["the Hono app (wrangler.toml)", "wrangler.toml"],
  ["the queue consumer Worker (wrangler.consumer.toml)", "wrangler.consumer.toml"],
  [
    "the Hono app's receiver path only: webhooks + health + cron (bench/receiver-only.ts)",
    "bench/wrangler.receiver-only.toml",
  ],
] as const) {
  const b = bundleSize(config);
  console.log(
    `  ${label}: ${(b.raw / 1024).toFixed(1)} KiB raw, ${(b.gz / 1024).toFixed(1)} KiB gzip; wrangler: ${b.wrangler}`,
  );
}
