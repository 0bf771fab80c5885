// `npm run simulate -- [--url http://127.0.0.1:8787] [--rate N] [--count N] [--concurrency N] [--bad] [--seed N]`
// Sends realistic webhooks of every registered carrier (its folder's simulate.ts), with their real
// authentication, to a running
// receiver, and prints what it answered. Exit code 1 when anything answered 5xx or not at all, or a
// bad delivery got another answer than the contract promises.
import { parseArgs } from "node:util";
import { REGISTRY } from "../src/carriers";
import { buildPlan } from "./simulate/plan";
import { printSummary, progress, summarize } from "./simulate/report";
import { loadSettings } from "./simulate/secrets";
import { sendAll } from "./simulate/send";
import { SIM_NAMES } from "./simulate/sims";

const { values } = parseArgs({
  options: {
    url: { type: "string", default: "http://127.0.0.1:8787" },
    rate: { type: "string", default: "0" },
    count: { type: "string", default: "200" },
    concurrency: { type: "string", default: "10" },
    bad: { type: "boolean", default: false },
    seed: { type: "string" },
    carriers: { type: "string", default: SIM_NAMES.join(",") },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log(
    `npm run simulate -- [--url URL] [--count N] [--rate REQ_PER_S] [--concurrency N] [--bad] [--seed N] [--carriers ${SIM_NAMES.join(",")}]\n` +
      `Settings come from the environment (${REGISTRY.flatMap((c) => Object.keys(c.settings)).join(", ")}),\n` +
      "else .dev.vars, else .dev.vars.example. A carrier checked by address is sent with a CF-Connecting-IP in its\n" +
      "range, which only a local `wrangler dev` lets through; a deployed receiver sees the simulator's own address (403).",
  );
  process.exit(0);
}
const url = (values.url ?? "").replace(/\/$/, "");
const seed = values.seed ? Number(values.seed) : Date.now() % 2 ** 31;
const asked = (values.carriers ?? "").split(",").filter(Boolean);
const unknown = asked.filter((c) => !SIM_NAMES.includes(c));
if (unknown.length > 0) {
  console.error(`no simulator for ${unknown.join(", ")}; known: ${SIM_NAMES.join(", ")}`);
  process.exit(2);
}
const carriers = asked;
const plan = buildPlan({
  count: Number(values.count),
  settings: loadSettings(),
  seed,
  bad: values.bad,
  carriers,
});
console.log(
  `simulating ${plan.deliveries.length} deliveries to ${url} (seed ${seed}): ${plan.distinct} distinct events, ` +
    `${plan.retries} exact retries, ${plan.bad} bad; ${plan.outOfOrder} shipments sent out of order`,
);
const bar = progress(plan.deliveries.length);
const t0 = performance.now();
const results = await sendAll(url, plan.deliveries, {
  concurrency: Number(values.concurrency),
  rate: Number(values.rate),
  onResult: (_r, done) => bar.tick(done),
});
const summary = summarize(results, (performance.now() - t0) / 1000);
printSummary(summary);
if (summary.serverErrors > 0 || summary.badUnexpected.length > 0) process.exitCode = 1;
