import { rowToEvent } from "../db/row-to-event";
import { markSwept, selectUnqueued } from "../db/select-unqueued";
import { sendEvents } from "../events/send-events";

/** How long an event may wait unseen before the sweep sends it again (queue latency is seconds). */
export const SWEEP_GRACE_SECONDS = 300;
const PAGE = 100;

/**
 * The cron sweep: queues every stored event that never reached the queue (a failed send, or a
 * Worker that died between the D1 write and the send). Returns how many it queued.
 */
export async function sweepUnqueued(env: Env, now = new Date(), maxEvents = 1000): Promise<number> {
  let queued = 0;
  let failed = 0;
  for (let scanned = 0; scanned < maxEvents; ) {
    const rows = await selectUnqueued(env.DB, now, SWEEP_GRACE_SECONDS, PAGE);
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
  if (queued > 0 || failed > 0) console.log(JSON.stringify({ msg: "sweep", queued, failed }));
  return queued;
}
