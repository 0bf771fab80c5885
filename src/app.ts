// Every Hono of this Worker is the `hono/tiny` preset (PatternRouter): the default's SmartRouter
// carries two routers (about 2.4 KiB gzip) to be fast with hundreds of routes; this app has about 40.
import { Hono } from "hono/tiny";
import { api } from "./api";
import type { AppEnv } from "./app-env";
import { requireOperator } from "./auth/require-role";
import { dashboard } from "./dashboard";
import { loadBodyDictionaries } from "./db/load-body-dictionaries";
import { ApiError } from "./errors/api-error";
import { errorResponse } from "./errors/error-response";
import { routeMethods } from "./errors/route-methods";
import { health } from "./health/health";
import { metrics } from "./metrics";
import { webhooks } from "./webhooks";

export const app = new Hono<AppEnv>();

// Every path answers these (or 404s). Any other method (PUT, PATCH, DELETE, OPTIONS...) is 405
// before any route's own middleware (the dashboard's CSRF check, the API's token) sees it, unless
// a route at that very path answers it (PATCH and DELETE /api/destinations/{id}).
const ANSWERED = new Set(["GET", "HEAD", "POST"]);

app.onError(errorResponse);
app.notFound((c) => {
  const allowed = routeMethods(app.routes, c.req.path);
  if (allowed.size === 0) return errorResponse(new ApiError("not_found"), c);
  c.header("Allow", [...allowed].sort().join(", "));
  return errorResponse(new ApiError("method_not_allowed"), c);
});

app.use("*", async (c, next) => {
  if (!ANSWERED.has(c.req.method) && !routeMethods(app.routes, c.req.path).has(c.req.method)) {
    throw new ApiError("method_not_allowed");
  }
  await next();
});

// The stored bodies' dictionaries come from the static assets, once per isolate (src/db/body-codec.ts).
app.use("*", async (c, next) => {
  await loadBodyDictionaries(c.env.ASSETS);
  await next();
});

app.get("/health", health);
app.all("/health", () => {
  throw new ApiError("method_not_allowed");
});

app.get("/metrics", requireOperator, metrics);

app.route("/webhooks", webhooks);
app.route("/api", api);
app.route("/dashboard", dashboard);
