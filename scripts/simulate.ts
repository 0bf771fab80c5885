// `npm run simulate -- [--url http://127.0.0.1:8787] [--rate N] [--count N] [--concurrency N] [--bad] [--seed N]`
// Sends realistic webhooks of all four carriers, with their real authentication, to a running
// receiver, and prints what it answered. Exit code 1 when anything answered 5xx or not at all, or a
// bad delivery got another answer than the contract promises.
import { parseArgs } from "node:util";
import { buildPlan } from "./simulate/plan";
import { printSummary, progress, summarize } from "./simulate/report";
import { loadSecrets } from "./simulate/secrets";
import { sendAll } from "./simulate/send";
import { CARRIER_NAMES, type CarrierName } from "./simulate/types";

const { values } = parseArgs({
  options: {
    url: { type: "string", default: "http://127.0.0.1:8787" },
    rate: { type: "string", default: "0" },
    count: { type: "string", default: "200" },
    concurrency: { type: "string", default: "10" },
    bad: { type: "boolean", default: false },
    seed: { type: "string" },
    carriers: { type: "string", default: CARRIER_NAMES.join(",") },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log(
    "npm run simulate -- [--url URL] [--count N] [--rate REQ_PER_S] [--concurrency N] [--bad] [--seed N] [--carriers inpost,swiftpod,postmen,peddler]\n" +
      "Secrets come from the environment (SWIFTPOD_WEBHOOK_SECRET, POSTMEN_WEBHOOK_SECRET, POSTMEN_HMAC_SECRET,\n" +
      "PEDDLER_WEBHOOK_TOKEN), else .dev.vars, else .dev.vars.example. InPost is sent with CF-Connecting-IP 91.216.25.x,\n" +
      "which only a local `wrangler dev` lets through; a deployed receiver sees the simulator's own address (403).",
  );
  process.exit(0);
}
const url = (values.url ?? "").replace(/\/$/, "");
const seed = values.seed ? Number(values.seed) : Date.now() % 2 ** 31;
const carriers = (values.carriers ?? "")
  .split(",")
  .filter((c): c is CarrierName => CARRIER_NAMES.includes(c as CarrierName));
const plan = buildPlan({
  count: Number(values.count),
  secrets: loadSecrets(),
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
