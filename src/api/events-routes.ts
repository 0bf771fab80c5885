import { Hono } from "hono";
import { describeRoute, resolver } from "hono-openapi";
import type { AppEnv } from "../app-env";
import { rowToEvent } from "../db/row-to-event";
import { ApiError } from "../errors/api-error";
import { nextCursor } from "./cursor";
import { getEventDetail } from "./db/get-event-detail";
import { listEvents } from "./db/list-events";
import { presentEvent, presentEventDetail } from "./present";
import { listEventsQuery, replayBody } from "./query-schemas";
import { replayEvent, replayEvents } from "./replay-events";
import { errorSchema, eventDetailSchema, eventPageSchema, replayedOneSchema, replayedSchema } from "./response-schemas";
import { requireJson, validate } from "./validate";

const json = (schema: Parameters<typeof resolver>[0], description: string) => ({
  description,
  content: { "application/json": { schema: resolver(schema) } },
});
const notFound = { 404: json(errorSchema, "No event with this id") };

export const eventRoutes = new Hono<AppEnv>();

eventRoutes.get(
  "/events",
  describeRoute({
    summary: "List events, newest first, with filters and cursor paging",
    description: "`since` (inclusive) and `until` (exclusive) apply to `received_at`.",
    responses: { 200: json(eventPageSchema, "One page of events") },
  }),
  validate("query", listEventsQuery),
  async (c) => {
    const { limit, cursor, ...filter } = c.req.valid("query");
    const page = await listEvents(c.env.DB, filter, { limit, cursor });
    return c.json({
      events: page.rows.map(presentEvent),
      next_cursor: nextCursor(page, (r) => r.seq),
    });
  },
);

eventRoutes.get(
  "/events/:id",
  describeRoute({
    summary: "One event with its raw body, forward attempts and replay history",
    responses: { 200: json(eventDetailSchema, "The event"), ...notFound },
  }),
  async (c) => {
    const found = await getEventDetail(c.env.DB, c.req.param("id"));
    if (!found) throw new ApiError("not_found", undefined, "No event with this id.");
    return c.json(presentEventDetail(found.row, found.history));
  },
);

eventRoutes.post(
  "/events/:id/replay",
  describeRoute({
    summary: "Queue the same event (same id) again",
    responses: { 202: json(replayedOneSchema, "Queued again"), ...notFound },
  }),
  async (c) => {
    const eventId = await replayEvent(c.env, c.req.param("id"));
    return c.json({ status: "queued" as const, event_id: eventId }, 202);
  },
);

eventRoutes.post(
  "/replay",
  describeRoute({
    summary: "Replay every event matching a filter (at most 500 per call)",
    description:
      "Takes the list's filters as JSON (at least one). Replays up to `limit` (default and maximum 500) " +
      "events, newest first; when more match, call again with the answer's `next_cursor` as `cursor`.",
    responses: { 202: json(replayedSchema, "How many were queued again") },
  }),
  requireJson,
  validate("json", replayBody),
  async (c) => {
    const { limit, cursor, ...filter } = c.req.valid("json");
    const page = await listEvents(c.env.DB, filter, { limit, cursor });
    await replayEvents(c.env, page.rows.map(rowToEvent));
    return c.json(
      {
        replayed: page.rows.length,
        next_cursor: nextCursor(page, (r) => r.seq),
      },
      202,
    );
  },
);
