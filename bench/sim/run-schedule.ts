// One schedule, a function of its seed: setup (destinations created through the operator API),
// a fault phase where the scheduler interleaves webhooks, consumer and dead-letter batches, cron
// runs, operators and configuration changes while injecting faults, then a heal (faults stop,
// configuration restored, paused destinations resumed), quiescence, the invariants; then the
// operator replays what is dead, quiescence again, and the invariants of the end state.
import { createRng, type Rng } from "../../scripts/simulate/rng";
import type { CarrierEvent, CarrierSim } from "../../scripts/simulate/types";
import { CARRIERS } from "../../src/carriers";
import { EVENT_COLUMNS, type EventRow } from "../../src/db/row-to-event";
import { isUndecodable, tryRowToEvent } from "../../src/db/try-decode";
import { OWED_CODES_SQL } from "../../src/delivery/delivery-state";
import { DESTINATIONS_CACHE_MS } from "../../src/destinations/load-destinations";
import { CANONICAL_STATUSES, type NormalizedEvent } from "../../src/events/normalized-event";
import {
  aggregateMatches,
  deadOnlyWhenAccepting,
  deliveredAfter2xx,
  everyEventReached,
  everySendSigned,
  nothingOwed,
  shipmentsNewest,
  snapshot,
  type Violation,
} from "./check-invariants";
import { type FaultRates, NO_FAULTS, type Task } from "./scheduler";
import { FAULT_MODES, type SimDestination } from "./sim-destinations";
import { NO_QUEUE_FAULTS, type QueueFaults } from "./sim-queue";
import { clock } from "./virtual-clock";
import { MAX_CONCURRENCY, type PlannedWebhook, World } from "./world";

export interface RunInput {
  seed: number;
  vars: Record<string, string>;
  settings: Record<string, string>;
}

