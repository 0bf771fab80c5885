import { app } from "./app";
import type { NormalizedEvent } from "./events/normalized-event";
import { sweepUnqueued } from "./sweep/sweep-unqueued";

export default {
  fetch: app.fetch,
  async scheduled(_controller, env, ctx) {
    ctx.waitUntil(sweepUnqueued(env));
  },
} satisfies ExportedHandler<Env, NormalizedEvent>;
