import { Hono } from "hono";
import { describeRoute, resolver } from "hono-openapi";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors/api-error";
import type { CanonicalStatus, CarrierName } from "../events/normalized-event";
import { nextCursor } from "./cursor";
import { getEvent } from "./db/get-event";
import { getShipment } from "./db/get-shipment";
import { listQuarantine } from "./db/list-quarantine";
import { presentEvent, presentQuarantine } from "./present";
import { pageQuery, shipmentQuery, sinceQuery } from "./query-schemas";
import { errorSchema, quarantinePageSchema, retriedSchema, shipmentSchema, statsSchema } from "./response-schemas";
import { retryQuarantined } from "./retry-quarantined";
import { stats } from "./stats";
import { validate } from "./validate";

const json = (schema: Parameters<typeof resolver>[0], description: string) => ({
  description,
  content: { "application/json": { schema: resolver(schema) } },
});

export const otherRoutes = new Hono<AppEnv>();

otherRoutes.get(
  "/quarantine",
  describeRoute({
    summary: "Deliveries that failed validation, newest first, with their issues and raw body",
    responses: { 200: json(quarantinePageSchema, "One page of quarantined deliveries") },
  }),
  validate("query", pageQuery),
  async (c) => {
    const q = c.req.valid("query");
    const page = await listQuarantine(c.env.DB, q);
    return c.json({
      deliveries: page.rows.map(presentQuarantine),
      next_cursor: nextCursor(page, (r) => r.id),
    });
  },
);

otherRoutes.post(
  "/quarantine/:id/retry",
  describeRoute({
    summary: "Validate a quarantined delivery again (after a schema fix)",
    responses: {
      200: json(retriedSchema, "It is valid now: stored and queued like a new delivery"),
      404: json(errorSchema, "No such quarantined delivery"),
      422: json(errorSchema, "Still invalid: the issues"),
    },
  }),
  async (c) => {
    const accepted = await retryQuarantined(c.env, c.executionCtx, c.req.param("id"));
    const row = await getEvent(c.env.DB, accepted.eventId);
    if (!row) throw new ApiError("internal_error");
    return c.json({ event: presentEvent(row), duplicate: accepted.duplicate });
  },
);

otherRoutes.get(
  "/shipments/:tracking_number",
  describeRoute({
    summary: "A shipment's current status and its timeline in carrier time order",
    responses: { 200: json(shipmentSchema, "The shipment"), 404: json(errorSchema, "No such shipment") },
  }),
  validate("query", shipmentQuery),
  async (c) => {
    const trackingNumber = c.req.param("tracking_number");
    const { shipment, timeline } = await getShipment(c.env.DB, trackingNumber, c.req.valid("query").carrier);
    const newest = timeline[timeline.length - 1];
    if (!shipment && !newest) throw new ApiError("not_found", undefined, "No shipment with this tracking number.");
    return c.json({
      tracking_number: trackingNumber,
      carrier: (shipment?.carrier ?? newest?.carrier) as CarrierName,
      // From `shipments` (kept by the queue consumer): null until the consumer has seen a status.
      status: (shipment?.status ?? null) as CanonicalStatus | null,
      carrier_status: shipment?.carrier_status ?? null,
      last_event_at: shipment?.last_event_at ?? null,
      timeline: timeline.map(presentEvent),
    });
  },
);

otherRoutes.get(
  "/stats",
  describeRoute({
    summary: "Counts by carrier, type, status and delivery state, and rejected requests by reason",
    responses: { 200: json(statsSchema, "Counts since `since` (default: the last 24 hours)") },
  }),
  validate("query", sinceQuery),
  async (c) => c.json(await stats(c.env.DB, c.req.valid("query").since)),
);
