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
}

const faults: Faults = { consumerDeaths: 0 };
const injected = { consumerDeaths: 0 };

export default {
  async fetch(request) {
    if (request.method === "POST") {
      const change = (await request.json()) as Partial<Faults>;
      if (typeof change.consumerDeaths === "number") faults.consumerDeaths = change.consumerDeaths;
    }
    return Response.json({ faults, injected });
  },
  async queue(batch, env, ctx) {
    if (batch.queue === readConfig(env).eventsQueueName && faults.consumerDeaths > 0 && batch.messages.length > 1) {
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
