import { DEAD_LETTER_QUEUE_NAME, EVENTS_QUEUE_NAME, handleDeadLetters, handleEventBatch } from "./consumer";
import { catchUpHeld } from "./delivery/catch-up-held";
import type { QueueMessage } from "./events/to-queue-message";
import { sweepUnqueued } from "./sweep/sweep-unqueued";

/**
 * The cron trigger: the sweep that queues every stored event that has not reached the queue, and
 * the catch-up that probes a downstream found down and re-queues its held events once it answers.
 */
export const scheduled: ExportedHandlerScheduledHandler<Env> = async (controller, env, ctx) => {
  const now = new Date(controller.scheduledTime);
  ctx.waitUntil(sweepUnqueued(env, now));
  ctx.waitUntil(catchUpHeld(env, now));
};

/** Both queues this Worker consumes: the events, and their dead letters. */
export const queue: ExportedHandlerQueueHandler<Env, QueueMessage> = async (batch, env) => {
  if (batch.queue === EVENTS_QUEUE_NAME) return handleEventBatch(batch, env);
  if (batch.queue === DEAD_LETTER_QUEUE_NAME) return handleDeadLetters(batch, env);
  // A queue wired to this Worker by mistake: fail loudly rather than treat its messages as events.
  throw new Error(`no consumer for queue ${batch.queue}`);
};
