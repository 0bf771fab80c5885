// What each operator route takes and answers, for the OpenAPI document (generated at build time by
// `npm run openapi` into public/api/openapi.json, a static asset the Worker serves; it never loads
// this one). The
// answers are the schemas the operator core's result types are inferred from.
import type { GenericSchema, ObjectEntries, StrictObjectSchema } from "valibot";
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
import {
  createdDestinationSchema,
  destinationListSchema,
  destinationSchema,
  eventDetailSchema,
  eventPageSchema,
  quarantinePageSchema,
  replayedOneSchema,
  replayedSchema,
  retriedSchema,
  rotatedSecretSchema,
  shipmentPageSchema,
  shipmentSchema,
  statsSchema,
} from "../operator/response-schemas";
import {
  apiKeyListSchema,
  auditPageSchema,
  auditQuery,
  createdKeySchema,
  createKeyBody,
  signInFailuresQuery,
  signInFailuresSchema,
} from "../operator/team-schemas";

export interface RouteDescription {
  method: "get" | "post" | "patch" | "delete";
  /** OpenAPI style, relative to the server `/api`: `/events/{id}`. */
  path: string;
  summary: string;
  description?: string;
  query?: StrictObjectSchema<ObjectEntries, undefined>;
  body?: GenericSchema;
  /** The body may be left out (it is still JSON when sent). */
  optionalBody?: boolean;
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
    summary: "Queue the same event (same id) again, to every destination it matches or to one",
    description: "The body may be left out; with `destination_id`, only that destination is sent the event again.",
    body: replayOneBody,
    optionalBody: true,
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
  {
    method: "get",
    path: "/destinations",
    summary: "Every destination with its health and delivery counts (`default` first when FORWARD_URL is set)",
    description: "Never a secret.",
    responses: { 200: { description: "The destinations", schema: destinationListSchema } },
  },
  {
    method: "post",
    path: "/destinations",
    summary: "Create a destination; its signing secret is in this answer only",
    description:
      "The URL must be http or https; the filter's lists take the carriers, canonical statuses and event " +
      "types this receiver knows (anything else is a 400). Needs DESTINATIONS_KEY (503 " +
      "`destinations_not_configured` without it).",
    body: createDestinationBody,
    responses: {
      201: { description: "The destination, plus its `secret` (shown this once)", schema: createdDestinationSchema },
      503: { description: "`destinations_not_configured`: DESTINATIONS_KEY is not set" },
    },
  },
  {
    method: "get",
    path: "/destinations/{id}",
    summary: "One destination, as in the list",
    responses: {
      200: { description: "The destination", schema: destinationSchema },
      ...notFound("destination with this id"),
    },
  },
  {
    method: "patch",
    path: "/destinations/{id}",
    summary: "Change a destination's name, URL, filter or paused flag",
    description:
      "`paused: true` stops sending; on resume it receives what arrived meanwhile, oldest first. `filter: null` " +
      "takes every event. `default` takes only `paused` (409 `managed_by_config`).",
    body: updateDestinationBody,
    responses: {
      200: { description: "The destination", schema: destinationSchema },
      ...notFound("destination with this id"),
      409: { description: "`managed_by_config`: `default` takes only `paused`" },
    },
  },
  {
    method: "delete",
    path: "/destinations/{id}",
    summary: "Delete a destination: nothing more is sent there; its events stay",
    responses: {
      204: { description: "Deleted" },
      ...notFound("destination with this id"),
      409: { description: "`managed_by_config`: `default` is FORWARD_URL (unset it instead)" },
    },
  },
  {
    method: "post",
    path: "/destinations/{id}/rotate-secret",
    summary: "A new signing secret (shown this once); the old one also signs for 24 hours",
    responses: {
      200: { description: "The new secret", schema: rotatedSecretSchema },
      ...notFound("destination with this id"),
      409: { description: "`managed_by_config`: `default` signs with FORWARD_SIGNING_SECRET" },
    },
  },
  {
    method: "post",
    path: "/destinations/{id}/replay",
    summary: "Replay the events a filter lists to this destination only (at most 500 per call)",
    description: "The body is the bulk replay's (`/replay`); events outside the destination's own filter are skipped.",
    body: replayBody,
    responses: {
      202: { description: "How many were queued again", schema: replayedSchema },
      ...notFound("destination with this id"),
    },
  },
  {
    method: "get",
    path: "/keys",
    summary: "Every API key (revoked ones too), newest first: name, roles, when it was last used; never the key",
    responses: { 200: { description: "The keys", schema: apiKeyListSchema } },
  },
  {
    method: "post",
    path: "/keys",
    summary: "Create an API key with a name and roles; the key is in this answer only",
    description:
      "Only the key's SHA-256 is stored. Send it as `Authorization: Bearer <key>`. `last_used_at` is " +
      "recorded at most once a minute per key.",
    body: createKeyBody,
    responses: { 201: { description: "The key's record, plus `key` (shown this once)", schema: createdKeySchema } },
  },
  {
    method: "delete",
    path: "/keys/{id}",
    summary: "Revoke an API key: refused everywhere within a minute; its record stays",
    responses: { 204: { description: "Revoked" }, ...notFound("live API key with this id") },
  },
  {
    method: "get",
    path: "/audit",
    summary: "The audit log, newest first: who changed what, when, and the outcome",
    description:
      "`actor` is `admin_token`, `key:<id>` or `access:<email>`; `since` (inclusive) and `until` (exclusive) " +
      "apply to `at`. Kept for AUDIT_RETENTION_DAYS (default 365).",
    query: auditQuery,
    responses: { 200: { description: "One page of the audit log", schema: auditPageSchema } },
  },
  {
    method: "get",
    path: "/audit/sign-in-failures",
    summary: "Refused operator credentials and sign-ins, counted per hour and reason",
    query: signInFailuresQuery,
    responses: { 200: { description: "Counts per hour and reason, newest first", schema: signInFailuresSchema } },
  },
];
