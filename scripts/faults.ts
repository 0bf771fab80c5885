// `npm run faults`: scripted fault scenarios against the real receiver, both Workers in one
// `wrangler dev`, wrapped by bench/fault-worker.ts and bench/fault-consumer-worker.ts
// (fault-injecting entries that are never deployed), with a local sink as FORWARD_URL. Each scenario prints what it injected and what it found; exit code 1 on any failure.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import * as v from "valibot";
import { findCarrier } from "../src/carriers";
import type { AnyCarrier } from "../src/carriers/kit";
import { sealSecret } from "../src/destinations/secret-box";
import { type Receiver, type StartOptions, startReceiver, TEST_VARS } from "../test/e2e/start-receiver";
import { checklist } from "./lib/checks";
import { shipmentMismatches } from "./lib/d1-checks";
import { type LocalD1, openLocalD1 } from "./lib/local-d1";
import { assertPortFree } from "./lib/port-free";
import { sleep, waitFor } from "./lib/wait-for";
import { buildPlan } from "./simulate/plan";
import { createRng } from "./simulate/rng";
import { settingsFromVars } from "./simulate/secrets";
import { type SendResult, sendAll } from "./simulate/send";
import { SIM_NAMES, SIMS } from "./simulate/sims";
import type { Delivery } from "./simulate/types";
import { startSink } from "./sink/start-sink";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8870" },
    only: { type: "string" },
    events: { type: "string", default: "24" },
  },
});
const port = Number(values.port);
const K = Number(values.events);
const ADMIN = { authorization: `Bearer ${TEST_VARS.ADMIN_TOKEN}`, "content-type": "application/json" };
const list = checklist();

for (const p of [port, port + 2, port + 3, port + 4]) await assertPortFree(p);
const sink = await startSink({ port: port + 2, signingSecret: TEST_VARS.FORWARD_SIGNING_SECRET as string });
/** A second destination's system (created per scenario through the harness, signed with its own key). */
const DESTINATION_SECRET = "whsec_dGVzdC1kZXN0aW5hdGlvbi1zaWduaW5nLWtleS0zMmI=";
const sinkB = await startSink({ port: port + 3, signingSecret: DESTINATION_SECRET });
/** ALERT_URL: records the alerts. */
const alerts = await startSink({ port: port + 4, signingSecret: TEST_VARS.FORWARD_SIGNING_SECRET as string });
const APP_CONFIG = "bench/wrangler.faults.toml";
const CONSUMER_CONFIG = "bench/wrangler.faults-consumer.toml";
const persistTo = mkdtempSync(join(tmpdir(), "parcelhook-faults-"));
const start = (configs: string[]) =>
  startReceiver({
    port,
    configs,
    persistTo,
    vars: { FORWARD_URL: sink.url, FORWARD_RETRY_BASE_SECONDS: "1", ALERT_URL: alerts.url },
    timeoutMs: 60_000,
  } satisfies StartOptions);
let receiver: Receiver = await start([APP_CONFIG, CONSUMER_CONFIG]);
const d1 = openLocalD1(persistTo);
const guard = setTimeout(() => {
  console.error("faults: time budget exceeded, stopping");
  void receiver.stop().finally(() => process.exit(2));
}, 900_000);

let seed = 7000;
/** K distinct deliveries over all four carriers, no retries. */
function deliveries(): Delivery[] {
  return buildPlan({ count: K, settings: settingsFromVars(TEST_VARS), seed: seed++, retryShare: 0 }).deliveries;
}
const send = (ds: Delivery[], concurrency = 8) => sendAll(receiver.url, ds, { concurrency });
const inject = (f: Record<string, unknown>) =>
  fetch(`${receiver.url}/__faults`, { method: "POST", body: JSON.stringify(f) }).then(
    (r) => r.json() as Promise<{ injected: { consumerDeaths: number; pausedMessages: number } }>,
  );
