import { rowToEvent } from "../db/row-to-event";
import { markSwept, selectUnqueued } from "../db/select-unqueued";
import type { NormalizedEvent } from "../events/normalized-event";
import { toQueueMessage } from "../events/to-queue-message";

/** How long an event may wait unseen before the sweep sends it again (queue latency is seconds). */
export const SWEEP_GRACE_SECONDS = 300;
const PAGE = 100;
// Queues limits a sendBatch to 100 messages and 256 KB in all; stay under with room for overhead.
const BATCH_BYTES = 200_000;

/**
 * The cron sweep: queues every stored event that never reached the queue (a failed send, or a
 * Worker that died between the D1 write and the send). Returns how many it queued.
 */
export async function sweepUnqueued(env: Env, now = new Date(), maxEvents = 1000): Promise<number> {
  let queued = 0;
  let failed = 0;
  for (let scanned = 0; scanned < maxEvents; ) {
    const rows = await selectUnqueued(env.DB, now, SWEEP_GRACE_SECONDS, PAGE);
    if (rows.length === 0) break;
    scanned += rows.length;
    for (const chunk of chunkBySize(rows.map((row) => toQueueMessage(rowToEvent(row))))) {
      const ids = chunk.map((e) => e.id);
      try {
        await env.EVENTS_QUEUE.sendBatch(chunk.map((body) => ({ body, contentType: "json" as const })));
        queued += chunk.length;
      } catch {
        // Still marked swept, so one refused chunk waits out the grace time instead of blocking the rest.
        failed += chunk.length;
      }
      await markSwept(env.DB, ids, now.toISOString());
    }
    if (rows.length < PAGE) break;
  }
  if (queued > 0 || failed > 0) console.log(JSON.stringify({ msg: "sweep", queued, failed }));
  return queued;
}

function chunkBySize(events: NormalizedEvent[]): NormalizedEvent[][] {
  const chunks: NormalizedEvent[][] = [];
  let current: NormalizedEvent[] = [];
  let size = 0;
  for (const event of events) {
    const bytes = JSON.stringify(event).length;
    if (current.length > 0 && (size + bytes > BATCH_BYTES || current.length === 100)) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(event);
    size += bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
