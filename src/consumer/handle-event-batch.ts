import { readConfig } from "../config";
import { closeBatch } from "../delivery/db/close-batch";
import {
  type DestinationFault,
  type DestinationHealth,
  FAULT_TEXT,
  type HealthReport,
} from "../delivery/db/destination-health";
import { openBatch, type StoredEvent } from "../delivery/db/open-batch";
import type { Settled, SettleTransition } from "../delivery/db/settle";
import {
  destinationSignal,
  type ForwardResult,
  healthOf,
  nextStreaks,
  RETRY_BUDGET,
  retryAfterSeconds,
  type Streaks,
} from "../delivery/hold-policy";
import {
  type Destination,
  destinationsCached,
  forgetDestinations,
  loadDestinations,
  matchesFilter,
  webhookSigner,
} from "../destinations";
import { errorText } from "../errors/error-text";
import { destinationOf, generationOf } from "../events/to-queue-message";
import { upsertShipments } from "./db/upsert-shipments";
import { ackGroup, claims, type EventGroup, groupByEvent, retryAll, retryGroup } from "./event-groups";
import { type ForwardJob, forwardFairly } from "./forward-all";
import { type ForwardOutcome, type ForwardTarget, forwardEvent } from "./forward-event";
import { retryDelay } from "./retry-delay";
import { shipmentUpdates } from "./shipment-updates";

/** One delivery this batch acts on. */
interface Work {
  group: EventGroup;
  stored: StoredEvent;
  no: number;
  gen: number;
  /** Attempts before this batch. */
  attempts: number;
  probe: boolean;
}

/**
 * The `carrier-events` consumer. Per event, the deliveries its messages are for: every
 * destination it matches (the receiver's message, a replay to all), or one (the catch-up, a stall
 * re-send, a replay to one). At most three D1 round trips per batch whatever its size and the
 * number of destinations (the destinations' configuration, cached per isolate; openBatch;
 * closeBatch), at most 6 forwards in flight spread fairly across destinations, and a message is
 * acked only once D1 has the outcome of every delivery it is for. `fetcher` is the runtime's
 * fetch; a test passes a stand-in for the destinations.
 */
