import type { NormalizedEvent } from "./normalized-event";

// Queues refuses a message over 128 KB; a delivery may be up to MAX_BODY_BYTES (512 KiB).
export const MAX_QUEUE_MESSAGE_BYTES = 100_000;

/**
 * The queue message for an event: the normalized event itself, or, when that would not fit in a
 * message, the event with its `data` left out (`data_omitted: true`). The consumer always
 * rebuilds the event it forwards from D1, so nothing is lost either way.
 */
export function toQueueMessage(event: NormalizedEvent): NormalizedEvent & { data_omitted?: true } {
  if (JSON.stringify(event).length <= MAX_QUEUE_MESSAGE_BYTES) return event;
  return { ...event, data: {}, data_omitted: true };
}
