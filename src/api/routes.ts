import { Hono } from "hono/tiny";
import type { AppEnv } from "../app-env";
import { actorOf } from "../auth/actor-of";
import {
  bulkReplay,
  changeDestination,
  createDestination,
  destinationDetail,
  eventDetail,
  eventsPage,
  listDestinations,
  operatorStats,
  quarantinePage,
  removeDestination,
  replayOne,
  replayToDestination,
  retryQuarantined,
  rotateDestinationSecret,
  shipmentDetail,
  shipmentsCsv,
  shipmentsPage,
} from "../operator";
import { parseInput } from "../operator/parse-input";
import {
  createDestinationBody,
  listEventsQuery,
  listShipmentsQuery,
  pageQuery,
  replayBody,
  replayOneBody,
  shipmentQuery,
  sinceQuery,
  updateDestinationBody,
} from "../operator/query-schemas";
import { teamRoutes } from "./team-routes";
import { optionalJsonBody, requireJson, validate } from "./validate";

/**
 * The operator API's routes: each parses its input and answers what the operator core returns.
 * Their descriptions are in api-description.ts, from which the OpenAPI document is generated.
 */
export const routes = new Hono<AppEnv>()
  .get("/events", validate("query", listEventsQuery), async (c) =>
    c.json(await eventsPage(c.env.DB, c.req.valid("query"))),
  )
  .get("/events/:id", async (c) => c.json(await eventDetail(c.env.DB, c.req.param("id"))))
  .post("/events/:id/replay", async (c) => {
    const { destination_id } = parseInput(replayOneBody, await optionalJsonBody(c));
    return c.json(await replayOne(c.env, c.req.param("id"), actorOf(c), destination_id), 202);
  })
  .post("/replay", requireJson, validate("json", replayBody), async (c) =>
    c.json(await bulkReplay(c.env, c.req.valid("json"), actorOf(c), c.executionCtx), 202),
  )
  .get("/quarantine", validate("query", pageQuery), async (c) =>
    c.json(await quarantinePage(c.env.DB, c.req.valid("query"))),
  )
  .post("/quarantine/:id/retry", async (c) =>
    c.json(await retryQuarantined(c.env, c.executionCtx, c.req.param("id"), actorOf(c))),
  )
  .get("/shipments", validate("query", listShipmentsQuery), async (c) => {
    const { format, ...query } = c.req.valid("query");
    const page = await shipmentsPage(c.env.DB, query);
    if (format === "json") return c.json(page);
    if (page.next_cursor) {
      const next = new URLSearchParams(c.req.query());
      next.set("cursor", page.next_cursor);
      c.header("Link", `</api/shipments?${next}>; rel="next"`);
    }
    return c.body(shipmentsCsv(page.shipments), 200, { "Content-Type": "text/csv; charset=utf-8" });
  })
  .get("/shipments/:tracking_number", validate("query", shipmentQuery), async (c) =>
    c.json(await shipmentDetail(c.env.DB, c.req.param("tracking_number"), c.req.valid("query").carrier)),
  )
  .get("/stats", validate("query", sinceQuery), async (c) =>
    c.json(await operatorStats(c.env, c.req.valid("query").since)),
  )
  .get("/destinations", async (c) => c.json(await listDestinations(c.env)))
  // The two answers that hold a secret are never to be kept by a cache on the way.
  .post("/destinations", requireJson, validate("json", createDestinationBody), async (c) =>
    c.json(await createDestination(c.env, c.req.valid("json"), actorOf(c)), 201, { "Cache-Control": "no-store" }),
  )
  .get("/destinations/:id", async (c) => c.json(await destinationDetail(c.env, c.req.param("id"))))
  .patch("/destinations/:id", requireJson, validate("json", updateDestinationBody), async (c) =>
    c.json(await changeDestination(c.env, c.req.param("id"), c.req.valid("json"), actorOf(c))),
  )
  .delete("/destinations/:id", async (c) => {
    await removeDestination(c.env, c.req.param("id"), actorOf(c));
    return c.body(null, 204);
  })
  .post("/destinations/:id/rotate-secret", async (c) =>
    c.json(await rotateDestinationSecret(c.env, c.req.param("id"), actorOf(c)), 200, { "Cache-Control": "no-store" }),
  )
  .post("/destinations/:id/replay", requireJson, validate("json", replayBody), async (c) =>
    c.json(await replayToDestination(c.env, c.req.param("id"), c.req.valid("json"), actorOf(c), c.executionCtx), 202),
  )
  .route("/", teamRoutes);
