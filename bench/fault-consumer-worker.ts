// The queue consumer Worker with fault injection, for `npm run faults` only (config:
// bench/wrangler.faults-consumer.toml). Its faults are switched through bench/fault-worker.ts's
// POST /__faults, which reaches this Worker's fetch over a service binding (no port of its own).
// Never deployed, never imported by src/.
import { readConfig } from "../src/config";
import consumer from "../src/consumer-worker";
import { partialBatch } from "./harness/faulty-bindings";

interface Faults {
  /** How many more events-queue batches die after handling their first half. */
  consumerDeaths: number;
  /**
   * The events consumer is paused: its messages are set aside untouched (what a queue nobody
   * consumes holds) and put back on the queue when it resumes.
   */
  consumerPaused: boolean;
}

const faults: Faults = { consumerDeaths: 0, consumerPaused: false };
const injected = { consumerDeaths: 0, pausedMessages: 0 };
/** The bodies a paused consumer set aside, in arrival order. */
const setAside: unknown[] = [];

/** Puts the set-aside messages back on the queue, as a consumer that resumes finds them. */
async function resume(env: Env): Promise<void> {
  while (setAside.length > 0) {
    const chunk = setAside.splice(0, 100);
    await env.EVENTS_QUEUE.sendBatch(chunk.map((body) => ({ body, contentType: "json" as const })));
  }
}

export default {
  async fetch(request, env) {
    if (request.method === "POST") {
      const change = (await request.json()) as Partial<Faults>;
      if (typeof change.consumerDeaths === "number") faults.consumerDeaths = change.consumerDeaths;
      if (typeof change.consumerPaused === "boolean") {
        const wasPaused = faults.consumerPaused;
        faults.consumerPaused = change.consumerPaused;
        if (wasPaused && !faults.consumerPaused) await resume(env);
      }
    }
    return Response.json({ faults, injected });
  },
  async queue(batch, env, ctx) {
    const events = batch.queue === readConfig(env).eventsQueueName;
    if (events && faults.consumerPaused) {
      for (const msg of batch.messages) setAside.push(msg.body);
      injected.pausedMessages += batch.messages.length;
      batch.ackAll();
      return;
    }
    if (events && faults.consumerDeaths > 0 && batch.messages.length > 1) {
      faults.consumerDeaths--;
      injected.consumerDeaths++;
      // Handle the first half for real, then die: the second half was never touched, and the
      // runtime redelivers every message that was not acked.
      const half = Math.ceil(batch.messages.length / 2);
      await consumer.queue(partialBatch(batch, batch.messages.slice(0, half)), env, ctx);
      throw new Error(`injected fault: consumer died after ${half} of ${batch.messages.length} messages`);
    }
    return consumer.queue(batch, env, ctx);
  },
} satisfies ExportedHandler<Env, unknown>;
