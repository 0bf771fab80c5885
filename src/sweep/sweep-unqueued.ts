import { MAX_RETRY_DELAY_SECONDS } from "../consumer/retry-delay";
import { markSwept } from "../delivery/db/mark-swept";
import { selectStalled } from "../delivery/db/select-stalled";
import { countOutstanding, selectUnqueued } from "../delivery/db/select-unqueued";
import { sendMarked } from "../delivery/send-marked";
import type { QueueMessage } from "../events/to-queue-message";

/** How long an event may wait unseen before the sweep sends it again (queue latency is seconds). */
export const SWEEP_GRACE_SECONDS = 300;
/** Twice the longest retry delay: an unfinished event this quiet lost its message. */
export const STALL_SECONDS = 2 * MAX_RETRY_DELAY_SECONDS;
/**
 * At most this many events may be on their way through the queue unseen before the sweep stops
 * adding to it: past that the queue is lagging (a paused or slow consumer), and a re-send would
 * only be a duplicate behind the original.
 */
export const SWEEP_MAX_OUTSTANDING = 1000;
/** A message unseen this long after its send no longer counts as on its way: presumed lost. */
export const SWEEP_LOST_AFTER_SECONDS = 3600;

/**
 * The cron sweep: queues every stored event that never reached the queue (a failed send, or a
 * Worker that died between the D1 write and the send), and every event the consumer saw but never
 * finished whose message was lost. Each event at most once per grace time, and only while fewer
 * than `maxOutstanding` sent events wait unseen, so a lagging queue is never flooded with
 * duplicates. Two D1 round trips when there is something to send. Returns how many it queued.
 */
export async function sweepUnqueued(
  env: Env,
  now = new Date(),
  maxOutstanding = SWEEP_MAX_OUTSTANDING,
): Promise<number> {
  const [outstanding, unseen, stalled] = await env.DB.batch<unknown>([
    countOutstanding(env.DB, now, SWEEP_LOST_AFTER_SECONDS, maxOutstanding),
    selectUnqueued(env.DB, now, SWEEP_GRACE_SECONDS, maxOutstanding),
    selectStalled(env.DB, now, STALL_SECONDS, maxOutstanding),
  ]);
  const inFlight = (outstanding?.results[0] as { n: number } | undefined)?.n ?? 0;
  const budget = Math.max(0, maxOutstanding - inFlight);
  const unseenRows = (unseen?.results ?? []) as QueueMessage[];
  const stalledRows = (stalled?.results ?? []) as QueueMessage[];
  const toSend = [...unseenRows, ...stalledRows].slice(0, budget);
  const leftOver = unseenRows.length + stalledRows.length - toSend.length;
  if (toSend.length === 0) {
    if (leftOver > 0)
      console.warn(JSON.stringify({ msg: "sweep_queue_lagging", outstanding: inFlight, waiting: leftOver }));
    return 0;
  }
  const at = now.toISOString();
  await markSwept(
    env.DB,
    toSend.map((m) => m.id),
    at,
  ).run();
  const failed = await sendMarked(env, toSend, at);
  const queued = toSend.length - failed;
  const stalledSent = Math.max(0, toSend.length - unseenRows.length);
  console.log(
    JSON.stringify({ msg: "sweep", queued, failed, stalled: stalledSent, outstanding: inFlight, waiting: leftOver }),
  );
  return queued;
}