export async function handleEventBatch(batch: MessageBatch<unknown>, env: Env, fetcher?: typeof fetch): Promise<void> {
  const config = readConfig(env);
  const delay = (attempts: number) => retryDelay(attempts, config.retryBaseSeconds);
  const groups = groupByEvent(batch.messages);
  if (groups.size === 0) return;

  let destinations: Destination[];
  let opened: Awaited<ReturnType<typeof openBatch>>;
  try {
    const cached = destinationsCached(env);
    destinations = await loadDestinations(env);
    const probes = [...groups.values()].flatMap((g) =>
      g.messages.flatMap((m) => {
        const no = destinationOf(m.body);
        return m.body.p === 1 && no !== null ? [{ id: g.id, no, gen: generationOf(m.body) }] : [];
      }),
    );
    opened = await openBatch(env.DB, [...groups.keys()], new Date().toISOString(), probes);
    // Match against the destinations as D1 holds them now: one created after this isolate cached
    // the configuration (round trip 1 lists it, the copy does not) means reading it again, the
    // batch's third round trip (the first when it was cached).
    if (cached && missingLive(destinations, opened.health)) {
      forgetDestinations(env);
      destinations = await loadDestinations(env);
    }
  } catch (err) {
    logD1Failure("open", err, groups);
    for (const g of groups.values()) retryAll(g, delay);
    return;
  }
  const active = new Map(destinations.map((d) => [d.no, d]));
  // Created between the configuration's read and round trip 1 (only when it was not cached): first
  // sight waits a few seconds rather than miss it.
  const unsure = missingLive(destinations, opened.health);
  const row1 = opened.health.get(1);
  // `default` while this consumer has no FORWARD_URL: forwarding is off only when the Hono app
  // has none either (its cron says so on default's row); otherwise (drift, or not said yet) the
  // event still matches default and its delivery is held until FORWARD_URL is back.
  const forwardingOff = config.forwardUrl === null && row1?.app_forward_url === false;
  const matchable = [
    ...(config.forwardUrl === null && !forwardingOff && row1 !== undefined
      ? [{ no: 1, id: row1.id, name: "default", url: "", filter: null, paused: row1.paused, secrets: [] }]
      : []),
    ...destinations,
  ];

  const matched: { seq: number; no: number; gen: number }[] = [];
  const unknownDestination = new Set<EventGroup>();
  const seen: number[] = [];
  const work: Work[] = [];
  const touched = new Set<number>();
  const shipments: ReturnType<typeof shipmentUpdates> = [];
  for (const g of groups.values()) {
    const stored = opened.events.get(g.id);
    const broken = opened.undecodable.get(g.id);
    if (broken !== undefined) {
      // A stored row this consumer cannot decode (say a newer receiver's format, before this
      // Worker is replaced): logged with why and acked, so it costs the rest of the batch nothing,
      // but left unseen (`seen_at` NULL, `queued`), so the sweep re-sends it with its growing
      // wait and `delivery_stalled` fires while it waits; a consumer that can decode it forwards it.
      console.error(JSON.stringify({ msg: "consumer_event_undecodable", event_id: g.id, error: broken }));
      ackGroup(g);
      continue;
    }
    if (stored === undefined) {
      // Cannot happen in normal operation (D1 is written before the queue); after a D1 restore it
      // could. Nothing to forward (the message holds only the id): logged, acked.
      console.error(JSON.stringify({ msg: "consumer_event_not_in_d1", event_id: g.id }));
      ackGroup(g);
      continue;
    }
    const claimed = new Map<number, Work>();
    if (unsure && stored.firstSight && g.messages.some((m) => destinationOf(m.body) === null)) {
      unknownDestination.add(g);
      continue;
    }
    // Only a message naming every destination (the receiver's, the sweep's, a replay to all)
    // decides first sight; a replay to one destination of an unseen event leaves it unseen, so
    // the receiver's own message still matches the others.
    const sees = stored.firstSight && g.messages.some((m) => destinationOf(m.body) === null);
    for (const msg of g.messages) {
      const only = destinationOf(msg.body);
      const gen = generationOf(msg.body);
      if (only === null && sees) {
        // First sight (or a replay to every destination): a delivery per destination it matches.
        for (const d of matchable) {
          if (stored.deliveries.has(d.no) || !matchesFilter(stored.event, d.filter)) continue;
          matched.push({ seq: stored.seq, no: d.no, gen });
          stored.deliveries.set(d.no, { state: "queued", attempts: 0, gen });
        }
      }
      for (const [no, delivery] of stored.deliveries) {
        if (claimed.has(no) || !claims(msg, no, delivery.gen)) continue;
        const probe = msg.body.p === 1 && only === no;
        // A probe's delivery is `queued` once its probe took it (round trip 1).
        const wanted = delivery.state === "queued" || delivery.state === "retrying";
        if (wanted) claimed.set(no, { group: g, stored, no, gen: delivery.gen, attempts: delivery.attempts, probe });
      }
    }
    if (sees) {
      seen.push(stored.seq);
      touched.add(stored.seq);
      shipments.push(...shipmentUpdates(stored.event));
    }
    if (claimed.size === 0) {
      if (!sees) console.log(JSON.stringify({ msg: "consumer_stale_message", event_id: g.id }));
    }
    for (const w of claimed.values()) {
      work.push(w);
      touched.add(stored.seq);
    }
  }

  // What each delivery comes to. Deliveries not sent are decided now; the rest by their forward.
  const settled: Partial<Record<SettleTransition, Settled[]>> = {};
  const outcomeOf = new Map<Work, SettleTransition>();
  const decide = (w: Work, name: SettleTransition, attempts: number) => {
    settled[name] = [...(settled[name] ?? []), { seq: w.stored.seq, no: w.no, gen: w.gen, attempts }];
    outcomeOf.set(w, name);
  };
  const streaks = new Map<number, Streaks>();
  const reports = new Map<number, HealthReport>();
  const healthRow = (no: number): DestinationHealth | undefined => opened.health.get(no);
  const jobs: (ForwardJob<{ w: Work; outcome: ForwardOutcome }> & { w: Work })[] = [];
  // A fault of the whole destination: nothing can be sent there, whatever the event. Held with no
  // attempt spent (a probe fails without one), and the destination is refusing with the reason.
  const faulted = (w: Work, fault: DestinationFault, error: string) => {
    decide(w, w.probe ? "probe-failed" : "destination-fault", 0);
    const r = reports.get(w.no) ?? emptyReport(w.no);
    reports.set(w.no, Object.assign(r, { fault, failure_at: new Date().toISOString(), failure_status: null }));
    r.failure_error = error;
  };
  for (const w of work) {
    const dest = active.get(w.no);
    const row = healthRow(w.no);
    // A deleted destination gets nothing more; the catch-up drops what it was owed.
    if (row === undefined || row.deleted) continue;
    if (w.no === 1 && config.forwardUrl === null) {
      if (forwardingOff) {
        decide(w, "no-forward-url", 0);
        // Nothing is owed there any more: a fault recorded meanwhile (drift) is over.
        if (row.fault !== null || row.health !== "up") reports.set(1, { ...emptyReport(1), reset: true });
      } else if (row.paused) decide(w, "paused", 0);
      else faulted(w, "no_forward_url", FAULT_TEXT.no_forward_url);
      continue;
    }
    if (dest === undefined) {
      unknownDestination.add(w.group);
      continue;
    }
    if (dest.paused || row.paused) {
      decide(w, "paused", 0);
      continue;
    }
    const signer = webhookSigner(
      dest.secrets,
      dest.no === 1 ? "FORWARD_SIGNING_SECRET" : `the signing secret of destination ${dest.id}`,
    );
    if ("error" in signer) {
      faulted(w, "no_signing_key", `${signer.error}: ${FAULT_TEXT.no_signing_key}`);
      continue;
    }
    if (!streaks.has(w.no))
      streaks.set(w.no, { failures: row.failures, refusals: row.refusals, refusedSeq: row.refused_seq });
    if (row.health !== "up" && !w.probe) {
      decide(w, row.health === "refusing" ? "refusing" : "outage", 0);
      continue;
    }
    const target: ForwardTarget = { url: dest.url, signer, timeoutMs: config.timeoutMs, fetch: fetcher };
    jobs.push({ w, destination: w.no, run: async () => ({ w, outcome: await forwardEvent(w.stored.event, target) }) });
  }

  const forwards: (ForwardOutcome & { destinationNo: number })[] = [];
  const finished: { w: Work; outcome: ForwardOutcome }[] = [];
  const heldBeforeSend = new Set<Work>();
  // A probe is sent whatever the streak says (that is what it is for, and it is alone for its
  // destination); everything else stops as soon as its destination's streak crosses a threshold,
  // within the batch, so an outage costs at most a threshold's worth of requests.
  await forwardFairly(jobs, {
    holding: (no) => {
      const s = streaks.get(no);
      return s !== undefined && healthOf(s) !== "up" && !jobs.some((j) => j.destination === no && j.w.probe);
    },
    onHeld: (job) => heldBeforeSend.add((job as (typeof jobs)[number]).w),
    onDone: (job, result) => {
      finished.push(result);
      forwards.push({ ...result.outcome, destinationNo: job.destination });
      const signal = destinationSignal(result.outcome as ForwardResult);
      const before = streaks.get(job.destination) as Streaks;
      streaks.set(job.destination, nextStreaks(before, signal, result.w.stored.seq));
      report(reports, job.destination, signal, result.w.stored.seq, result.outcome);
    },
  });

  for (const { w, outcome } of finished) {
    const health = healthOf(streaks.get(w.no) as Streaks);
    if (outcome.ok) decide(w, w.probe ? "probe-ok" : "forwarded", 1);
    else if (w.probe) decide(w, "probe-failed", 1);
    else if (health !== "up") decide(w, health === "refusing" ? "refusing" : "outage", 1);
    else if (w.attempts + 1 >= RETRY_BUDGET) decide(w, "retries-exhausted", 1);
    else decide(w, "forward-failed", 1);
  }
  for (const w of work) {
    if (outcomeOf.has(w) || !heldBeforeSend.has(w)) continue;
    const s = streaks.get(w.no) as Streaks;
    decide(w, healthOf(s) === "refusing" ? "refusing" : "outage", 0);
  }

  const at = new Date().toISOString();
  const also = shipments.length > 0 ? [upsertShipments(env.DB, shipments, at)] : [];
  try {
    await closeBatch(
      env.DB,
      {
        forwards: forwards.map((o) => ({ ...o, eventId: o.eventId })),
        matched,
        settled,
        seen,
        events: [...touched],
        health: [...reports.values()],
        also,
      },
      at,
    );
  } catch (err) {
    // Deliver again later so the outcome is recorded (same webhook-id, so the destination can
    // tell it is a repeat).
    logD1Failure("close", err, groups);
    for (const g of groups.values()) if (opened.events.has(g.id)) retryAll(g, delay);
    return;
  }

  for (const g of groups.values()) {
    if (!opened.events.has(g.id)) continue;
    if (unknownDestination.has(g)) {
      // A destination this isolate does not know yet (created moments ago): try again shortly.
      retryAll(g, () => 10);
      continue;
    }
    const retrying = work.filter((w) => w.group === g && outcomeOf.get(w) === "forward-failed");
    if (retrying.length === 0) {
      ackGroup(g);
      continue;
    }
    for (const w of retrying) {
      const o = finished.find((f) => f.w === w)?.outcome;
      console.warn(
        JSON.stringify({
          msg: "forward_failed",
          event_id: g.id,
          destination: active.get(w.no)?.id,
          http_status: o?.httpStatus,
          error: o?.error,
        }),
      );
    }
    // The delay grows with the attempts made, whether the queue counted them (this message's
    // deliveries) or D1 did (across holds and re-sends): the larger of the two.
    const attempts = Math.max(...retrying.map((w) => w.attempts + 1));
    retryGroup(
      g,
      retrying.map((w) => ({ destination: w.no, gen: w.gen })),
      (messageAttempts) => delay(Math.max(messageAttempts, attempts)),
    );
  }
  const held = Object.entries(settled)
    .filter(([name]) => name === "outage" || name === "refusing")
    .reduce((n, [, list]) => n + (list?.length ?? 0), 0);
  if (held > 0) console.warn(JSON.stringify({ msg: "deliveries_held", held }));
}

