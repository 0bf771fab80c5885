import type { CarrierName, NormalizedEvent } from "./normalized-event";

/**
 * What the queue carries: the event's id and its carrier (for routing and logs), never the event.
 * The consumer reads the event from D1, so an event of any accepted size is forwarded whole and a
 * message is always a few dozen bytes, far under Queues' 128 KB. The receiver's message names no
 * destination (every one the event matches); the catch-up, a stall re-send and a replay to one
 * destination name it (`d`, destinations.no). `g` is the deliveries' generation the message is
 * for (a replay starts a new one; absent = 0): an older message's outcome never undoes a newer
 * replay. `p` marks the catch-up's probe of a held delivery.
 */
export interface QueueMessage {
  id: string;
  carrier: CarrierName;
  d?: number;
  g?: number;
  p?: 1;
}

export function toQueueMessage(event: Pick<NormalizedEvent, "id" | "carrier">): QueueMessage {
  return { id: event.id, carrier: event.carrier };
}

/** Any body with a string `id`: also a whole event, as messages were before (still in a queue at deploy). */
export function isQueueMessage(body: unknown): body is QueueMessage {
  return typeof body === "object" && body !== null && typeof (body as { id?: unknown }).id === "string";
}

/** The generation a message is for (0 when it names none). */
export const generationOf = (m: QueueMessage): number => (typeof m.g === "number" ? m.g : 0);
/** The destination a message names, or null for every one. */
export const destinationOf = (m: QueueMessage): number | null => (typeof m.d === "number" ? m.d : null);
