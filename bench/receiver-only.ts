// The receiver path alone (webhooks, health, queue consumer, sweep), without the operator API, its
// OpenAPI description or the dashboard: built only to measure its bundle size. Never deployed.
import { Hono } from "hono";
import type { AppEnv } from "../src/app-env";
import { queue, scheduled } from "../src/background-handlers";
import { errorResponse } from "../src/errors/error-response";
import type { NormalizedEvent } from "../src/events/normalized-event";
import { health } from "../src/health/health";
import { webhooks } from "../src/webhooks";

const app = new Hono<AppEnv>();
app.onError(errorResponse);
app.get("/health", health);
app.route("/webhooks", webhooks);

export default { fetch: app.fetch, scheduled, queue } satisfies ExportedHandler<Env, NormalizedEvent>;
