// What each operator route takes and answers, for the OpenAPI document (generated at build time by
// `npm run openapi` into public/api/openapi.json, a static asset the Worker serves; it never loads
// this one). The
// answers are the schemas the operator core's result types are inferred from.
import type { GenericSchema, ObjectEntries, StrictObjectSchema } from "valibot";
import {
  listEventsQuery,
  listShipmentsQuery,
  pageQuery,
  replayBody,
  replayOneBody,
  shipmentQuery,
  sinceQuery,
} from "../operator/query-schemas";
import {
  eventDetailSchema,
  eventPageSchema,
  quarantinePageSchema,
  replayedOneSchema,
  replayedSchema,
  retriedSchema,
  shipmentPageSchema,
  shipmentSchema,
  statsSchema,
} from "../operator/response-schemas";

export interface RouteDescription {
  method: "get" | "post";
  /** OpenAPI style, relative to the server `/api`: `/events/{id}`. */
  path: string;
  summary: string;
  description?: string;
  query?: StrictObjectSchema<ObjectEntries, undefined>;
  body?: GenericSchema;
  /** status → what it means, and its JSON schema (errors use the shared Error schema). */
  responses: Record<number, { description: string; schema?: GenericSchema; csv?: boolean }>;
}

const notFound = (what: string) => ({ 404: { description: `No ${what}` } });

export const API_ROUTES: RouteDescription[] = [
  {
    method: "get",
    path: "/events",
    summary: "List events, newest first, with filters and cursor paging",
    description: "`since` (inclusive) and `until` (exclusive) apply to `received_at`.",
    query: listEventsQuery,
    responses: { 200: { description: "One page of events", schema: eventPageSchema } },
  },
  {
    method: "get",
    path: "/events/{id}",
    summary: "One event with its raw body, its deliveries per destination, forward attempts and replay history",
    responses: { 200: { description: "The event", schema: eventDetailSchema }, ...notFound("event with this id") },
  },
  {
    method: "post",
    path: "/events/{id}/replay",
    summary: "Queue the same event (same id) again",
    description: "To the destination `destination_id` names, or (no body) to every destination the event matches now.",
    body: replayOneBody,
    responses: {
      202: { description: "Queued again", schema: replayedOneSchema },
      ...notFound("event or destination with this id"),
    },
  },
  {
    method: "post",
    path: "/replay",
    summary: "Replay every event matching a filter (at most 500 per call)",
    description:
      "Takes the list's filters as JSON; at least one must be set (`limit` and `cursor` page, they do not " +
      "filter; to replay everything, pass `since`). Replays up to `limit` (default and maximum 500) events, " +
      "newest first; when more match, call again with the answer's `next_cursor` as `cursor`. With `state`, " +
      "only the deliveries in that state are sent again (a dead delivery to one destination is not re-sent to the others).",
    body: replayBody,
    responses: { 202: { description: "How many were queued again", schema: replayedSchema } },
  },
  {
    method: "get",
    path: "/quarantine",
    summary: "Deliveries that failed validation, newest first, with their issues and raw body",
    query: pageQuery,
    responses: { 200: { description: "One page of quarantined deliveries", schema: quarantinePageSchema } },
  },
  {
    method: "post",
    path: "/quarantine/{id}/retry",
    summary: "Validate a quarantined delivery again (after a schema fix)",
    responses: {
      200: { description: "It is valid now: stored and queued like a new delivery", schema: retriedSchema },
      ...notFound("such quarantined delivery"),
      422: { description: "Still invalid: the issues" },
    },
  },
  {
    method: "get",
    path: "/shipments",
    summary: "List shipments, newest last carrier event first, with filters and cursor paging",
    description:
      "Filters combine with AND. `status` is a comma list of canonical statuses; `quiet_for_hours=N` keeps " +
      "shipments not delivered or cancelled whose last carrier event is older than N hours; `updated_since` " +
      "keeps shipments whose state parcelhook changed at or after that time. `format=csv` answers the same " +
      'rows as CSV, with the next page in a `Link: <...>; rel="next"` header.',
    query: listShipmentsQuery,
    responses: { 200: { description: "One page of shipments (or CSV)", schema: shipmentPageSchema, csv: true } },
  },
  {
    method: "get",
    path: "/shipments/{tracking_number}",
    summary: "A shipment's current status and its timeline in carrier time order",
    query: shipmentQuery,
    responses: { 200: { description: "The shipment", schema: shipmentSchema }, ...notFound("such shipment") },
  },
  {
    method: "get",
    path: "/stats",
    summary: "Counts by carrier, type, status and delivery state, rejected requests, shipments and storage",
    query: sinceQuery,
    responses: { 200: { description: "Counts since `since` (default: the last 24 hours)", schema: statsSchema } },
  },
];