/** Adds one forward's signal to its destination's report for closeBatch. */
function report(
  reports: Map<number, HealthReport>,
  no: number,
  signal: ReturnType<typeof destinationSignal>,
  seq: number,
  o: ForwardOutcome,
): void {
  const r = reports.get(no) ?? emptyReport(no);
  reports.set(no, r);
  if (signal === "none") return;
  if (signal === "ok") {
    Object.assign(r, { reset: true, failures: 0, refusals: 0, first_refused: null, last_refused: null });
    r.success_at = o.attemptedAt;
    return;
  }
  r.failure_at = o.attemptedAt;
  r.failure_status = o.httpStatus;
  r.failure_error = o.error;
  const wait = retryAfterSeconds(o.httpStatus, o.retryAfter, new Date(o.attemptedAt));
  if (wait !== null) r.probe_after = new Date(new Date(o.attemptedAt).getTime() + wait * 1000).toISOString();
  if (signal === "down") r.failures++;
  else if (signal === "refused" && r.last_refused !== seq) {
    r.refusals++;
    r.first_refused ??= seq;
    r.last_refused = seq;
  }
}

function emptyReport(no: number): HealthReport {
  return {
    no,
    reset: false,
    failures: 0,
    refusals: 0,
    first_refused: null,
    last_refused: null,
    success_at: null,
    failure_at: null,
    failure_status: null,
    failure_error: null,
    probe_after: null,
    fault: null,
  };
}

/** A live destination D1 lists that the configuration lacks (`default` is not one: FORWARD_URL decides it). */
function missingLive(destinations: readonly Destination[], health: ReadonlyMap<number, DestinationHealth>): boolean {
  const known = new Set(destinations.map((d) => d.no));
  return [...health.values()].some((h) => h.no !== 1 && !h.deleted && !known.has(h.no));
}

function logD1Failure(step: string, err: unknown, groups: Map<string, EventGroup>): void {
  console.error(
    JSON.stringify({ msg: "consumer_d1_failed", step, error: errorText(err), event_ids: [...groups.keys()] }),
  );
}
