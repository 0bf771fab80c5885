// The receiver path alone (webhooks, health, queue consumer, sweep), without the operator API, its
// OpenAPI description or the dashboard: built only to measure its bundle size. Never deployed.
import { Hono } from "hono";
import type { AppEnv } from "../src/app-env";
import { DEAD_LETTER_QUEUE_NAME, EVENTS_QUEUE_NAME, handleDeadLetters, handleEventBatch } from "../src/consumer";
import { errorResponse } from "../src/errors/error-response";
import type { NormalizedEvent } from "../src/events/normalized-event";
import { health } from "../src/health/health";
import { sweepUnqueued } from "../src/sweep/sweep-unqueued";
import { webhooks } from "../src/webhooks";

const app = new Hono<AppEnv>();
app.onError(errorResponse);
app.get("/health", health);
app.route("/webhooks", webhooks);

export default {
  fetch: app.fetch,
  async scheduled(_controller, env, ctx) {
    ctx.waitUntil(sweepUnqueued(env));
  },
  async queue(batch, env) {
    if (batch.queue === EVENTS_QUEUE_NAME) return handleEventBatch(batch, env);
    if (batch.queue === DEAD_LETTER_QUEUE_NAME) return handleDeadLetters(batch, env);
    throw new Error(`no consumer for queue ${batch.queue}`);
  },
} satisfies ExportedHandler<Env, NormalizedEvent>;