const ids = (rs: SendResult[]) => rs.filter((r) => r.status === 200 && r.eventId).map((r) => r.eventId as string);
const count = (table: string) => d1.one<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)?.n ?? 0;
const states = (db: LocalD1, eventIds: string[]) => {
  const rows = db.all<{ id: string; state: string }>(
    `SELECT id, state FROM events WHERE id IN (${eventIds.map(() => "?").join(",")})`,
    ...eventIds,
  );
  const out: Record<string, number> = {};
  for (const r of rows) out[r.state] = (out[r.state] ?? 0) + 1;
  return out;
};
const allIn = (eventIds: string[], state: string) => (states(d1, eventIds)[state] ?? 0) === eventIds.length;
/** Successful forwards per event among `eventIds`: [delivered once, more than once, never]. */
function sinkCounts(eventIds: string[]): { once: number; twice: number; never: number } {
  const ok = sink.acceptedById();
  let once = 0;
  let twice = 0;
  let never = 0;
  for (const id of eventIds) {
    const n = ok.get(id) ?? 0;
    if (n === 1) once++;
    else if (n > 1) twice++;
    else never++;
  }
  return { once, twice, never };
}
const codes = (rs: SendResult[]) => {
  const c: Record<string, number> = {};
  for (const r of rs) c[`${r.status} ${r.outcome}`] = (c[`${r.status} ${r.outcome}`] ?? 0) + 1;
  return JSON.stringify(c);
};
const sweep = (at = Date.now()) => fetch(`${receiver.url}/cdn-cgi/handler/scheduled?time=${at}`).then((r) => r.text());

const sweepAt = (msFromNow: number) =>
  fetch(`${receiver.url}/cdn-cgi/handler/scheduled?time=${Date.now() + msFromNow}`).then((r) => r.text());
const deadAttempts = (eventIds: string[]) =>
  d1.one<{ n: number }>(
    `SELECT count(*) AS n FROM event_attempts WHERE kind = 'dead' AND event_seq IN (SELECT seq FROM events WHERE id IN (${eventIds.map(() => "?").join(",")}))`,
    ...eventIds,
  )?.n ?? 0;

/** The downstream down for longer than the whole retry budget: held, then caught up by the cron. */
async function sinkDownPastRetryBudget(): Promise<void> {
  const ds = deliveries();
  sink.setMode("down");
  console.log(`injected: the sink answers 503 to everything; sent ${ds.length} deliveries`);
  const accepted = ids(await send(ds));
  const held = await waitFor(() => allIn(accepted, "held"), 60_000);
  list.check("the outage's events are held, not retried", held, JSON.stringify(states(d1, accepted)));
  // The faults config retries 3 times from a 1 s base: its whole budget is about 7 s.
  await sleep(12_000);
  await sweep();
  await sleep(2000);
  list.check(
    "past the whole retry budget and a cron probe while down: still held, none dead",
    allIn(accepted, "held") && deadAttempts(accepted) === 0,
    JSON.stringify(states(d1, accepted)),
  );
  sink.setMode("ok");
  console.log("recovered: the sink answers 204 again; the cron runs each minute (a probe, then the catch-up)");
  const done = await cronUntil(() => allIn(accepted, "delivered"), 90_000);
  const s = sinkCounts(accepted);
  list.check(
    "caught up without an operator: each delivered exactly once, none dead",
    done && s.once === accepted.length && deadAttempts(accepted) === 0,
    JSON.stringify(s),
  );
}

/** Events the downstream refuses one by one while it accepts others: dead letters, then a replay. */
async function sinkRefusesSome(): Promise<void> {
  const ds = deliveries();
  // One carrier's events are refused (one the plan does send: the last delivery's), the others' taken.
  const carrier = (ds.at(-1)?.carrier ?? SIM_NAMES[SIM_NAMES.length - 1]) as string;
  sink.refuseWhen((event) => event?.carrier === carrier);
  console.log(
    `injected: the sink answers 422 to every ${carrier} event, 204 to the rest; sent ${ds.length} deliveries`,
  );
  const accepted = ids(await send(ds));
  const refused = d1
    .all<{ id: string }>(
      `SELECT id FROM events WHERE carrier = ? AND id IN (${accepted.map(() => "?").join(",")})`,
      carrier,
      ...accepted,
    )
    .map((r) => r.id);
  const others = accepted.filter((id) => !refused.includes(id));
  const dead = await waitFor(() => refused.length > 0 && allIn(refused, "dead"), 120_000, 1000);
  list.check(
    "each refused event reached the dead-letter queue and is marked dead (the downstream was up)",
    dead && deadAttempts(refused) === refused.length,
    JSON.stringify(states(d1, refused)),
  );
  const s = sinkCounts(others);
  list.check(
    "the others delivered exactly once",
    allIn(others, "delivered") && s.once === others.length,
    JSON.stringify(s),
  );
  sink.refuseWhen(null);
  console.log('recovered: the sink accepts them; the operator replays: POST /api/replay {"state":"dead"}');
  const res = await fetch(`${receiver.url}/api/replay`, {
    method: "POST",
    headers: ADMIN,
    body: JSON.stringify({ state: "dead" }),
  });
  const body = (await res.json()) as { replayed?: number };
  list.check(
    "replay answered 202 with the count",
    res.status === 202 && body.replayed === refused.length,
    `${res.status} ${JSON.stringify(body)}`,
  );
  const done = await waitFor(() => allIn(refused, "delivered"), 60_000);
  const r = sinkCounts(refused);
  list.check("replay delivered each exactly once, same event id", done && r.once === refused.length, JSON.stringify(r));
}

