// `npm run bench:floods -- [--port 9400] [--duration 10] [--carriers a,b]`: what floods of refused
// requests cost, on one workerd through Miniflare's API (bench/node/start-bench-worker.ts), in one run:
// - per signed sender, its simulator's 401 cases: D1 statements per refused request (counted by the
//   bench Worker's wrapped DB binding), after every delayed flush of the rejection counts;
// - keys fetched from a URL (src/carriers/remote-keys.ts) against a local JWKS server that counts its
//   requests: a flood of well-formed requests with unknown kids, and a flood while the server fails.
// It prints figures and their targets; it never fails on a slow machine.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { assertPortFree } from "../../scripts/lib/port-free";
import { sleep } from "../../scripts/lib/wait-for";
import { createRng } from "../../scripts/simulate/rng";
import { settingsFromVars } from "../../scripts/simulate/secrets";
import { SIM_NAMES, SIMS } from "../../scripts/simulate/sims";
import { findCarrier } from "../../src/carriers";
import type { KeySourceStatus } from "../../src/carriers/remote-keys";
import { REJECTION_FLUSH_MS } from "../../src/rejections/count-rejection";
import { TEST_VARS } from "../../test/e2e/start-receiver";
import { startBenchWorker } from "./start-bench-worker";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "9400" },
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "10" },
    carriers: { type: "string" },
  },
});
const port = Number(values.port);
const duration = Number(values.duration);
const connections = Number(values.connections);

// The key source under test: the first simulated sender whose keys are fetched from a URL, served
// locally (its pinned test set) and counted.
const keyed = SIM_NAMES.map((name) => ({ name, source: SIMS[name]?.keySource })).find((k) => k.source);
if (!keyed?.source) throw new Error("no simulated sender fetches its keys from a URL");
const keySource = keyed.source;
const jwks = TEST_VARS[keySource.pinnedSetting] as string;
let jwksUp = true;
let jwksRequests = 0;
const jwksServer = createServer((_req, res) => {
  jwksRequests++;
  if (!jwksUp) {
    res.writeHead(502).end("down");
    return;
  }
  res.writeHead(200, { "content-type": "application/json" }).end(jwks);
});
for (const p of [port, port + 1]) await assertPortFree(p);
await new Promise<void>((resolve) => jwksServer.listen(port + 1, "127.0.0.1", resolve));
const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks`;

const vars = { ...TEST_VARS, [keySource.urlSetting]: jwksUrl, [keySource.pinnedSetting]: "" };
const settings = settingsFromVars(vars);
const worker = await startBenchWorker({ port, vars });

type Counters = Record<string, number>;
const counters = () => fetch(`${worker.url}/__bench/counters`).then((r) => r.json() as Promise<Counters>);
const resetCounters = () => fetch(`${worker.url}/__bench/counters`, { method: "POST" });

interface Request {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** Fires `next()`'s requests for the duration; returns the answers' statuses by count. */
async function fire(next: () => Request): Promise<{ rps: number; statuses: Record<string, number> }> {
  const statuses: Record<string, number> = {};
  const first = next();
  const instance = autocannon({
    url: worker.url,
    connections,
    duration,
    requests: [
      { method: "POST", path: first.path, setupRequest: (req: Record<string, unknown>) => ({ ...req, ...next() }) },
    ],
  });
  instance.on("response", (_client: unknown, statusCode: number) => {
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  });
  const result = await instance;
  return { rps: result.requests.average, statuses };
}

const rows: string[] = [];
try {
  // 1. Each signed sender's 401 cases.
  const chosen = values.carriers?.split(",") ?? SIM_NAMES;
  for (const name of chosen) {
    const sim = SIMS[name];
    if (!sim || !findCarrier(name)) continue;
    const bad = sim.bad(createRng(7), "flood", settings).filter((b) => b.expectStatus === 401);
    if (bad.length === 0) continue;
    await resetCounters();
    let i = 0;
    const flood = await fire(() => bad[i++ % bad.length] as Request);
    await sleep(REJECTION_FLUSH_MS + 2000);
    const c = await counters();
    rows.push(
      `| ${name} | ${bad.length} kinds | ${c.rejected} | ${flood.rps.toFixed(0)} | ${JSON.stringify(flood.statuses)} | ${c.rejectedTrips} | ${((c.rejectedTrips ?? 0) / (c.rejected || 1)).toFixed(4)} |`,
    );
  }
  console.log(
    `Refused floods (${duration} s each, ${connections} connections), D1 statements counted by the bench Worker:\n`,
  );
  console.log(
    "| carrier | its 401 cases | refused requests | req/s | answers | D1 statements | per request (target <= 0.01) |",
  );
  console.log("|---|---|---:|---:|---|---:|---:|");
  for (const r of rows) console.log(r);

  // 2. Keys fetched from a URL: unknown kids, then an unreachable set.
  const sim = SIMS[keyed.name];
  if (sim) {
    const story = sim.story(createRng(1), "keys", 0, new Date())[0];
    const body = JSON.stringify(story?.payload);
    const signed = sim.sign(body, settings, createRng(1));
    let n = 0;
    const unknownKid = () => keySource.withKid(signed, `flood-${n++}`);
    // The refused floods above may have fetched the set already (an unknown kid is one of the 401 cases).
    const sofar = jwksRequests;
    const known = await fetch(`${worker.url}${signed.path}`, { method: "POST", headers: signed.headers, body });
    const afterFirst = jwksRequests;
    const flood = await fire(unknownKid);
    console.log(
      `\nJWKS (${keyed.name}, local server): ${sofar} fetch(es) during the refused floods above; a signed event with a known kid answered ${known.status} with ${afterFirst - sofar} more; then ${n} requests with unknown kids in ${duration} s (${flood.rps.toFixed(0)} req/s, answers ${JSON.stringify(flood.statuses)}): ${jwksRequests - afterFirst} more fetches (target: at most 1 per isolate per minute)`,
    );
    jwksUp = false;
    // Past the minute, so the next unknown kid may refetch, and find the server down.
    const wait = 61_000;
    console.log(`waiting ${wait / 1000} s for the refetch limit to lapse, then the JWKS server answers 502...`);
    await sleep(wait);
    const before = jwksRequests;
    n = 0;
    const outage = await fire(unknownKid);
    const health = (await fetch(`${worker.url}/health`).then((r) => r.json())) as {
      carrier_problems?: KeySourceStatus[];
    };
    console.log(
      `JWKS down: ${n} requests with unknown kids in ${duration} s (answers ${JSON.stringify(outage.statuses)}): ${jwksRequests - before} fetches; /health carrier_problems: ${JSON.stringify(health.carrier_problems)}`,
    );
  }
} finally {
  await worker.stop();
  jwksServer.close();
}
