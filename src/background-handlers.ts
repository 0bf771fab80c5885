import { checkAlerts } from "./alerts";
import { DEAD_LETTER_QUEUE_NAME, EVENTS_QUEUE_NAME, handleDeadLetters, handleEventBatch } from "./consumer";
import type { NormalizedEvent } from "./events/normalized-event";
import { applyRetention } from "./retention";
import { sweepUnqueued } from "./sweep/sweep-unqueued";

/** The cron trigger: the sweep that queues every stored event that has not reached the queue. */
export const scheduled: ExportedHandlerScheduledHandler<Env> = async (_controller, env, ctx) => {
  ctx.waitUntil(sweepUnqueued(env));
  ctx.waitUntil(applyRetention(env));
  ctx.waitUntil(checkAlerts(env));
};

/** Both queues this Worker consumes: the events, and their dead letters. */
export const queue: ExportedHandlerQueueHandler<Env, NormalizedEvent> = async (batch, env) => {
  if (batch.queue === EVENTS_QUEUE_NAME) return handleEventBatch(batch, env);
  if (batch.queue === DEAD_LETTER_QUEUE_NAME) return handleDeadLetters(batch, env);
  // A queue wired to this Worker by mistake: fail loudly rather than treat its messages as events.
  throw new Error(`no consumer for queue ${batch.queue}`);
};
