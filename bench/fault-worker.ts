// The Hono app with fault injection, for `npm run faults` only (config: bench/wrangler.faults.toml,
// run beside bench/fault-consumer-worker.ts). It wraps the real Worker unchanged and swaps a binding
// for a failing one while a fault is on; faults are switched by POST /__faults on this entry, which
// passes the consumer's own faults on to the consumer Worker (service binding FAULT_CONSUMER).
// Never deployed, never imported by src/.
import receiver from "../src/index";
import { failingD1, refusingQueue } from "./harness/faulty-bindings";

interface Faults {
  /** D1 throws on the webhook path (fetch). */
  d1: boolean;
  /** The queue refuses sends on the webhook path (fetch); the sweep's sends still work. */
  queue: boolean;
}

type FaultEnv = Env & { FAULT_CONSUMER?: Fetcher };

const faults: Faults = { d1: false, queue: false };
const worker = receiver as ExportedHandler<Env>;

function webhookEnv(env: Env): Env {
  if (!faults.d1 && !faults.queue) return env;
  return {
    ...env,
    DB: faults.d1 ? failingD1(env.DB) : env.DB,
    EVENTS_QUEUE: faults.queue ? refusingQueue(env.EVENTS_QUEUE) : env.EVENTS_QUEUE,
  };
}

/** The consumer Worker's faults and counts; none when it is not running (ingest alone). */
async function consumerFaults(env: FaultEnv, change: Record<string, unknown>): Promise<Record<string, unknown>> {
  if (!env.FAULT_CONSUMER) return {};
  try {
    const res = await env.FAULT_CONSUMER.fetch("http://fault-consumer/__faults", {
      method: "POST",
      body: JSON.stringify(change),
    });
    return (await res.json()) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export default {
  async fetch(request, env: FaultEnv, ctx) {
    const url = new URL(request.url);
    // Test setup only (this entry is never deployed): rows the operator API would write, e.g. a
    // destination, until the destinations API is merged.
    if (url.pathname === "/__sql" && request.method === "POST") {
      const { sql, params } = (await request.json()) as { sql: string; params?: unknown[] };
      const { results } = await env.DB.prepare(sql)
        .bind(...(params ?? []))
        .all();
      return Response.json({ results });
    }
    if (url.pathname === "/__faults") {
      const change = request.method === "POST" ? ((await request.json()) as Record<string, unknown>) : {};
      const { d1, queue, ...rest } = change;
      if (typeof d1 === "boolean") faults.d1 = d1;
      if (typeof queue === "boolean") faults.queue = queue;
      const consumer = (await consumerFaults(env, rest)) as { faults?: object; injected?: object };
      return Response.json({ faults: { ...faults, ...consumer.faults }, injected: { ...consumer.injected } });
    }
    return (worker.fetch as NonNullable<typeof worker.fetch>)(request, webhookEnv(env), ctx);
  },
  async scheduled(controller, env, ctx) {
    return (worker.scheduled as NonNullable<typeof worker.scheduled>)(controller, env, ctx);
  },
} satisfies ExportedHandler<FaultEnv>;
