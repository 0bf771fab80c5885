import type { CarrierName, NormalizedEvent } from "./normalized-event";

/**
 * What the queue carries: the event's id and its carrier (for routing and logs), never the event.
 * The consumer reads the event from D1, so an event of any accepted size is forwarded whole and a
 * message is always a few dozen bytes, far under Queues' 128 KB.
 */
export interface QueueMessage {
  id: string;
  carrier: CarrierName;
}

export function toQueueMessage(event: Pick<NormalizedEvent, "id" | "carrier">): QueueMessage {
  return { id: event.id, carrier: event.carrier };
}

/** Any body with a string `id`: also a whole event, as messages were before (still in a queue at deploy). */
export function isQueueMessage(body: unknown): body is QueueMessage {
  return typeof body === "object" && body !== null && typeof (body as { id?: unknown }).id === "string";
}
