import { sendToQueue } from "../events/send-to-queue";
import type { QueueMessage } from "../events/to-queue-message";
import { markEnqueueFailed } from "./db/mark-enqueue-failed";

/**
 * Sends the messages of events D1 already records as on their way (swept, replayed, caught up),
 * and flags the ones the queue refused so the next sweep sends them. Returns how many were refused.
 */
export async function sendMarked(env: Env, messages: readonly QueueMessage[], at: string): Promise<number> {
  if (messages.length === 0) return 0;
  const refused = await sendToQueue(env.EVENTS_QUEUE, messages);
  if (refused.length > 0) await markEnqueueFailed(env.DB, refused, at).catch(() => {});
  return refused.length;
}