/** A healthy downstream that takes 2 s per answer, 100 events queued at once, the real 15 s timeout. */
async function slowSinkHundredAtOnce(): Promise<void> {
  const ds = buildPlan({ count: 100, settings: settingsFromVars(TEST_VARS), seed: seed++, retryShare: 0 }).deliveries;
  sink.setDelay(2000);
  console.log(`injected: the sink answers after 2 s; sent ${ds.length} deliveries at once`);
  const accepted = ids(await send(ds, ds.length));
  const done = await waitFor(() => allIn(accepted, "delivered"), 180_000, 1000);
  sink.setDelay(0);
  const failed = d1.one<{ n: number }>(
    `SELECT count(*) AS n FROM event_attempts WHERE kind = 'forward' AND error IS NOT NULL AND event_seq IN (SELECT seq FROM events WHERE id IN (${accepted.map(() => "?").join(",")}))`,
    ...accepted,
  )?.n;
  const s = sinkCounts(accepted);
  list.check(
    "each delivered exactly once, no timeout (or any failure) recorded",
    done && failed === 0 && s.once === accepted.length,
    `${JSON.stringify(s)}, ${failed} failed attempts, at most ${sink.maxInFlight()} requests at the sink at once`,
  );
}

/**
 * A 140 KB UTF-8 event (a carrier's failure reason of 70,000 × "ą"): accepted, queued, forwarded
 * whole. The event is any simulated one whose normalized `reason` is a string of its payload: that
 * string is replaced, the body signed again as its carrier signs, and the normalizer asked first.
 */
async function bigUtf8Event(): Promise<void> {
  const settings = settingsFromVars(TEST_VARS);
  const plan = buildPlan({ count: 400, settings, seed: seed++, retryShare: 0 });
  const reason = "ą".repeat(70_000);
  const big = plan.deliveries.flatMap((d) => {
    const carrier = findCarrier(d.carrier);
    const sim = SIMS[d.carrier];
    if (!carrier || !sim || !d.event) return [];
    const was = normalizedReason(carrier, d.event.payload);
    if (!was) return [];
    const payload = replaceString(d.event.payload, was, reason);
    if (normalizedReason(carrier, payload) !== reason) return [];
    const body = JSON.stringify(payload);
    return [{ ...d, ...sim.sign(body, settings, createRng(1)), body }];
  })[0];
  if (!big) throw new Error("no simulated event carries its reason as a payload string");
  console.log(`sent: one ${big.carrier} delivery of ${Buffer.byteLength(big.body)} bytes (its reason: 70,000 × "ą")`);
  const [result] = await sendAll(receiver.url, [big], { concurrency: 1 });
  const accepted = result ? ids([result]) : [];
  list.check("answered 200 accepted", accepted.length === 1, result ? `${result.status} ${result.outcome}` : "none");
  const done = await waitFor(() => allIn(accepted, "delivered"), 60_000);
  const got = sink.received.find((r) => r.webhookId === accepted[0] && r.status < 300);
  list.check(
    "forwarded whole: the downstream got all 70,000 characters",
    done && got?.event?.reason === reason && got.signatureValid,
    `delivered: ${done}, reason length ${String(got?.event?.reason ?? "").length}`,
  );
}

function normalizedReason(carrier: AnyCarrier, payload: unknown): string | null {
  const parsed = v.safeParse(carrier.schema, payload);
  return parsed.success ? carrier.normalize(parsed.output).reason : null;
}

/** A copy of a JSON value with every string equal to `from` replaced by `to`. */
function replaceString(value: unknown, from: string, to: string): unknown {
  if (value === from) return to;
  if (Array.isArray(value)) return value.map((x) => replaceString(x, from, to));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, replaceString(x, from, to)]));
  }
  return value;
}

