import { Hono } from "hono";
import { api } from "./api";
import type { AppEnv } from "./app-env";
import { dashboard } from "./dashboard";
import { ApiError } from "./errors/api-error";
import { errorResponse } from "./errors/error-response";
import { health } from "./health/health";
import { webhooks } from "./webhooks";

export const app = new Hono<AppEnv>();

app.onError(errorResponse);
app.notFound((c) => errorResponse(new ApiError("not_found"), c));

app.get("/health", health);
app.all("/health", () => {
  throw new ApiError("method_not_allowed");
});

app.route("/webhooks", webhooks);
app.route("/api", api);
app.route("/dashboard", dashboard);
