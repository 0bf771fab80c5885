import { MAX_RETRY_DELAY_SECONDS } from "../consumer/retry-delay";
import type { EventRow } from "../db/row-to-event";
import { rowToEvent } from "../db/row-to-event";
import { selectStalled } from "../db/select-stalled";
import { markSwept, selectUnqueued } from "../db/select-unqueued";
import { sendEvents } from "../events/send-events";

/** How long an event may wait unseen before the sweep sends it again (queue latency is seconds). */
export const SWEEP_GRACE_SECONDS = 300;
/** Twice the longest retry delay: an unfinished event this quiet lost its message. */
export const STALL_SECONDS = 2 * MAX_RETRY_DELAY_SECONDS;
const PAGE = 100;

/**
 * The cron sweep: queues every stored event that never reached the queue (a failed send, or a
 * Worker that died between the D1 write and the send), and every event the consumer saw but never
 * finished whose message was lost. Returns how many it queued.
 */
export async function sweepUnqueued(env: Env, now = new Date(), maxEvents = 1000): Promise<number> {
  const unseen = await sweep(env, now, maxEvents, (limit) => selectUnqueued(env.DB, now, SWEEP_GRACE_SECONDS, limit));
  const stalled = await sweep(env, now, maxEvents, (limit) => selectStalled(env.DB, now, STALL_SECONDS, limit));
  const queued = unseen.queued + stalled.queued;
  const failed = unseen.failed + stalled.failed;
  if (queued > 0 || failed > 0) console.log(JSON.stringify({ msg: "sweep", queued, failed, stalled: stalled.queued }));
  return queued;
}

async function sweep(
  env: Env,
  now: Date,
  maxEvents: number,
  select: (limit: number) => Promise<EventRow[]>,
): Promise<{ queued: number; failed: number }> {
  let queued = 0;
  let failed = 0;
  for (let scanned = 0; scanned < maxEvents; ) {
    const rows = await select(PAGE);
    if (rows.length === 0) break;
    scanned += rows.length;
    const refused = await sendEvents(env.EVENTS_QUEUE, rows.map(rowToEvent));
    // Refused ones are marked swept too, so they wait out the grace time instead of blocking the rest.
    await markSwept(
      env.DB,
      rows.map((r) => r.id),
      now.toISOString(),
    );
    queued += rows.length - refused.length;
    failed += refused.length;
    if (rows.length < PAGE) break;
  }
  return { queued, failed };
}
