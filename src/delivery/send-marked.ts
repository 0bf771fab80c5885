import type { CarrierName } from "../events/normalized-event";
import { sendToQueue } from "../events/send-to-queue";
import type { QueueMessage } from "../events/to-queue-message";
import { markEnqueueFailed } from "./db/mark-enqueue-failed";
import type { OutgoingRow } from "./db/select-unqueued";

/** A row the sweep, the catch-up or a replay selected, as the message it sends. */
export function toMessage(r: OutgoingRow, probe = false): QueueMessage {
  const m: QueueMessage = { id: r.id, carrier: r.carrier as CarrierName };
  if (r.d !== null) m.d = r.d;
  if (r.g !== null && r.g !== 0) m.g = r.g;
  if (probe) m.p = 1;
  return m;
}

/**
 * Sends the messages of events D1 already records as on their way (swept, replayed, caught up),
 * and flags the events the queue refused so the next sweep sends them. Returns how many were refused.
 */
export async function sendMarked(env: Env, messages: readonly QueueMessage[], at: string): Promise<number> {
  if (messages.length === 0) return 0;
  const refusedIds = new Set(await sendToQueue(env.EVENTS_QUEUE, messages));
  if (refusedIds.size === 0) return 0;
  const refused = messages.filter((m) => refusedIds.has(m.id));
  await markEnqueueFailed(env.DB, refused, at).catch(() => {});
  return refused.length;
}
