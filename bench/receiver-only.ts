// The Hono app's receiver path alone (webhooks, health, cron jobs), without the operator API, its
// OpenAPI description or the dashboard: built only to measure its bundle size. Never deployed.
import { Hono } from "hono";
import type { AppEnv } from "../src/app-env";
import { errorResponse } from "../src/errors/error-response";
import { health } from "../src/health/health";
import { scheduled } from "../src/scheduled";
import { webhooks } from "../src/webhooks";

const app = new Hono<AppEnv>();
app.onError(errorResponse);
app.get("/health", health);
app.route("/webhooks", webhooks);

export default { fetch: app.fetch, scheduled } satisfies ExportedHandler<Env>;
