import { Scalar } from "@scalar/hono-api-reference";
import { Hono } from "hono";
import { openAPIRouteHandler } from "hono-openapi";
import type { AppEnv } from "../app-env";
import { eventRoutes } from "./events-routes";
import { otherRoutes } from "./other-routes";
import { requireAdmin } from "./require-admin";

/** The operator API, mounted at /api. */
export const api = new Hono<AppEnv>();

const routes = new Hono<AppEnv>().route("/", eventRoutes).route("/", otherRoutes);

// The description and its reference page are public: they hold the API's shape, never data, and a
// browser opening the reference page cannot send a bearer token. Everything else needs the token.
api.get(
  "/openapi.json",
  openAPIRouteHandler(routes, {
    documentation: {
      info: {
        title: "parcelhook operator API",
        version: "1",
        description: "List, inspect and replay carrier events; quarantine, shipments and stats.",
      },
      servers: [{ url: "/api" }],
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
      security: [{ bearer: [] }],
    },
  }),
);
api.get("/docs", Scalar({ url: "/api/openapi.json", pageTitle: "parcelhook operator API" }));

api.use("*", requireAdmin);
api.route("/", routes);
