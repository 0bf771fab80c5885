import type { NormalizedEvent } from "./normalized-event";
import { toQueueMessage } from "./to-queue-message";

// Queues takes at most 100 messages and 256 KB per sendBatch; stay under with room for overhead.
const BATCH_MESSAGES = 100;
const BATCH_BYTES = 200_000;

/**
 * Sends events to the queue in as few sendBatch calls as the limits allow. Returns the ids whose
 * chunk the queue refused, so the caller can flag them for the sweep; one refused chunk never
 * stops the rest.
 */
export async function sendEvents(queue: Queue, events: NormalizedEvent[]): Promise<string[]> {
  const refused: string[] = [];
  for (const chunk of chunkForSendBatch(events.map(toQueueMessage))) {
    try {
      await queue.sendBatch(chunk.map((body) => ({ body, contentType: "json" as const })));
    } catch {
      refused.push(...chunk.map((e) => e.id));
    }
  }
  return refused;
}

function chunkForSendBatch<T>(items: T[]): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const item of items) {
    const bytes = JSON.stringify(item).length;
    if (current.length > 0 && (current.length === BATCH_MESSAGES || size + bytes > BATCH_BYTES)) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(item);
    size += bytes;
  }
  if (current.length > 0) out.push(current);
  return out;
}
