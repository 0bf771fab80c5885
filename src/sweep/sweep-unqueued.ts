import { MAX_RETRY_DELAY_SECONDS } from "../consumer/retry-delay";
import { markSwept } from "../delivery/db/mark-swept";
import { selectStalled } from "../delivery/db/select-stalled";
import { countOutstanding, type OutgoingRow, selectUnqueued } from "../delivery/db/select-unqueued";
import { sendMarked, toMessage } from "../delivery/send-marked";

/** How long an event may wait unseen before the sweep sends it again (queue latency is seconds). */
export const SWEEP_GRACE_SECONDS = 300;
/** Twice the longest retry delay: an unfinished delivery this quiet lost its message. */
export const STALL_SECONDS = 2 * MAX_RETRY_DELAY_SECONDS;
/**
 * At most this many messages may be on their way through the queue, not taken up yet, before the
 * sweep and the catch-up stop adding to it: past that the queue is lagging (a paused or slow
 * consumer), and a re-send would only be a duplicate behind the original. One budget for both.
 */
export const SWEEP_MAX_OUTSTANDING = 1000;
/** A message unseen this long after its send no longer counts as on its way: presumed lost. */
export const SWEEP_LOST_AFTER_SECONDS = 3600;

export interface Swept {
  queued: number;
  /** What is left of the outstanding budget for the catch-up that runs after it. */
  budgetLeft: number;
}

/**
 * The cron sweep: queues every stored event that never reached the queue (a failed send, or a
 * Worker that died between the D1 write and the send), and every delivery the consumer saw but
 * never finished whose message was lost. Each at most once per grace time, and only while fewer
 * than `maxOutstanding` messages wait, so a lagging queue is never flooded with duplicates. Two
 * D1 round trips when there is something to send. Returns how many it queued.
 */
export async function sweepUnqueued(
  env: Env,
  now = new Date(),
  maxOutstanding = SWEEP_MAX_OUTSTANDING,
): Promise<number> {
  return (await sweepWithBudget(env, now, maxOutstanding)).queued;
}

/** The sweep, and what it leaves of the one outstanding budget for the catch-up. */
export async function sweepWithBudget(env: Env, now: Date, maxOutstanding = SWEEP_MAX_OUTSTANDING): Promise<Swept> {
  const [outstanding, unseen, stalled] = await env.DB.batch<unknown>([
    countOutstanding(env.DB, now, SWEEP_LOST_AFTER_SECONDS, maxOutstanding),
    selectUnqueued(env.DB, now, SWEEP_GRACE_SECONDS, maxOutstanding, SWEEP_LOST_AFTER_SECONDS),
    selectStalled(env.DB, now, STALL_SECONDS, maxOutstanding),
  ]);
  const inFlight = (outstanding?.results[0] as { n: number } | undefined)?.n ?? 0;
  const budget = Math.max(0, maxOutstanding - inFlight);
  const unseenRows = (unseen?.results ?? []) as OutgoingRow[];
  const stalledRows = (stalled?.results ?? []) as OutgoingRow[];
  const toSend = [...unseenRows, ...stalledRows].slice(0, budget);
  const leftOver = unseenRows.length + stalledRows.length - toSend.length;
  if (toSend.length === 0) {
    if (leftOver > 0)
      console.warn(JSON.stringify({ msg: "sweep_queue_lagging", outstanding: inFlight, waiting: leftOver }));
    return { queued: 0, budgetLeft: budget };
  }
  const at = now.toISOString();
  await env.DB.batch(markSwept(env.DB, toSend, at));
  const failed = await sendMarked(
    env,
    toSend.map((r) => toMessage(r)),
    at,
  );
  const queued = toSend.length - failed;
  const stalledSent = Math.max(0, toSend.length - unseenRows.length);
  console.log(
    JSON.stringify({ msg: "sweep", queued, failed, stalled: stalledSent, outstanding: inFlight, waiting: leftOver }),
  );
  return { queued, budgetLeft: budget - queued };
}
