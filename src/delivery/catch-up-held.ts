import { readConfig } from "../config";
import type { QueueMessage } from "../events/to-queue-message";
import { SWEEP_LOST_AFTER_SECONDS, SWEEP_MAX_OUTSTANDING } from "../sweep/sweep-unqueued";
import { delayProbe, readHealth, recordAppForwarding, toHealth } from "./db/destination-health";
import {
  countHeld,
  countToDropForDeleted,
  dropDeleted,
  markCaughtUp,
  selectHeld,
  selectProbe,
  touchProbed,
} from "./db/held-deliveries";
import { countOutstanding, type OutgoingRow } from "./db/select-unqueued";
import { sendMarked, toMessage } from "./send-marked";

/** Held deliveries re-queued per cron run at most (oldest first); the rest follow on the next runs. */
export const CATCH_UP_PER_RUN = 1000;
/** Between two probes of one destination at least this long (the cron runs every minute). */
export const PROBE_EVERY_SECONDS = 50;

export interface CatchUp {
  /** Probe messages sent (one per down or refusing destination whose Retry-After has passed). */
  probes: number;
  requeued: number;
  /** Deleted destinations whose owed deliveries were dropped. */
  dropped: number;
}

/**
 * The cron's catch-up, per destination, from D1 alone (no forwarding setting is used here; it only
 * records whether the Hono app has FORWARD_URL, for the consumer, `recordAppForwarding`):
 * - a down or refusing destination with held deliveries gets a probe: a queue message for its held
 *   delivery moved least recently, marked as a probe, which the consumer forwards with its own
 *   settings (the Worker that forwards probes); not before its `Retry-After`;
 * - an up, unpaused destination's held deliveries go back on the queue oldest first, within
 *   `budget` (what the sweep left of the one outstanding budget), shared fairly among them, so
 *   the consumer's own pace sets the flow;
 * - a deleted destination's owed and dead deliveries are dropped.
 * The consumer's probe-ok marks the destination up; the next run re-queues the rest.
 */
export async function catchUpHeld(env: Env, now = new Date(), budget?: number): Promise<CatchUp> {
  const at = now.toISOString();
  const [healthRows, heldRows, toDropForDeleted, outstanding] = await env.DB.batch<unknown>([
    readHealth(env.DB),
    countHeld(env.DB),
    countToDropForDeleted(env.DB),
    countOutstanding(env.DB, now, SWEEP_LOST_AFTER_SECONDS, SWEEP_MAX_OUTSTANDING),
    // Whether this (the Hono app) has FORWARD_URL, never its value: the consumer's to combine.
    recordAppForwarding(env.DB, readConfig(env).forwardUrl !== null),
  ]);
  const health = toHealth(healthRows?.results ?? []);
  const held = new Map(((heldRows?.results ?? []) as { no: number; held: number }[]).map((r) => [r.no, r.held]));
  const result: CatchUp = { probes: 0, requeued: 0, dropped: 0 };

  if (((toDropForDeleted?.results[0] as { n: number } | undefined)?.n ?? 0) > 0) {
    await env.DB.batch(dropDeleted(env.DB, at));
    result.dropped = [...health.values()].filter((h) => h.deleted).length;
  }

  const live = [...health.values()].filter((h) => !h.deleted && !h.paused && (held.get(h.no) ?? 0) > 0);
  const toProbe = live.filter((h) => h.health !== "up" && (h.probe_after === null || h.probe_after <= at));
  const toCatchUp = live.filter((h) => h.health === "up");
  const inFlight = (outstanding?.results[0] as { n: number } | undefined)?.n ?? 0;
  const left = Math.min(CATCH_UP_PER_RUN, budget ?? SWEEP_MAX_OUTSTANDING - inFlight);
  if (toProbe.length === 0 && (toCatchUp.length === 0 || left <= 0)) return result;

  const share = toCatchUp.length > 0 ? Math.max(1, Math.ceil(Math.max(0, left) / toCatchUp.length)) : 0;
  const reads = await env.DB.batch<OutgoingRow>([
    ...toProbe.map((h) => selectProbe(env.DB, h.no)),
    ...(left > 0 ? toCatchUp.map((h) => selectHeld(env.DB, h.no, share)) : []),
  ]);
  const probes = reads.slice(0, toProbe.length).flatMap((r) => r.results);
  const candidates = reads
    .slice(toProbe.length)
    .flatMap((r) => r.results)
    .slice(0, Math.max(0, left));

  const writes: D1PreparedStatement[] = [];
  const nextProbe = new Date(now.getTime() + PROBE_EVERY_SECONDS * 1000).toISOString();
  for (const p of probes) {
    writes.push(touchProbed(env.DB, p.id, p.d as number, at), delayProbe(env.DB, p.d as number, nextProbe));
  }
  const caught = candidates.length > 0 ? markCaughtUp(env.DB, candidates, at) : [];
  const written = await env.DB.batch<{ event_seq: number; destination_no: number; gen: number }>([
    ...caught,
    ...writes,
  ]);
  // Only the deliveries still held when marked are sent (an operator's replay may have moved one).
  const gens = new Map(
    (caught.length > 0 ? (written[0]?.results ?? []) : []).map((r) => [`${r.event_seq}:${r.destination_no}`, r.gen]),
  );
  const moved = candidates.flatMap((r) => {
    const gen = gens.get(`${(r as OutgoingRow & { seq: number }).seq}:${r.d}`);
    return gen === undefined ? [] : [{ ...r, g: gen }];
  });
  const messages: QueueMessage[] = [...probes.map((p) => toMessage(p, true)), ...moved.map((r) => toMessage(r))];
  const refused = await sendMarked(env, messages, at);
  result.probes = probes.length;
  result.requeued = moved.length;
  console.log(
    JSON.stringify({
      msg: "catch_up",
      probes: probes.length,
      requeued: moved.length,
      refused,
      dropped: result.dropped,
    }),
  );
  return result;
}