export interface RunResult {
  seed: number;
  violations: (Violation & { history: string[] })[];
  /** What the schedule did, for the figures. */
  stats: Record<string, number>;
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Virtual start: a fixed instant, so a seed replays the same ids and times. */
export const T0 = Date.UTC(2026, 0, 5, 8, 0, 0);
const DEFAULT_URL = "https://default.sim.example/hook";

/** The schedule's shape, drawn from its seed (some schedules calm, some brutal: swarm testing). */
interface Knobs {
  webhooks: number;
  destinations: number;
  faultMinutes: number;
  d1: FaultRates;
  queue: QueueFaults;
  operator: number;
  drift: boolean;
  destinationFaults: number;
  longOutage: boolean;
}

function knobs(rng: Rng): Knobs {
  return {
    webhooks: rng.int(4, 14),
    destinations: rng.int(1, 3),
    faultMinutes: rng.int(5, 25),
    d1: {
      throwBefore: rng.pick([0, 0.02, 0.05, 0.1]),
      throwAfter: rng.pick([0, 0.02, 0.05, 0.1]),
      kill: rng.pick([0, 0.01, 0.03, 0.06]),
    },
    queue: {
      refuse: rng.pick([0, 0.02, 0.1]),
      duplicate: rng.pick([0, 0.05, 0.2]),
      delay: rng.pick([0, 0.1, 0.3]),
      maxDelaySeconds: rng.pick([60, 600, 1800]),
      redeliverAcked: rng.pick([0, 0, 0.05]),
    },
    operator: rng.pick([0, 0.2, 0.5, 1]),
    drift: rng.chance(0.3),
    destinationFaults: rng.pick([0, 0.2, 0.5]),
    longOutage: rng.chance(0.08),
  };
}

export async function runSchedule(
  input: RunInput,
  db: D1Database,
  sims: Record<string, CarrierSim>,
  deadline: number,
): Promise<RunResult> {
  const rng = createRng(input.seed);
  clock.reset(T0, createRng(input.seed ^ 0x5eed).next);
  const k = knobs(rng);
  const vars: Record<string, string> = { ...input.vars, FORWARD_URL: DEFAULT_URL };
  const w = new World(rng, db, vars, sims, input.settings);
  const { sched, dests } = w;
  const normalized = new Map<string, NormalizedEvent>();
  const stats: Record<string, number> = {};
  const count = (name: string, n = 1) => {
    stats[name] = (stats[name] ?? 0) + n;
  };
  const over = () => performance.now() > deadline;
  pendingRotations.clear();
  awaitingRotations.clear();
  let faulty = true;

  // ---- setup: `default` and the API destinations, no faults ----
  dests.all.push({
    id: "default",
    url: DEFAULT_URL,
    keys: [{ secret: vars.FORWARD_SIGNING_SECRET ?? "" }],
    mode: "ok",
    poison: new Set(),
    createdAt: T0 - DAY,
    filters: [{ at: T0 - DAY, filter: null, confirmed: true }],
  });
  for (let n = 1; n <= k.destinations; n++) await createDestination(w, n, randomFilter(rng), true);

  // The carriers' stories, each sent at a random time of the fault phase; some out of order.
  const sim = (c: string) => sims[c] as CarrierSim;
  const names = Object.keys(sims);
  const events: CarrierEvent[] = [];
  for (let n = 0; events.length < k.webhooks; n++) {
    const story = sim(rng.pick(names)).story(rng, `s${input.seed.toString(36)}`, n, new Date(T0 - 6 * HOUR));
    const take = story.slice(0, rng.int(1, Math.min(4, story.length)));
    if (rng.chance(0.3)) rng.shuffle(take);
    events.push(...take);
  }
  const phaseEnd = T0 + k.faultMinutes * MIN;
  let at = T0;
  for (const event of events.slice(0, k.webhooks)) {
    at = Math.min(phaseEnd - MIN, at + rng.int(0, Math.floor((k.faultMinutes * MIN) / k.webhooks)));
    w.plan.push({ due: at, event, tries: 0, resend: false });
  }

  // ---- the fault phase ----
  sched.rates = k.d1;
  w.events.faults = k.queue;
  w.dlq.faults = { ...k.queue, refuse: 0 };
  let nextCron = Math.ceil((clock.now() + 1) / MIN) * MIN;
  let longOutageDone = !k.longOutage;
  const drift = new Drift(w, rng);

  const ingestDue = () => w.plan.findIndex((p) => p.due <= clock.now());
  const observe = async () => {
    for (const a of w.accepted) {
      if (normalized.has(a.eventId)) continue;
      const row = await db
        .prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = ?1`)
        .bind(a.eventId)
        .first<EventRow>();
      const e = row ? tryRowToEvent(row) : null;
      if (e && !isUndecodable(e)) {
        normalized.set(a.eventId, e);
        // Some events a destination cannot take on their own (a 422), while the faults last.
        if (faulty) for (const d of dests.all) if (rng.chance(k.destinationFaults * 0.2)) d.poison.add(a.eventId);
        if (faulty && rng.chance(0.1))
          w.plan.push({ due: clock.now() + rng.int(1, 120) * 1000, event: a.event, tries: 0, resend: true });
      }
    }
  };

  while (!over()) {
    await sched.settle();
    await observe();
    sched.fireTimers();
    if (clock.now() >= phaseEnd && sched.pending.length === 0) break;
    const acts: [number, () => unknown][] = [];
    if (sched.pending.length > 0) acts.push([12, () => sched.releaseOne()]);
    const due = ingestDue();
    if (due >= 0)
      acts.push([
        3,
        () => {
          w.sendWebhook(w.plan.splice(due, 1)[0] as PlannedWebhook);
          count("webhooks");
        },
      ]);
    if (w.events.visible().length > 0 && sched.running("consumer") < MAX_CONCURRENCY)
      acts.push([3, () => count("batches", w.consume(rng.int(1, 10)) > 0 ? 1 : 0)]);
    if (w.dlq.visible().length > 0 && sched.running("dead-letters") === 0) acts.push([2, () => w.consumeDeadLetters()]);
    if (clock.now() >= nextCron) {
      acts.push([
        3,
        () => {
          w.cron(Math.floor(clock.now() / MIN) * MIN);
          nextCron = Math.floor(clock.now() / MIN) * MIN + MIN;
          count("crons");
        },
      ]);
    }
    acts.push([k.operator, () => operatorAct(w, rng, normalized, count)]);
    acts.push([k.destinationFaults, () => destinationAct(w, rng)]);
    if (k.drift) acts.push([0.15, () => drift.step()]);
    if (!longOutageDone && clock.now() > T0 + (k.faultMinutes * MIN) / 2) {
      acts.push([
        1,
        () => {
          // Every destination down for longer than the retention: the cron runs then with
          // deliveries held past RETENTION_DAYS.
          longOutageDone = true;
          for (const d of dests.all) d.mode = "down";
          const days = Number(vars.RETENTION_DAYS ?? 90) + 1;
          sched.trace(`OUTAGE every destination down for ${days} days`);
          clock.set(clock.now() + days * DAY);
          nextCron = clock.now();
        },
      ]);
    }
    acts.push([
      2,
      () => {
        const quiet = sched.pending.length === 0 && w.events.visible().length === 0 && ingestDue() < 0;
        const next = Math.min(
          nextCron,
          phaseEnd,
          w.events.nextVisibleAt() ?? Infinity,
          w.dlq.nextVisibleAt() ?? Infinity,
          sched.nextTimerAt() ?? Infinity,
          ...w.plan.map((p) => p.due),
        );
        clock.set(quiet ? Math.max(clock.now() + 1000, next) : clock.now() + rng.int(1, 15) * 1000);
      },
    ]);
    pick(rng, acts)();
  }

  // ---- heal: faults stop, configuration and destinations restored ----
  faulty = false;
  sched.rates = NO_FAULTS;
  w.events.faults = NO_QUEUE_FAULTS;
  w.dlq.faults = NO_QUEUE_FAULTS;
  sched.trace("HEAL faults stop; destinations answer 2xx; configuration restored");
  for (const d of dests.all) {
    d.mode = "ok";
    d.poison.clear();
  }
  await drift.restore();
  await healOperator(w);

  const waited = await quiesce(db, w, observe, over, count);
  const violations: Violation[] = [];
  const first = await snapshot(db);
  violations.push(
    ...nothingOwed(first),
    ...deliveredAfter2xx(first, w),
    ...deadOnlyWhenAccepting(first, w),
    ...aggregateMatches(first),
    ...(await shipmentsNewest(db, first)),
  );

  // ---- the operator replays what is dead; then everything owed must have arrived ----
  let cursor: string | undefined;
  const anyDead = first.deliveries.some((d) => d.state === "dead");
  if (anyDead)
    do {
      let next: string | undefined;
      await w.finish(
        w.api("POST", "/api/replay", { state: "dead", ...(cursor ? { cursor } : {}) }, (_s, json) => {
          next = (json as { next_cursor?: string } | null)?.next_cursor ?? undefined;
        }),
      );
      cursor = next;
    } while (cursor);
  if (anyDead) waited.push(...(await quiesce(db, w, observe, over, count)));
  const end = anyDead ? await snapshot(db) : first;
  const seen = new Set(violations.map((v) => `${v.invariant}:${v.eventId}:${v.text}`));
  for (const v of [
    ...everyEventReached(end, w, normalized),
    ...everySendSigned(w),
    ...nothingOwed(end),
    ...deliveredAfter2xx(end, w),
    ...aggregateMatches(end),
  ]) {
    const key = `${v.invariant}:${v.eventId}:${v.text}`;
    if (!seen.has(key)) violations.push(v);
    seen.add(key);
  }
  if (waited.length > 0) {
    const first = waited[0] as { at: number; owed: number };
    const last = waited.at(-1) as { at: number; owed: number };
    violations.push({
      invariant: 3,
      text: `${first.owed} deliveries were still owed 3 quiet hours after the heal, with nothing moving them; the last waited until ${Math.round((last.at - first.at) / HOUR) + 3} h after it`,
    });
  }
  if (over()) violations.push({ invariant: 0, text: "the schedule ran out of time before it quiesced" });
  stats.virtualHours = Math.round((clock.now() - T0) / HOUR);
  stats.accepted = w.accepted.length;
  for (const [status, n] of w.answers) stats[`webhook_${status}`] = n;
  // A carrier's valid request refused (not a 5xx of an injected fault) is the simulation's bug, or
  // the receiver's: either way a violation of "nothing accepted is lost" waiting to happen.
  for (const [status, n] of w.answers)
    if (status >= 400 && status < 500)
      violations.push({ invariant: 0, text: `${n} valid carrier request(s) answered ${status}` });
  stats.sends = dests.sends.length;
  stats.settles = sched.settles;
  stats.quiet_settles = sched.quietSettles;
  stats.real_work = sched.realWork;
  for (const [kind, n] of sched.trips) stats[`trips_${kind}`] = n;
  return {
    seed: input.seed,
    stats,
    violations: violations.map((v) => ({ ...v, history: history(w.sched.log, v.eventId, end) })),
  };
}

function pick(rng: Rng, acts: [number, () => unknown][]): () => unknown {
  const live = acts.filter(([wt]) => wt > 0);
  let r = rng.next() * live.reduce((s, [wt]) => s + wt, 0);
  for (const [wt, act] of live) {
    r -= wt;
    if (r <= 0) return act;
  }
  return (live.at(-1) as [number, () => unknown])[1];
}

function randomFilter(rng: Rng): unknown {
  const r = rng.next();
  if (r < 0.55) return null;
  if (r < 0.8) return { carriers: rng.shuffle([...CARRIERS]).slice(0, rng.int(1, Math.max(1, CARRIERS.length - 1))) };
  return { statuses: rng.shuffle([...CANONICAL_STATUSES]).slice(0, rng.int(2, 6)) };
}

async function createDestination(w: World, n: number, filter: unknown, wait: boolean): Promise<void> {
  const d: SimDestination = {
    id: `?${n}`,
    url: `https://dest-${n}.sim.example/hook`,
    keys: [],
    mode: "ok",
    poison: new Set(),
    createdAt: clock.now(),
    filters: [{ at: clock.now(), filter, confirmed: false }],
  };
  w.dests.all.push(d);
  const task = w.api("POST", "/api/destinations", { name: `sim ${n}`, url: d.url, filter }, (status, json) => {
    const created = json as { id?: string; secret?: string } | null;
    if (status === 201 && created?.id && created.secret) {
      d.id = created.id;
      (d.filters[0] as { confirmed: boolean }).confirmed = true;
      d.keys.push({ secret: created.secret });
    } else d.unknownSecret = true;
  });
  if (wait) await w.finish(task);
}

/** The operator, at random: replays (all, one destination, by state), pause, resume, rotate, delete, filters. */
function operatorAct(
  w: World,
  rng: Rng,
  normalized: Map<string, NormalizedEvent>,
  count: (name: string) => void,
): void {
  const known = w.dests.all.filter((d) => !d.id.startsWith("?") && d.deletedAt === undefined);
  const apiDests = known.filter((d) => d.id !== "default");
  const ids = [...normalized.keys()];
  const since = new Date(0).toISOString();
  const acts: [number, () => void][] = [];
  if (ids.length > 0) {
    // An operator replays what the list shows first as often as anything: the newest events.
    const some = () => (rng.chance(0.5) ? (ids.at(-1) as string) : rng.pick(ids));
    acts.push([3, () => void w.api("POST", `/api/events/${some()}/replay`, undefined)]);
    acts.push([
      4,
      () =>
        void w.api("POST", `/api/events/${some()}/replay`, { destination_id: (rng.pick(known) as SimDestination).id }),
    ]);
  }
  acts.push([1, () => void w.api("POST", "/api/replay", { since })]);
  acts.push([
    2,
    () => void w.api("POST", "/api/replay", { state: rng.pick(["dead", "held", "retrying", "queued", "delivered"]) }),
  ]);
  acts.push([
    2,
    () => void w.api("POST", `/api/destinations/${(rng.pick(known) as SimDestination).id}/replay`, { since }),
  ]);
  acts.push([
    2,
    () => void w.api("PATCH", `/api/destinations/${(rng.pick(known) as SimDestination).id}`, { paused: true }),
  ]);
  acts.push([
    3,
    () => void w.api("PATCH", `/api/destinations/${(rng.pick(known) as SimDestination).id}`, { paused: false }),
  ]);
  if (apiDests.length > 0) {
    acts.push([1.5, () => void rotate(w, rng.pick(apiDests) as SimDestination)]);
    acts.push([
      1,
      () => {
        const d = rng.pick(apiDests) as SimDestination;
        const filter = randomFilter(rng);
        const version = { at: clock.now(), filter, confirmed: false };
        d.filters.push(version);
        void w.api("PATCH", `/api/destinations/${d.id}`, { filter }, (status) => {
          version.confirmed = status === 200;
        });
      },
    ]);
    acts.push([
      0.3,
      () => {
        const d = rng.pick(apiDests) as SimDestination;
        d.deletedAt = clock.now();
        void w.api("DELETE", `/api/destinations/${d.id}`, undefined);
      },
    ]);
  }
  acts.push([0.3, () => void createDestination(w, w.dests.all.length + 1, randomFilter(rng), false)]);
  count("operator");
  pick(rng, acts)();
}

/** A rotation: the destination's receiver takes the new key and keeps the old one 24 hours. */
function rotate(w: World, d: SimDestination): Task {
  awaitingRotations.add(d);
  return w.api("POST", `/api/destinations/${d.id}/rotate-secret`, undefined, (status, json) => {
    awaitingRotations.delete(d);
    const secret = (json as { secret?: string } | null)?.secret;
    if (status === 200 && secret) {
      for (const key of d.keys) key.until ??= clock.now() + DAY;
      d.keys.push({ secret });
      if (d.secretUnknown) d.secretUnknown.until ??= clock.now() + DESTINATIONS_CACHE_MS;
    } else if (status !== 404) {
      // Seed 177: a 503 whose D1 write had committed left a secret nobody saw, 91 days before the heal.
      if (!d.secretUnknown || d.secretUnknown.until !== undefined) d.secretUnknown = { since: clock.now() };
      pendingRotations.add(d);
    }
  });
}
/** Rotations whose answer was lost: the operator rotates again once things work. */
const pendingRotations = new Set<SimDestination>();
/** Rotations asked for and not answered yet: the old key is dropped only after every one. */
const awaitingRotations = new Set<SimDestination>();

/** A destination goes down, refuses, redirects, rate-limits, ... or comes back. */
function destinationAct(w: World, rng: Rng): void {
  const d = rng.pick(w.dests.all) as SimDestination;
  d.mode = d.mode !== "ok" || rng.chance(0.3) ? "ok" : (rng.pick(FAULT_MODES) as SimDestination["mode"]);
  w.sched.trace(`DESTINATION ${d.id} is now ${d.mode}`);
}

/** Configuration drift, and its restoration at the heal. */
class Drift {
  private keyMissing: "app" | "consumer" | null = null;
  private forwardUrlFrom: number | null = null;
  private rotation: 0 | 1 | 2 = 0;
  /** `/health` named no destination sealed under the old value while rotating. */
  private resealed = false;
  private rotatedAt = 0;
  private readonly oldKey: string;
  private readonly newKey = "sim-rotated-destinations-key-0123456789abcdef";

  constructor(
    private readonly w: World,
    private readonly rng: Rng,
  ) {
    this.oldKey = w.vars.app.DESTINATIONS_KEY ?? "";
  }

  private keys(): string {
    return this.rotation === 0 ? this.oldKey : this.rotation === 1 ? `${this.newKey},${this.oldKey}` : this.newKey;
  }

  /** DESTINATIONS_KEY as the history shows it: which keys, never their values. */
  private shown(): string {
    return this.rotation === 0 ? "old key" : this.rotation === 1 ? "new key, old key" : "new key";
  }

  step(): void {
    const r = this.rng.next();
    if (r < 0.35) {
      if (this.keyMissing) {
        this.w.setVar([this.keyMissing], "DESTINATIONS_KEY", this.keys(), this.shown());
        this.keyMissing = null;
      } else {
        this.keyMissing = this.rng.pick(["app", "consumer"] as const);
        this.w.setVar([this.keyMissing], "DESTINATIONS_KEY", undefined);
      }
    } else if (r < 0.7) {
      if (this.forwardUrlFrom === null) {
        this.forwardUrlFrom = clock.now();
        this.w.setVar(["app", "consumer"], "FORWARD_URL", undefined);
      } else this.restoreForwardUrl();
    } else this.rotateKey();
  }

  private restoreForwardUrl(): void {
    if (this.forwardUrlFrom === null) return;
    this.w.forwardUrlUnset.push({ from: this.forwardUrlFrom, to: clock.now() });
    this.forwardUrlFrom = null;
    this.w.setVar(["app", "consumer"], "FORWARD_URL", DEFAULT_URL);
  }

  /**
   * DESTINATIONS_KEY rotated as docs/destinations.md says: `new,old` on both Workers; then, once
   * `/health` (asked while both Workers hold the key) names no destination sealed under an older
   * value (the cron's reseal job has run), the old value dropped. No signing secret is rotated.
   */
  private rotateKey(): void {
    if (this.rotation === 0) {
      this.rotation = 1;
      this.resealed = false;
      this.rotatedAt = clock.now();
      this.w.setVar(["app", "consumer"], "DESTINATIONS_KEY", this.keys(), this.shown());
    } else if (this.rotation === 1 && this.resealed) {
      this.rotation = 2;
      this.w.setVar(["app", "consumer"], "DESTINATIONS_KEY", this.keys(), this.shown());
    } else if (this.rotation === 1 && this.keyMissing === null) {
      void this.w.api("GET", "/health", undefined, (status, json) => {
        // Two minutes on: no isolate's cached destinations (10 s) predate the new value.
        if (status !== 200 || this.keyMissing !== null || this.rotation !== 1) return;
        if (clock.now() - this.rotatedAt < 2 * MIN) return;
        const warnings = JSON.stringify((json as { config_warnings?: unknown } | null)?.config_warnings ?? null);
        if (warnings !== "null" && !warnings.includes("older DESTINATIONS_KEY")) this.resealed = true;
      });
    }
  }

  async restore(): Promise<void> {
    this.restoreForwardUrl();
    if (this.keyMissing) this.w.setVar([this.keyMissing], "DESTINATIONS_KEY", this.keys(), this.shown());
    this.keyMissing = null;
  }
}

/** After the faults: the operator finishes what it could not (lost answers), and resumes every destination. */
async function healOperator(w: World): Promise<void> {
  for (const d of [...pendingRotations]) {
    pendingRotations.delete(d);
    if (d.deletedAt === undefined) await w.finish(rotate(w, d));
  }
  let listed: { id: string; url: string | null }[] = [];
  await w.finish(
    w.api("GET", "/api/destinations", undefined, (_s, json) => {
      listed = ((json as { destinations?: typeof listed } | null)?.destinations ?? []) as typeof listed;
    }),
  );
  for (const l of listed) {
    const d = w.dests.all.find((x) => x.url === l.url);
    if (l.id === "default") continue;
    // Created, but the answer was lost: nobody knows its secret; the operator deletes it.
    if (d?.id.startsWith("?")) {
      d.deletedAt = clock.now();
      d.id = l.id;
    }
    if (d === undefined || d.deletedAt !== undefined)
      await w.finish(w.api("DELETE", `/api/destinations/${l.id}`, undefined));
  }
  for (const d of w.dests.all) {
    if (d.deletedAt === undefined && !d.id.startsWith("?"))
      await w.finish(w.api("PATCH", `/api/destinations/${d.id}`, { paused: false }));
  }
}

/**
 * Runs the system without faults until nothing moves: every parked round trip released, every
 * message delivered, the cron run (each minute while something moves, then less often: a quiet
 * system's cron finds nothing), until it has been quiet for longer than the sweep's stall time.
 */
async function quiesce(
  db: D1Database,
  w: World,
  observe: () => Promise<void>,
  over: () => boolean,
  count: (name: string) => void,
): Promise<{ at: number; owed: number }[]> {
  const { sched } = w;
  const started = clock.now();
  const waits: { at: number; owed: number }[] = [];
  const activity = () => w.events.size() + w.dlq.size() + w.dests.sends.length * 1000 + w.plan.length;
  let lastActivity = activity();
  let quietSince = clock.now();
  let step = MIN;
  let nextCron = Math.floor(clock.now() / MIN) * MIN + MIN;
  while (!over()) {
    await sched.settle();
    await observe();
    if (sched.releaseOne() || sched.fireTimers()) continue;
    const due = w.plan.findIndex((p) => p.due <= clock.now());
    if (due >= 0) {
      w.sendWebhook(w.plan.splice(due, 1)[0] as PlannedWebhook);
      continue;
    }
    if (w.events.visible().length > 0 && sched.running("consumer") < MAX_CONCURRENCY) {
      if (w.consume(100) > 0) count("batches");
      continue;
    }
    if (w.dlq.visible().length > 0 && sched.running("dead-letters") === 0) {
      w.consumeDeadLetters();
      continue;
    }
    if (sched.tasks.size > 0) {
      const t = sched.nextTimerAt();
      if (t === undefined) {
        // Waiting on nothing that can ever resolve: reported, and treated as dead invocations.
        count("stuck");
        sched.abandon();
      } else clock.set(Math.max(clock.now(), t));
      continue;
    }
    const a = activity();
    if (a !== lastActivity) {
      lastActivity = a;
      quietSince = clock.now();
      step = MIN;
    }
    if (clock.now() >= nextCron) {
      w.cron(Math.floor(clock.now() / MIN) * MIN);
      count("crons");
      nextCron = clock.now() + step;
      // A quiet system's cron finds nothing: run it less often (1, 4, 16 minutes, then hourly).
      step = Math.min(step * 4, HOUR);
      continue;
    }
    const idle = w.events.size() === 0 && w.dlq.size() === 0 && w.plan.length === 0;
    if (idle && clock.now() - quietSince > 3 * HOUR) {
      // Quiet, but D1 may still owe deliveries that only time can free (a signing key that
      // signs again after its 24-hour overlap, a long Retry-After): wait up to a day for them,
      // and say how long they waited.
      const owed = await owedDeliveries(db);
      if (owed === 0 || clock.now() - started > DAY + HOUR) return waits;
      waits.push({ at: clock.now(), owed });
      sched.trace(`QUIET ${owed} deliveries still owed, nothing moving: waiting on`);
      quietSince = clock.now() - 2 * HOUR;
    }
    clock.set(
      Math.max(
        clock.now() + 1,
        Math.min(
          nextCron,
          w.events.nextVisibleAt() ?? Infinity,
          w.dlq.nextVisibleAt() ?? Infinity,
          ...w.plan.map((p) => p.due),
        ),
      ),
    );
  }
  return waits;
}

/** Deliveries D1 still owes (queued, retrying, held). */
async function owedDeliveries(db: D1Database): Promise<number> {
  const row = await db
    .prepare(`SELECT count(*) AS n FROM deliveries WHERE state IN ${OWED_CODES_SQL}`)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** The lines of the schedule's log about one event, with the batches and faults that touched it. */
function history(
  log: readonly string[],
  eventId: string | undefined,
  end: Awaited<ReturnType<typeof snapshot>>,
): string[] {
  if (eventId === undefined)
    return log.filter((l) => / (FAULT|CONFIG|OP|HEAL|OUTAGE|DESTINATION|QUIET) /.test(l)).slice(-40);
  const tasks = new Set<string>();
  for (const l of log) {
    const m = /((?:consumer|dead-letters)#\d+) takes .*/.exec(l);
    if (m && l.includes(eventId)) tasks.add(m[1] as string);
  }
  const lines = log.filter(
    (l) =>
      l.includes(eventId) ||
      [...tasks].some((t) => new RegExp(`${t}(?!\\d)`).test(l)) ||
      / (CONFIG|OP|HEAL|OUTAGE|DESTINATION|QUIET) /.test(l),
  );
  const e = end.events.get(eventId);
  const ds = end.deliveries.filter((d) => d.eventId === eventId);
  return [
    ...lines.slice(-150),
    `D1 now: event ${e ? `${e.state}, seen ${e.seen}` : "gone"}; deliveries: ${ds.map((d) => `${d.dest} ${d.state} gen ${d.gen} attempts ${d.attempts}`).join("; ") || "none"}`,
  ];
}
