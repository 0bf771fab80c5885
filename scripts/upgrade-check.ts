// `npm run upgrade-check -- <git-ref> [--port 9300] [--rate 10] [--warmup 20] [--dwell 30] [--drain 180] [--seed N] [--refuse-first 0.1] [--keep] [--log workers.log]`
//
// Upgrades a running deployment of release <ref> to this checkout, locally, while webhooks keep
// coming, and checks nothing accepted was lost or sent twice (docs/deploy.md, "Upgrades"):
//   1. checks <ref> out into a temporary git worktree (its own packages: this checkout's
//      node_modules when the lockfiles match, else `npm ci` there);
//   2. starts that release's two Workers in one `wrangler dev` on a persisted local D1, with a
//      local sink as FORWARD_URL and, where the release has the destinations API, two more
//      destinations (one unfiltered, one for the exception statuses) created through it;
//   3. sends the simulator's signed webhooks of every sender the release knows, steadily;
//   4. replays `npm run deploy`'s steps in the order scripts/deploy.mjs takes them (read from the
//      script itself, scripts/upgrade-check/deploy-steps.ts): "migrate" applies this checkout's
//      migrations to the same D1 while the Workers run and take traffic; "deploy X" replaces
//      that Worker with this checkout's;
//   5. stops sending, lets the queue drain, and checks every accepted event against every sink
//      (each records the `webhook-id`s it answered 2xx) and D1: delivered once to every
//      destination that matched it, nothing left owing. Exit 1 on a loss, a duplicate no
//      documented at-least-once case explains, or a delivery still owed.
//
// Local wrangler keeps queue messages in memory, so replacing a Worker here means restarting the
// one `wrangler dev` that runs both, which drops the messages then in the queue (Cloudflare's
// queue keeps them across a deploy). To keep that artefact out of the figures, sending pauses
// for the swap, the queue gets up to 20 s to drain, and after the restart the cron sweep runs as
// an hour later, which re-sends every event the consumer never saw (what production's sweep does
// once they have waited its grace time).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { OWES_DELIVERY_SQL } from "../src/delivery/delivery-state";
import { type Receiver, startReceiver, TEST_VARS, writeRunConfigs } from "../test/e2e/start-receiver";
import { checklist } from "./lib/checks";
import { type LocalD1, openLocalD1 } from "./lib/local-d1";
import { assertPortFree } from "./lib/port-free";
import { sleep, waitFor } from "./lib/wait-for";
import { buildPlan } from "./simulate/plan";
import { settingsFromVars } from "./simulate/secrets";
import { SIM_NAMES } from "./simulate/sims";
import { type Sink, startSink } from "./sink/start-sink";
import { checkoutRelease } from "./upgrade-check/checkout-release";
import { type DeployStep, deploySteps, describeStep } from "./upgrade-check/deploy-steps";
import { startSteadySender } from "./upgrade-check/steady-sender";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: "string", default: "9300" },
    rate: { type: "string", default: "10" },
    "refuse-first": { type: "string", default: "0.1" },
    warmup: { type: "string", default: "20" },
    dwell: { type: "string", default: "30" },
    drain: { type: "string", default: "180" },
    seed: { type: "string", default: "20261205" },
    keep: { type: "boolean", default: false },
    log: { type: "string" },
  },
});
const ref = positionals[0];
if (!ref) {
  console.error("usage: npm run upgrade-check -- <git-ref> [--port 9300] [--rate 10] [--dwell 30]");
  process.exit(2);
}
const port = Number(values.port);
const rate = Number(values.rate);
const warmup = Number(values.warmup);
const dwell = Number(values.dwell);
const refuseShare = Number(values["refuse-first"]);
const ADMIN = { authorization: `Bearer ${TEST_VARS.ADMIN_TOKEN}`, "content-type": "application/json" };
const EXCEPTION_STATUSES = ["delivery_failed", "delivery_delayed", "return_to_sender", "on_hold"];
const log = (line: string) => console.log(`upgrade-check: ${line}`);
const t0 = Date.now();
const clock = () => `${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s`;

for (let p = port; p <= port + 4; p++) await assertPortFree(p);
const steps = deploySteps();
log(`deploy order (scripts/deploy.mjs): ${steps.map(describeStep).join(", then ")}`);
const release = checkoutRelease(ref);
log(`from ${release.commit.slice(0, 7)} "${release.subject}" (packages: ${release.packages}) to this checkout`);

