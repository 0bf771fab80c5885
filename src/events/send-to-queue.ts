import { chunkForSendBatch } from "./chunk-for-send-batch";
import type { QueueMessage } from "./to-queue-message";

/**
 * Sends messages in as few `sendBatch` calls as the limits allow. Returns the ids whose chunk the
 * queue refused, so the caller can flag them for the sweep; one refused chunk never stops the rest.
 */
export async function sendToQueue(queue: Queue, messages: readonly QueueMessage[]): Promise<string[]> {
  const refused: string[] = [];
  for (const chunk of chunkForSendBatch(messages)) {
    try {
      await queue.sendBatch(chunk.map((body) => ({ body, contentType: "json" as const })));
    } catch {
      refused.push(...chunk.map((m) => m.id));
    }
  }
  return refused;
}