/** The consumer paused while the cron sweep keeps running: the queue is not flooded. */
async function pausedConsumerSweep(): Promise<void> {
  const ds = deliveries();
  await inject({ consumerPaused: true });
  console.log(`injected: the consumer is paused (its messages wait); sent ${ds.length} deliveries`);
  const accepted = ids(await send(ds));
  const count = async () => (await inject({})).injected.pausedMessages;
  const start = await count();
  await waitFor(async () => (await count()) >= start, 10_000);
  await sleep(3000);
  const queuedByReceiver = await count();
  // The cron every few minutes for an hour (scheduled time moved forward).
  for (let minute = 3; minute <= 60; minute += 3) await sweepAt(minute * 60_000);
  await sleep(3000);
  const extra = (await count()) - queuedByReceiver;
  // Each unseen event may be re-sent with a doubling wait (after 5, 10, 20, 40 min): 4 in an hour.
  list.check(
    "twenty cron runs over an hour add at most 4 messages per waiting event, not one per run",
    extra <= 4 * accepted.length,
    `${queuedByReceiver} messages before the sweeps, ${extra} added by them for ${accepted.length} events`,
  );
  const swept = d1.one<{ n: number }>(
    `SELECT count(swept_at) AS n FROM events WHERE id IN (${accepted.map(() => "?").join(",")})`,
    ...accepted,
  )?.n;
  list.check("the sweep did run on them (the scheduled time moved on)", (swept ?? 0) > 0, `${swept} swept`);
  await inject({ consumerPaused: false });
  console.log("recovered: the consumer resumes and finds every waiting message");
  const done = await waitFor(() => allIn(accepted, "delivered"), 90_000);
  const s = sinkCounts(accepted);
  list.check("each delivered exactly once", done && s.once === accepted.length, JSON.stringify(s));
}

/** Runs the cron as every minute passes (scheduled time moved on a minute each call) until `check`. */
let cronMinute = 0;
async function cronUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  return waitFor(
    async () => {
      if (check()) return true;
      cronMinute += 1;
      await sweepAt(cronMinute * 60_000);
      return check();
    },
    timeoutMs,
    2000,
  );
}