const CONFIGS = {
  old: { app: join(release.dir, "wrangler.toml"), consumer: join(release.dir, "wrangler.consumer.toml") },
  new: { app: resolve("wrangler.toml"), consumer: resolve("wrangler.consumer.toml") },
};
const running: Record<"app" | "consumer", "old" | "new"> = { app: "old", consumer: "old" };
const phaseName = () => `${running.app} app + ${running.consumer} consumer${migrated ? ", new schema" : ""}`;
let migrated = false;
const persistTo = mkdtempSync(join(tmpdir(), "parcelhook-upgrade-d1-"));
const restarts: number[] = [];
const outputs: string[] = [];
const sinks: { name: string; destination: string; sink: Sink; expectedSql: string }[] = [];
let receiver: Receiver | undefined;
let exit = 1;

async function start(): Promise<Receiver> {
  return startReceiver({
    port,
    inspectorPort: port + 1,
    configs: [CONFIGS[running.app].app, CONFIGS[running.consumer].consumer],
    persistTo,
    vars: { FORWARD_URL: sinks[0]?.sink.url ?? "", FORWARD_RETRY_BASE_SECONDS: "1" },
    timeoutMs: 120_000,
  });
}

/** The cron, as production runs it every minute; `later` runs it as that much later. */
async function cron(laterMs = 0): Promise<void> {
  if (!receiver) return;
  await fetch(`${receiver.url}/cdn-cgi/handler/scheduled?time=${Date.now() + laterMs}`).catch(() => {});
}

function owed(d1: LocalD1): { events: number; deliveries: number } {
  const events = d1.one<{ n: number }>(`SELECT count(*) AS n FROM events WHERE state IN ${OWES_DELIVERY_SQL}`)?.n ?? 0;
  const hasDeliveries = d1.one("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'deliveries'");
  const deliveries = hasDeliveries
    ? (d1.one<{ n: number }>("SELECT count(*) AS n FROM deliveries WHERE state IN (1, 2, 3)")?.n ?? 0)
    : 0;
  return { events, deliveries };
}

/**
 * A destination that answers 503 to the first send of a share of the events (picked by a hash of
 * the id) and 2xx to the rest: every such event needs a retry, so an event whose retry a release
 * step strands is missing at the sink, not only wrong in D1.
 */
function refuseFirstSend(share: number) {
  const seen = new Set<string>();
  return (event: Record<string, unknown> | null) => {
    const id = typeof event?.id === "string" ? event.id : "";
    if (seen.has(id)) return false;
    seen.add(id);
    let h = 2166136261;
    for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
    return (h >>> 0) / 2 ** 32 < share;
  };
}

/** An event's forward attempts to one destination as D1 recorded them (this checkout's schema). */
function attemptsOf(d1: LocalD1, eventId: string, destination: string) {
  try {
    return d1
      .all<{ http_status: number | null; error: string | null }>(
        `SELECT a.http_status, a.error FROM event_attempts a JOIN events e ON e.seq = a.event_seq
         WHERE e.id = ? AND a.kind = 'forward' AND a.destination_no = (SELECT no FROM destinations WHERE id = ?)
         ORDER BY a.id`,
        eventId,
        destination,
      )
      .map((a) => ({ ...a, ok: a.http_status !== null && a.http_status >= 200 && a.http_status < 300 }));
  } catch {
    return [];
  }
}

/** Creates a destination through the running release's operator API; false when it has none. */
async function createDestination(name: string, sinkPort: number, filter: object | null): Promise<boolean> {
  const url = `http://127.0.0.1:${sinkPort}/sink`;
  const res = await fetch(`${receiver?.url}/api/destinations`, {
    method: "POST",
    headers: ADMIN,
    body: JSON.stringify(filter ? { name, url, filter } : { name, url }),
  });
  if (res.status === 404 || res.status === 405) return false;
  const body = (await res.json()) as { id?: string; secret?: string };
  if (res.status !== 201 || !body.secret) throw new Error(`creating destination ${name}: ${res.status}`);
  const sink = await startSink({ port: sinkPort, signingSecret: body.secret });
  sink.refuseWhen(refuseFirstSend(refuseShare), 503);
  const where = filter ? `WHERE status IN (${EXCEPTION_STATUSES.map((s) => `'${s}'`).join(", ")})` : "";
  sinks.push({
    name: `${name} (${body.id})`,
    destination: body.id ?? "",
    sink,
    expectedSql: `SELECT id FROM events ${where}`,
  });
  return true;
}

