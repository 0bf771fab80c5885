// The receiver with fault injection, for `npm run faults` only (config: bench/wrangler.faults.toml).
// It wraps the real Worker unchanged and swaps a binding for a failing one while a fault is on;
// faults are switched by POST /__faults on this entry. Never deployed, never imported by src/.
import type { QueueMessage } from "../src/events/to-queue-message";
import receiver from "../src/index";
import { failingD1, partialBatch, refusingQueue } from "./harness/faulty-bindings";

interface Faults {
  /** D1 throws on the webhook path (fetch). */
  d1: boolean;
  /** The queue refuses sends on the webhook path (fetch); the sweep's sends still work. */
  queue: boolean;
  /** How many more `carrier-events` batches die after handling their first half. */
  consumerDeaths: number;
  /**
   * The `carrier-events` consumer is paused: its messages are set aside untouched (what a queue
   * nobody consumes holds) and put back on the queue when it resumes.
   */
  consumerPaused: boolean;
}

const faults: Faults = { d1: false, queue: false, consumerDeaths: 0, consumerPaused: false };
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
const worker = receiver as ExportedHandler<Env, QueueMessage>;

function webhookEnv(env: Env): Env {
  if (!faults.d1 && !faults.queue) return env;
  return {
    ...env,
    DB: faults.d1 ? failingD1(env.DB) : env.DB,
    EVENTS_QUEUE: faults.queue ? refusingQueue(env.EVENTS_QUEUE) : env.EVENTS_QUEUE,
  };
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === "/__faults") {
      if (request.method === "POST") {
        const wasPaused = faults.consumerPaused;
        Object.assign(faults, await request.json());
        if (wasPaused && !faults.consumerPaused) await resume(env);
      }
      return Response.json({ faults, injected });
    }
    return (worker.fetch as NonNullable<typeof worker.fetch>)(request, webhookEnv(env), ctx);
  },
  async queue(batch, env, ctx) {
    const handle = worker.queue as NonNullable<typeof worker.queue>;
    if (batch.queue === "carrier-events" && faults.consumerPaused) {
      for (const msg of batch.messages) setAside.push(msg.body);
      injected.pausedMessages += batch.messages.length;
      batch.ackAll();
      return;
    }
    if (batch.queue === "carrier-events" && faults.consumerDeaths > 0 && batch.messages.length > 1) {
      faults.consumerDeaths--;
      injected.consumerDeaths++;
      // Handle the first half for real, then die: the second half was never touched, and the
      // runtime redelivers every message that was not acked.
      const half = Math.ceil(batch.messages.length / 2);
      await handle(partialBatch(batch, batch.messages.slice(0, half)), env, ctx);
      throw new Error(`injected fault: consumer died after ${half} of ${batch.messages.length} messages`);
    }
    return handle(batch, env, ctx);
  },
  async scheduled(controller, env, ctx) {
    return (worker.scheduled as NonNullable<typeof worker.scheduled>)(controller, env, ctx);
  },
} satisfies ExportedHandler<Env, QueueMessage>;