/** SQL through the fault harness (test setup: rows the destinations API would write). */
async function setupSql(sql: string, ...params: unknown[]): Promise<Record<string, unknown>[]> {
  const res = await fetch(`${receiver.url}/__sql`, { method: "POST", body: JSON.stringify({ sql, params }) });
  if (!res.ok) throw new Error(`setup SQL failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { results: Record<string, unknown>[] }).results;
}

/**
 * A destination `name` at sinkB, as the destinations API would create it (until that API is merged
 * into this branch); the consumer's cached configuration sees it within 10 s.
 */
async function createDestination(name: string, filter: Record<string, string[]> | null = null): Promise<number> {
  const at = new Date().toISOString();
  const id = `dst_${name}_${Date.now()}`;
  const [row] = await setupSql(
    `INSERT INTO destinations (id, name, url, filter, secret, created_at, updated_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) RETURNING no`,
    id,
    name,
    sinkB.url,
    filter ? JSON.stringify(filter) : null,
    await sealSecret([TEST_VARS.DESTINATIONS_KEY as string], id, DESTINATION_SECRET),
    at,
  );
  await sleep(11_000);
  return row?.no as number;
}
async function deleteDestination(no: number): Promise<void> {
  await setupSql("UPDATE destinations SET deleted_at = ?2 WHERE no = ?1", no, new Date().toISOString());
}

/** Deliveries of `eventIds` to destination `no`, by state. */
function deliveryStates(no: number, eventIds: string[]): Record<string, number> {
  const names = ["", "queued", "retrying", "held", "delivered", "dead", "dropped"];
  const rows = d1.all<{ state: number; n: number }>(
    `SELECT d.state, count(*) AS n FROM deliveries d JOIN events e ON e.seq = d.event_seq
     WHERE d.destination_no = ? AND e.id IN (${eventIds.map(() => "?").join(",")}) GROUP BY d.state`,
    no,
    ...eventIds,
  );
  return Object.fromEntries(rows.map((r) => [names[r.state] ?? r.state, r.n]));
}
/** Deliveries of these events still owed to anyone (queued, retrying, held). */
const owing = (eventIds: string[]) =>
  d1.one<{ n: number }>(
    `SELECT count(*) AS n FROM deliveries d JOIN events e ON e.seq = d.event_seq
     WHERE d.state IN (1, 2, 3) AND e.id IN (${eventIds.map(() => "?").join(",")})`,
    ...eventIds,
  )?.n ?? 0;
/** Successful forwards per event at a sink: [once, more than once, never]. */
function countsAt(at: typeof sink, eventIds: string[]) {
  const ok = at.acceptedById();
  const out = { once: 0, twice: 0, never: 0 };
  for (const id of eventIds) {
    const n = ok.get(id) ?? 0;
    if (n === 1) out.once++;
    else if (n > 1) out.twice++;
    else out.never++;
  }
  return out;
}

/** Two destinations, one down past the whole retry budget while the other keeps receiving; then it is back. */
async function twoDestinationsOneDown(): Promise<void> {
  const b = await createDestination("analytics");
  sinkB.setMode("down");
  const ds = deliveries();
  console.log(`injected: destination analytics (sink B) answers 503; default is fine; sent ${ds.length} deliveries`);
  const t0 = Date.now();
  const accepted = ids(await send(ds));
  const onTime = await waitFor(() => countsAt(sink, accepted).once === accepted.length, 30_000);
  list.check(
    "default receives every event on time, once, while analytics is down",
    onTime,
    `${JSON.stringify(countsAt(sink, accepted))} in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  const held = await waitFor(() => (deliveryStates(b, accepted).held ?? 0) === accepted.length, 60_000);
  list.check("analytics' deliveries are held, not retried", held, JSON.stringify(deliveryStates(b, accepted)));
  await sleep(12_000);
  await sweep();
  await sleep(2000);
  list.check(
    "past the whole retry budget and a cron probe while down: still held, none dead",
    (deliveryStates(b, accepted).held ?? 0) === accepted.length && deadAttempts(accepted) === 0,
    JSON.stringify(deliveryStates(b, accepted)),
  );
  sinkB.setMode("ok");
  console.log("recovered: analytics answers 204 again; the cron runs each minute");
  const done = await cronUntil(() => (deliveryStates(b, accepted).delivered ?? 0) === accepted.length, 120_000);
  const atB = countsAt(sinkB, accepted);
  const badSignatures = sinkB.received.filter((r) => accepted.includes(r.webhookId) && !r.signatureValid).length;
  list.check(
    "caught up without an operator: analytics got each exactly once, signed with its own key",
    done && atB.once === accepted.length && badSignatures === 0,
    `${JSON.stringify(atB)}, ${badSignatures} bad signatures`,
  );
  list.check(
    "default still got each exactly once; nothing owing",
    countsAt(sink, accepted).once === accepted.length && owing(accepted) === 0 && allIn(accepted, "delivered"),
    `${JSON.stringify(countsAt(sink, accepted))}, ${owing(accepted)} owing`,
  );
  await deleteDestination(b);
}

/** A destination that answers 401 to everything (a rotated key): held and alerted, not dead. */
async function destinationRefusing(): Promise<void> {
  const b = await createDestination("crm");
  sinkB.setMode("unauthorized");
  const ds = deliveries();
  console.log(`injected: destination crm (sink B) answers 401 to everything; sent ${ds.length} deliveries`);
  const accepted = ids(await send(ds));
  const held = await waitFor(() => (deliveryStates(b, accepted).held ?? 0) === accepted.length, 60_000);
  const health = () =>
    d1.one<{ health: string; last_failure_status: number }>(
      "SELECT health, last_failure_status FROM destinations WHERE no = ?",
      b,
    );
  list.check(
    "crm is refusing, its deliveries held, none dead",
    held && health()?.health === "refusing" && deadAttempts(accepted) === 0,
    `${JSON.stringify(health())} ${JSON.stringify(deliveryStates(b, accepted))}`,
  );
  await sleep(10_000);
  await sweep();
  const alerted = await waitFor(() => alerts.received.some((r) => r.event?.alert === "destination_refusing"), 15_000);
  const alert = alerts.received.find((r) => r.event?.alert === "destination_refusing")?.event;
  list.check(
    "destination_refusing alerted, naming crm and 401",
    alerted &&
      String((alert?.details as { destination?: string })?.destination).startsWith("dst_crm") &&
      (alert?.details as { status?: number })?.status === 401,
    JSON.stringify(alert ?? null).slice(0, 300),
  );
  list.check(
    "default got each exactly once meanwhile",
    countsAt(sink, accepted).once === accepted.length,
    JSON.stringify(countsAt(sink, accepted)),
  );
  sinkB.setMode("ok");
  console.log("recovered: crm's key is fixed (it answers 204); the cron runs each minute");
  const done = await cronUntil(() => (deliveryStates(b, accepted).delivered ?? 0) === accepted.length, 120_000);
  list.check(
    "crm caught up: each exactly once, nothing owing, none dead",
    done && countsAt(sinkB, accepted).once === accepted.length && owing(accepted) === 0 && deadAttempts(accepted) === 0,
    `${JSON.stringify(countsAt(sinkB, accepted))}, ${owing(accepted)} owing`,
  );
  await deleteDestination(b);
}

/** One event the destination always answers 503, in low traffic: dead after its budget, not looping. */
async function poisonEvent(): Promise<void> {
  const [poison, ...others] = deliveries();
  if (!poison) throw new Error("no deliveries");
  const [first] = await send([poison]);
  const poisonId = first?.eventId as string;
  sink.refuseWhen((event) => event?.id === poisonId, 503);
  console.log("injected: the sink answers 503 to one event, 204 to the rest; others arrive every 1.5 s");
  const accepted: string[] = [];
  for (const d of others.slice(0, 12)) {
    accepted.push(...ids(await send([d])));
    await sleep(1500);
    await sweepAt(++cronMinute * 60_000);
  }
  const dead = await cronUntil(() => allIn([poisonId], "dead"), 60_000);
  const tries = () =>
    d1.one<{ n: number }>(
      "SELECT count(*) AS n FROM event_attempts WHERE kind = 'forward' AND event_seq = (SELECT seq FROM events WHERE id = ?)",
      poisonId,
    )?.n ?? 0;
  const atDeath = tries();
  list.check(
    "the poison event is dead after its budget",
    dead,
    `${atDeath} forward attempts, ${JSON.stringify(states(d1, [poisonId]))}`,
  );
  for (let i = 0; i < 5; i++) {
    await sweepAt(++cronMinute * 60_000);
    await sleep(1000);
  }
  list.check("not looping: no attempt after it went dead", tries() === atDeath, `${tries()} attempts now`);
  const done = await waitFor(() => allIn(accepted, "delivered"), 30_000);
  list.check(
    "the others delivered exactly once; nothing owing",
    done && countsAt(sink, accepted).once === accepted.length && owing([...accepted, poisonId]) === 0,
    JSON.stringify(countsAt(sink, accepted)),
  );
  sink.refuseWhen(null);
}

/** A destination deleted while its deliveries are held: nothing more is sent there, nothing owing. */
async function destinationDeletedWhileHeld(): Promise<void> {
  const b = await createDestination("legacy");
  sinkB.setMode("down");
  const ds = deliveries();
  console.log(`injected: destination legacy (sink B) answers 503; sent ${ds.length} deliveries`);
  const accepted = ids(await send(ds));
  const held = await waitFor(() => (deliveryStates(b, accepted).held ?? 0) === accepted.length, 60_000);
  list.check("legacy's deliveries are held", held, JSON.stringify(deliveryStates(b, accepted)));
  await deleteDestination(b);
  sinkB.setMode("ok");
  const before = sinkB.received.length;
  console.log("the operator deletes legacy; it answers 204 again; the cron runs for a few minutes");
  for (let i = 0; i < 4; i++) {
    await sweepAt(++cronMinute * 60_000);
    await sleep(1500);
  }
  list.check("nothing more sent to legacy", sinkB.received.length === before, `${sinkB.received.length - before} sent`);
  list.check(
    "its deliveries dropped, nothing owing, every event delivered to default once",
    (deliveryStates(b, accepted).dropped ?? 0) === accepted.length &&
      owing(accepted) === 0 &&
      allIn(accepted, "delivered") &&
      countsAt(sink, accepted).once === accepted.length,
    `${JSON.stringify(deliveryStates(b, accepted))} ${JSON.stringify(states(d1, accepted))}`,
  );
}

/** An operator's replay while the event's last retry is on its way to the dead-letter queue. */
async function replayRacesDeadLetter(): Promise<void> {
  const [one] = deliveries();
  if (!one) throw new Error("no deliveries");
  const [first] = await send([one]);
  const id = first?.eventId as string;
  sink.refuseWhen((event) => event?.id === id);
  console.log("injected: the sink answers 422 to one event until its last retry; then the operator replays it");
  const tries = () =>
    d1.one<{ n: number }>(
      "SELECT count(*) AS n FROM event_attempts WHERE kind = 'forward' AND event_seq = (SELECT seq FROM events WHERE id = ?)",
      id,
    )?.n ?? 0;
  // The faults config retries 3 times: the 4th failed forward sends the message to the dead-letter queue.
  await waitFor(() => tries() >= 4, 30_000, 50);
  sink.refuseWhen(null);
  const res = await fetch(`${receiver.url}/api/events/${id}/replay`, { method: "POST", headers: ADMIN });
  const replayedAt = Date.now();
  const done = await cronUntil(() => allIn([id], "delivered") && owing([id]) === 0, 60_000);
  await sleep(4000);
  const deadAt = d1.one<{ at: number }>(
    "SELECT attempted_at AS at FROM event_attempts WHERE kind = 'dead' AND event_seq = (SELECT seq FROM events WHERE id = ?)",
    id,
  )?.at;
  const order =
    deadAt === undefined
      ? "no dead letter was marked (older generation ignored)"
      : deadAt > replayedAt // Unix ms (migrations/0011)
        ? "dead letter after the replay"
        : "dead letter before the replay";
  list.check(
    "the replay wins: delivered exactly once, not dead, nothing owing",
    res.status === 202 && done && allIn([id], "delivered") && countsAt(sink, [id]).once === 1 && owing([id]) === 0,
    `${order}; ${JSON.stringify(states(d1, [id]))}, ${JSON.stringify(countsAt(sink, [id]))}`,
  );
}

const scenarios: Record<string, () => Promise<void>> = {
  async "d1-hot-path"() {
    const ds = deliveries();
    const before = { events: count("events"), quarantine: count("quarantine") };
    await inject({ d1: true });
    console.log(`injected: D1 throws on every query of the webhook path; sent ${ds.length} valid deliveries`);
    const failed = await send(ds);
    await inject({ d1: false });
    const after = { events: count("events"), quarantine: count("quarantine") };
    list.check(
      "every delivery answered 503 storage_unavailable",
      failed.every((r) => r.status === 503 && r.outcome === "storage_unavailable"),
      codes(failed),
    );
    list.check(
      "nothing half-stored",
      after.events === before.events && after.quarantine === before.quarantine,
      `events ${before.events} -> ${after.events}, quarantine ${before.quarantine} -> ${after.quarantine}`,
    );
    console.log("recovered: D1 works again; the carriers retry the same deliveries");
    const retried = await send(ds);
    const accepted = ids(retried);
    list.check(
      "each retry accepted (not a duplicate: nothing was stored before)",
      retried.every((r) => r.status === 200 && r.outcome === "accepted"),
      codes(retried),
    );
    await waitFor(() => allIn(accepted, "delivered"), 60_000);
    const s = sinkCounts(accepted);
    list.check("each forwarded exactly once", s.once === accepted.length, JSON.stringify(s));
  },

  async "queue-refuses"() {
    const ds = deliveries();
    await inject({ queue: true });
    console.log(`injected: the queue refuses every send on the webhook path; sent ${ds.length} deliveries`);
    const rs = await send(ds);
    await inject({ queue: false });
    const accepted = ids(rs);
    list.check("every delivery answered 200 accepted", accepted.length === ds.length, codes(rs));
    await sleep(3000);
    const flagged = d1.one<{ n: number }>(
      `SELECT count(*) AS n FROM events WHERE enqueue_failed_at IS NOT NULL AND seen_at IS NULL AND id IN (${accepted.map(() => "?").join(",")})`,
      ...accepted,
    )?.n;
    list.check(
      "each stored, flagged for the sweep, not forwarded",
      flagged === accepted.length && sinkCounts(accepted).never === accepted.length,
      `${flagged} flagged`,
    );
    console.log("recovered: the queue works again; the cron sweep runs (GET /cdn-cgi/handler/scheduled)");
    await sweep();
    const done = await waitFor(() => allIn(accepted, "delivered"), 60_000);
    const s = sinkCounts(accepted);
    list.check(
      "the sweep queued them: each forwarded exactly once",
      done && s.once === accepted.length,
      JSON.stringify(s),
    );
    await sweep();
    await sleep(3000);
    list.check(
      "a second sweep sends nothing again",
      sinkCounts(accepted).once === accepted.length,
      JSON.stringify(sinkCounts(accepted)),
    );
  },

  "sink-down-past-retry-budget": sinkDownPastRetryBudget,
  "sink-refuses-some": sinkRefusesSome,
  "slow-sink-100-at-once": slowSinkHundredAtOnce,
  "big-utf8-event": bigUtf8Event,
  "paused-consumer-sweep": pausedConsumerSweep,
  "two-destinations-one-down": twoDestinationsOneDown,
  "destination-refusing": destinationRefusing,
  "poison-event": poisonEvent,
  "destination-deleted-while-held": destinationDeletedWhileHeld,
  "replay-races-dead-letter": replayRacesDeadLetter,

  async "consumer-dies"() {
    const ds = deliveries();
    const { injected: before } = await inject({ consumerDeaths: 1 });
    console.log(
      `injected: the next carrier-events batch dies after handling its first half; sent ${ds.length} deliveries at once`,
    );
    const accepted = ids(await send(ds, ds.length));
    const died = await waitFor(async () => (await inject({})).injected.consumerDeaths > before.consumerDeaths, 30_000);
    await inject({ consumerDeaths: 0 });
    const done = await waitFor(() => allIn(accepted, "delivered"), 60_000);
    await sleep(2000);
    const s = sinkCounts(accepted);
    const forwards = d1.all<{ n: number }>(
      `SELECT count(*) AS n FROM event_attempts WHERE kind = 'forward' AND event_seq IN (SELECT seq FROM events WHERE id IN (${accepted.map(() => "?").join(",")})) GROUP BY event_seq`,
      ...accepted,
    );
    list.check("a batch died mid-way", died);
    list.check(
      "after redelivery every event delivered, each forwarded exactly once",
      done && s.once === accepted.length,
      JSON.stringify(s),
    );
    list.check(
      "one forward attempt recorded per event (nothing applied twice)",
      forwards.length === accepted.length && forwards.every((f) => f.n === 1),
      `${forwards.filter((f) => f.n > 1).length} events with more than one`,
    );
    const wrong = shipmentMismatches(d1);
    list.check("every shipment's status is its newest event's", wrong.length === 0, `${wrong.length} wrong`);
  },

  async "consumer-down"() {
    const ds = deliveries();
    await receiver.stop();
    receiver = await start([APP_CONFIG]);
    console.log(`injected: the consumer Worker is stopped (the Hono app runs alone); sent ${ds.length} deliveries`);
    const rs = await send(ds);
    const accepted = ids(rs);
    list.check("every delivery answered 200 accepted without the consumer", accepted.length === ds.length, codes(rs));
    await sleep(3000);
    list.check(
      "each stored, owing its delivery, none forwarded",
      (states(d1, accepted).queued ?? 0) === accepted.length && sinkCounts(accepted).never === accepted.length,
      JSON.stringify(states(d1, accepted)),
    );
    await receiver.stop();
    receiver = await start([APP_CONFIG, CONSUMER_CONFIG]);
    // Local queues live in wrangler's memory, so the messages sent while the consumer was away
    // went with the restart (Cloudflare's queue would keep them for the consumer). The cron sweep
    // re-sends what the consumer never saw once it has waited its grace time (minutes): run it as
    // an hour later.
    console.log("recovered: the consumer Worker runs again; the cron sweep runs (as an hour later)");
    await sweep(Date.now() + 3_600_000);
    const done = await waitFor(() => allIn(accepted, "delivered"), 60_000);
    await sleep(2000);
    const s = sinkCounts(accepted);
    list.check("each delivered, exactly once", done && s.once === accepted.length, JSON.stringify(s));
  },
};

try {
  let n = 0;
  for (const [name, run] of Object.entries(scenarios)) {
    if (values.only && !values.only.split(",").includes(name)) continue;
    console.log(`\n== ${++n}. ${name}`);
    const t0 = Date.now();
    await run();
    console.log(`   (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
} catch (err) {
  list.check("scenario ran to the end", false, String(err));
  console.error(receiver.output().slice(-3000));
} finally {
  if (process.env.FAULTS_LOG) (await import("node:fs")).writeFileSync(process.env.FAULTS_LOG, receiver.output());
  clearTimeout(guard);
  d1.close();
  await receiver.stop();
  await sink.stop();
  await sinkB.stop();
  await alerts.stop();
  rmSync(persistTo, { recursive: true, force: true });
}
console.log(list.failed.length === 0 ? "\nfaults: all checks passed" : `\nfaults: FAILED: ${list.failed.join("; ")}`);
process.exit(list.failed.length === 0 ? 0 : 1);