/** `wrangler d1 migrations apply --local` of this checkout's migrations, on the running Workers' D1. */
function migrate(): string {
  const dir = mkdtempSync(join(tmpdir(), "parcelhook-upgrade-migrate-"));
  try {
    const [config] = writeRunConfigs(dir, [CONFIGS.new.app], {});
    const started = Date.now();
    const run = spawnSync(
      join(process.cwd(), "node_modules", ".bin", "wrangler"),
      ["d1", "migrations", "apply", "DB", "--local", "-c", config as string, "--persist-to", persistTo],
      {
        encoding: "utf8",
        env: {
          ...process.env,
          WRANGLER_SEND_METRICS: "false",
          WRANGLER_SEND_ERROR_REPORTS: "false",
          CLOUDFLARE_CF_FETCH_ENABLED: "false",
          NO_COLOR: "1",
        },
      },
    );
    if (run.status !== 0) throw new Error(`migrations failed: ${run.stderr || run.stdout}`);
    const applied = [...new Set([...run.stdout.matchAll(/(\d{4}_[\w.-]+\.sql)\s*│\s*✅/g)].map((m) => m[1]))];
    return `${applied.length ? applied.join(", ") : "none pending"} in ${((Date.now() - started) / 1000).toFixed(1)} s`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function replace(worker: "app" | "consumer", d1: LocalD1, pause: () => void, resume: () => void) {
  pause();
  const drained = await waitFor(() => owed(d1).events === 0, 20_000, 500);
  log(
    `${clock()}  sending paused; queue ${drained ? "drained" : `not drained in 20 s (${owed(d1).events} events owed)`}`,
  );
  outputs.push(receiver?.output() ?? "");
  await receiver?.stop();
  restarts.push(Date.now());
  running[worker] = "new";
  receiver = await start();
  await cron(3_600_000);
  resume();
  log(`${clock()}  ${phaseName()}: running, sweep run as an hour later, sending again`);
}

const guard = setTimeout(
  () => {
    console.error("upgrade-check: time budget exceeded, stopping");
    void receiver?.stop().finally(() => process.exit(2));
  },
  (warmup + 4 * dwell + Number(values.drain) + 600) * 1000,
);

try {
  const defaultSink = await startSink({ port: port + 2, signingSecret: TEST_VARS.FORWARD_SIGNING_SECRET as string });
  defaultSink.refuseWhen(refuseFirstSend(refuseShare), 503);
  sinks.push({
    name: "default (FORWARD_URL)",
    destination: "default",
    sink: defaultSink,
    expectedSql: "SELECT id FROM events",
  });
  receiver = await start();
  log(`${clock()}  ${phaseName()}: running on ${receiver.url}`);
  if (await createDestination("erp", port + 3, null)) {
    await createDestination("exceptions", port + 4, { statuses: EXCEPTION_STATUSES });
    log(`${clock()}  created 2 destinations through the release's operator API; waiting 11 s for its config cache`);
    await sleep(11_000);
  } else log("the release has no destinations API: FORWARD_URL is its one destination");
  const d1 = openLocalD1(persistTo);

  const carriers = SIM_NAMES.filter((c) => existsSync(join(release.dir, "src", "carriers", c)));
  const seconds = warmup + (steps.length + 1) * dwell + 60;
  const plan = buildPlan({
    count: Math.ceil(rate * seconds * 1.2),
    settings: settingsFromVars(TEST_VARS),
    seed: Number(values.seed),
    carriers,
  });
  log(`sending ${rate}/s from ${carriers.length} senders (${carriers.join(", ")}), 10% exact retries`);
  const sender = startSteadySender(receiver.url, plan.deliveries, { rate, concurrency: 8, phase: phaseName });
  const cronTimer = setInterval(() => void cron(), 60_000);
  await sleep(warmup * 1000);

  for (const step of steps) {
    log(`${clock()}  ${describeStep(step)}`);
    if (step.kind === "migrate") {
      const what = migrate();
      migrated = true;
      log(`${clock()}  applied ${what} while the ${running.app} app and ${running.consumer} consumer ran`);
    } else
      await replace(
        (step as Extract<DeployStep, { kind: "deploy" }>).worker,
        d1,
        () => sender.pause(),
        () => sender.resume(),
      );
    await sleep(dwell * 1000);
  }

  const { unanswered } = await sender.stop();
  log(`${clock()}  sending stopped: ${sender.sent()} requests, ${sender.accepted.size} events accepted`);
  const drainStart = Date.now();
  let lastSweep = Date.now();
  let last = { owed: -1, since: Date.now() };
  const drained = await waitFor(
    async () => {
      const o = owed(d1);
      const now = o.events + o.deliveries;
      if (now === 0) return true;
      if (now !== last.owed) last = { owed: now, since: Date.now() };
      // Unchanged through two sweeps: nothing is coming for them.
      if (Date.now() - last.since > 75_000) return true;
      if (Date.now() - lastSweep > 30_000) {
        lastSweep = Date.now();
        await cron(3_600_000);
      }
      return false;
    },
    Number(values.drain) * 1000,
    1000,
  );
  await sleep(3000); // room for a late second forward
  clearInterval(cronTimer);
  const stillOwed = owed(d1);
  log(
    `${clock()}  ${stillOwed.events + stillOwed.deliveries === 0 ? "drained" : `NOT drained (${stillOwed.events} events, ${stillOwed.deliveries} deliveries owed${drained ? ", unchanged for 75 s" : ""})`} ${((Date.now() - drainStart) / 1000).toFixed(0)} s after the last answer`,
  );
  outputs.push(receiver.output());
  if (values.log) writeFileSync(values.log, outputs.join("\n"));

  const list = checklist();
  const stored = new Set(d1.all<{ id: string }>("SELECT id FROM events").map((r) => r.id));
  const notStored = [...sender.accepted.keys()].filter((id) => !stored.has(id));
  list.info(`answers: ${JSON.stringify(Object.fromEntries(sender.answers))} (0 = no answer, sent again)`);
  list.check("every request answered in the end", unanswered === 0, `${unanswered} unanswered`);
  list.check(
    "every accepted event stored",
    notStored.length === 0,
    `${notStored.length} of ${sender.accepted.size} not in D1`,
  );
  const byPhase = (ids: string[]) => {
    const counts: Record<string, number> = {};
    for (const id of ids) {
      const phase = sender.accepted.get(id)?.phase ?? "not answered 200";
      counts[phase] = (counts[phase] ?? 0) + 1;
    }
    return JSON.stringify(counts);
  };
  list.info(`accepted by phase: ${byPhase([...sender.accepted.keys()])}`);
  let lost = 0;
  let unexplained = 0;
  for (const { name, destination, sink, expectedSql } of sinks) {
    const expected = new Set(d1.all<{ id: string }>(expectedSql).map((r) => r.id));
    const ok = sink.acceptedById();
    const missing = [...expected].filter((id) => !ok.has(id));
    const twice = [...ok].filter(([, n]) => n > 1).map(([id]) => id);
    const sendTimes = (id: string) =>
      sink.received.filter((r) => r.webhookId === id && r.status < 300).map((r) => r.at);
    // The documented at-least-once cases: a forward whose outcome was never written (round trip 2
    // failed, or the invocation ended: here, a Worker restart between the two sends; docs/consumer.md),
    // and a send the consumer recorded as failed that the destination did get (no answer within
    // FORWARD_TIMEOUT_MS, then retried; docs/interface.md).
    const straddles = (id: string) => {
      const times = sendTimes(id);
      return restarts.some((t) => t > Math.min(...times) && t < Math.max(...times));
    };
    // Only a send with no answer: the destination may have got it. A 503 it answered explains nothing.
    const failedAttempts = (id: string) => attemptsOf(d1, id, destination).filter((a) => a.http_status === null);
    const isExplained = (id: string) => straddles(id) || failedAttempts(id).length > 0;
    const explained = twice.filter(isExplained);
    for (const id of twice.filter((i) => !isExplained(i)).slice(0, 3))
      list.info(
        `unexplained: ${id} (accepted in "${sender.accepted.get(id)?.phase}") sent at ${sendTimes(id)
          .map((t) => `${((t - t0) / 1000).toFixed(1)} s`)
          .join(", ")}; D1 attempts: ${JSON.stringify(attemptsOf(d1, id, destination))}`,
      );
    const mostSends = Math.max(0, ...[...ok.values()]);
    const refused = sink.received.filter((r) => r.status === 503).length;
    if (refused > 0) list.info(`${name}: ${refused} first sends answered 503 (--refuse-first), each owed a retry`);
    const foreign = [...ok.keys()].filter((id) => !expected.has(id));
    const bad = sink.received.filter((r) => !r.signatureValid).length;
    lost += missing.length;
    unexplained += twice.length - explained.length;
    list.check(
      `${name}: every matching event delivered`,
      missing.length === 0,
      `${expected.size} expected, ${ok.size} delivered, ${missing.length} lost${missing.length ? ` by phase accepted ${byPhase(missing)}` : ""}`,
    );
    list.check(
      `${name}: none delivered twice (but the documented at-least-once cases)`,
      twice.length === explained.length,
      `${twice.length} sent more than once (up to ${mostSends} times): ${explained.length} at-least-once (${explained.filter(straddles).length} across a restart, ${explained.filter((id) => !straddles(id)).length} after a send D1 recorded as unanswered), ${twice.length - explained.length} unexplained${twice.length > explained.length ? ` by phase accepted ${byPhase(twice.filter((id) => !isExplained(id)))}` : ""}`,
    );
    list.check(
      `${name}: only its own events, every send signed`,
      foreign.length === 0 && bad === 0,
      `${foreign.length} not its own, ${bad} bad signatures`,
    );
  }
  const left = owed(d1);
  const owedIds = d1.all<{ id: string; seen: number; deliveries: number }>(
    `SELECT id, seen_at IS NOT NULL AS seen,
            (SELECT count(*) FROM deliveries d WHERE d.event_seq = e.seq AND d.state IN (1, 2, 3)) AS deliveries
     FROM events e WHERE state IN ${OWES_DELIVERY_SQL}`,
  );
  // Seen by a consumer and no delivery owed: no queue message, sweep or catch-up will move it again.
  const stranded = owedIds.filter((r) => r.seen && r.deliveries === 0);
  list.check(
    "no delivery left owing",
    left.events + left.deliveries === 0,
    `${left.events} events, ${left.deliveries} deliveries owed; ${stranded.length} events seen with no delivery owed (stranded)` +
      `${owedIds.length ? `, by phase accepted ${byPhase(owedIds.map((r) => r.id))}` : ""}`,
  );
  const errors = outputs
    .join("\n")
    // biome-ignore lint/suspicious/noControlCharactersInRegex: wrangler's colours
    .replace(/\x1b\[[0-9;]*m/g, "")
    .split("\n")
    .filter((l) => /D1_ERROR|SQLITE_ERROR|no such (column|table)|has no column/i.test(l));
  const kinds = new Map<string, number>();
  for (const line of errors) {
    const field = (name: string) => new RegExp(`"${name}":"([^"]*)"`).exec(line)?.[1];
    const kind = (field("error") ? [field("msg"), field("step"), field("error")].filter(Boolean).join(" ") : line)
      .replace(/evt_\w+/g, "evt_…")
      .trim()
      .slice(0, 200);
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  list.info(
    `D1 errors in the Workers' logs: ${errors.length}${[...kinds].map(([k, n]) => `\n        ${n} × ${k}`).join("")}`,
  );
  console.log(
    `upgrade-check ${release.commit.slice(0, 7)} -> this checkout: ${sender.accepted.size} accepted, ${lost} lost, ` +
      `${unexplained} unexplained duplicates, ${left.events + left.deliveries} owed; ${sinks.length} destinations; ` +
      `${((Date.now() - t0) / 1000).toFixed(0)} s`,
  );
  d1.close();
  exit = list.failed.length === 0 ? 0 : 1;
  console.log(exit === 0 ? "upgrade-check: passed" : `upgrade-check: FAILED: ${list.failed.join("; ")}`);
} catch (err) {
  console.error("upgrade-check: aborted:", err);
  console.error(receiver?.output().slice(-3000));
} finally {
  clearTimeout(guard);
  await receiver?.stop();
  for (const { sink } of sinks) await sink.stop();
  rmSync(persistTo, { recursive: true, force: true });
  if (values.keep) log(`kept ${release.dir}`);
  else release.remove();
}
process.exit(exit);
