// `npm run deploy [-- --env staging] [-- --dry-run]`: deploys both Workers and applies the remote
// D1 migrations, in an order that works on a first deploy and on every later one:
//   1. the queues (both Workers' queues; the consumer's deploy fails on a queue that does not
//      exist, and wrangler creates only producer queues by itself), created when missing;
//   2. the database: when it exists, the migrations go first, so new code never meets an old
//      schema (and, being expand-only, they leave the running release's Workers working: docs/deploy.md,
//      "Upgrades"; `npm run upgrade-check` replays this order); on a first deploy the consumer Worker's deploy creates it (wrangler provisions a D1
//      binding without database_id by its database_name), then the migrations run;
//   3. the queue consumer Worker, then the Hono app, which starts taking webhooks last.
// With --dry-run it only builds both Workers (no account needed): what CI checks.
// See docs/deploy.md.
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { unstable_readConfig } from "wrangler";

const APP = "wrangler.toml";
const CONSUMER = "wrangler.consumer.toml";

const { values } = parseArgs({
  options: { env: { type: "string", short: "e" }, "dry-run": { type: "boolean", default: false } },
});
const envArgs = values.env ? ["--env", values.env] : [];
const label = values.env ?? "production";
const wranglerEnv = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
};

const app = unstable_readConfig({ config: APP, env: values.env });
const consumer = unstable_readConfig({ config: CONSUMER, env: values.env });
checkSameDatabase(app, consumer);
checkQueueNames(app, consumer);
checkSameVars(app, consumer);

if (values["dry-run"]) {
  for (const [config, parsed] of [
    [CONSUMER, consumer],
    [APP, app],
  ]) {
    wrangler(["deploy", "-c", config, ...envArgs, "--dry-run", "--minify", "--outdir", `dist/${parsed.name}`]);
  }
  console.log(`deploy: dry run of ${consumer.name} and ${app.name} (${label}) passed`);
  process.exit(0);
}

console.log(`deploy: ${label}: ${consumer.name} and ${app.name}`);
const queues = [
  ...new Set([...app.queues.producers.map((p) => p.queue), ...consumer.queues.consumers.map((c) => c.queue)]),
];
for (const queue of queues) ensureQueue(queue);

const database = app.d1_databases[0]?.database_name;
const databaseExists = checkDatabase(database);
if (databaseExists) migrate();
deploy(CONSUMER);
if (!databaseExists) migrate();
deploy(APP);
console.log(`deploy: ${label} deployed. Secrets: docs/deploy.md`);

function ensureQueue(name) {
  if (run(["queues", "info", name, ...envArgs], { quiet: true }).status === 0) {
    console.log(`deploy: queue ${name} exists`);
    return;
  }
  const created = run(["queues", "create", name, ...envArgs], { quiet: true });
  const output = `${created.stdout}${created.stderr}`;
  // Tolerated: another deploy created it between the check and now.
  if (created.status !== 0 && !/already (exists|taken)/i.test(output)) fail(`creating queue ${name}`, output);
  console.log(`deploy: queue ${name} created`);
}

/**
 * Whether the database exists. Only wrangler's own "not found" answer means it does not (then the
 * consumer's deploy creates it); any other failure (auth, network, rate limit) stops the deploy
 * before anything is deployed, as ensureQueue does: read as "no database", it would deploy a new
 * consumer before migrating.
 */
function checkDatabase(name) {
  const info = run(["d1", "info", name, "-c", APP, ...envArgs], { quiet: true });
  if (info.status === 0) return true;
  const output = `${info.stdout}${info.stderr}`;
  if (/Couldn't find (a|an auto-provisioned) D1 DB/i.test(output)) return false;
  fail(`wrangler d1 info ${name}`, output);
}

function migrate() {
  wrangler(["d1", "migrations", "apply", "DB", "--remote", "-c", APP, ...envArgs]);
}

function deploy(config) {
  wrangler(["deploy", "-c", config, ...envArgs]);
}

/** Runs wrangler, its output shown; stops the deploy when it fails. */
function wrangler(args) {
  const result = run(args, { quiet: false });
  if (result.status !== 0) fail(`wrangler ${args.join(" ")}`, "");
}

function run(args, { quiet }) {
  // stdin is not passed on: wrangler then never waits on a prompt (it takes its non-interactive
  // defaults: provision by name, apply the migrations) and never writes ids into the configs.
  return spawnSync("wrangler", args, {
    env: wranglerEnv,
    encoding: "utf8",
    stdio: ["ignore", quiet ? "pipe" : "inherit", quiet ? "pipe" : "inherit"],
  });
}

function fail(step, output) {
  console.error(`deploy: failed at ${step}${output ? `:\n${output}` : ""}`);
  process.exit(1);
}

/** Both Workers must bind the same database, or the consumer would read events the app never wrote. */
function checkSameDatabase(a, b) {
  const names = [a, b].map((c) => c.d1_databases.find((d) => d.binding === "DB")?.database_name);
  if (!names[0] || names[0] !== names[1])
    fail("checking the configs", `${APP} and ${CONSUMER} bind different databases (${names.join(", ")})`);
}

/**
 * The consumer dispatches on EVENTS_QUEUE_NAME / DEAD_LETTER_QUEUE_NAME: they must name the queues
 * it consumes, and the app must produce to the events queue, or every batch would fail.
 */
function checkQueueNames(a, b) {
  const events = b.vars.EVENTS_QUEUE_NAME ?? "carrier-events";
  const dead = b.vars.DEAD_LETTER_QUEUE_NAME ?? "carrier-events-dlq";
  const consumed = b.queues.consumers.map((c) => c.queue);
  const problems = [];
  if (!consumed.includes(events)) problems.push(`${CONSUMER} does not consume EVENTS_QUEUE_NAME ${events}`);
  if (!consumed.includes(dead)) problems.push(`${CONSUMER} does not consume DEAD_LETTER_QUEUE_NAME ${dead}`);
  if (b.queues.consumers.find((c) => c.queue === events)?.dead_letter_queue !== dead)
    problems.push(`${events}'s dead_letter_queue is not ${dead}`);
  if (!a.queues.producers.some((p) => p.queue === events)) problems.push(`${APP} does not produce to ${events}`);
  if (problems.length > 0) fail("checking the configs", problems.join("\n"));
}

/** Both Workers read the one Config: a var set differently in the two configs is a mistake. */
function checkSameVars(a, b) {
  const names = [...new Set([...Object.keys(a.vars), ...Object.keys(b.vars)])];
  const differ = names.filter((n) => JSON.stringify(a.vars[n]) !== JSON.stringify(b.vars[n]));
  if (differ.length > 0)
    fail("checking the configs", `${APP} and ${CONSUMER} set different [vars]: ${differ.join(", ")}`);
}
