// Shapes of the API's answers, for the OpenAPI document only (answers are built by present.ts).
import * as v from "valibot";
import { CANONICAL_STATUSES, CARRIERS, DELIVERY_STATES, EVENT_TYPES } from "../events/normalized-event";

const issue = v.object({ path: v.string(), message: v.string() });

export const errorSchema = v.pipe(
  v.object({ error: v.object({ code: v.string(), message: v.string(), issues: v.optional(v.array(issue)) }) }),
  v.metadata({ ref: "Error" }),
);

export const eventSchema = v.pipe(
  v.object({
    id: v.string(),
    carrier: v.picklist(CARRIERS),
    type: v.picklist(EVENT_TYPES),
    occurred_at: v.string(),
    received_at: v.string(),
    tracking_number: v.nullable(v.string()),
    carrier_reference: v.nullable(v.string()),
    status: v.nullable(v.picklist(CANONICAL_STATUSES)),
    carrier_status: v.nullable(v.string()),
    reason: v.nullable(v.string()),
    data: v.record(v.string(), v.unknown()),
    state: v.picklist(DELIVERY_STATES),
  }),
  v.metadata({ ref: "Event" }),
);

export const eventPageSchema = v.object({ events: v.array(eventSchema), next_cursor: v.nullable(v.string()) });

export const eventDetailSchema = v.object({
  event: eventSchema,
  raw_body: v.string(),
  raw_json: v.unknown(),
  request_url: v.string(),
  duplicates: v.number(),
  seen_at: v.nullable(v.string()),
  enqueue_failed_at: v.nullable(v.string()),
  attempts: v.array(
    v.object({
      kind: v.picklist(["forward", "dead"]),
      attempted_at: v.string(),
      http_status: v.nullable(v.number()),
      error: v.nullable(v.string()),
      duration_ms: v.nullable(v.number()),
    }),
  ),
  replays: v.array(v.object({ replayed_at: v.string() })),
});

export const replayedOneSchema = v.object({ status: v.literal("queued"), event_id: v.string() });
export const replayedSchema = v.object({ replayed: v.number(), next_cursor: v.nullable(v.string()) });

const quarantinedSchema = v.object({
  id: v.string(),
  carrier: v.string(),
  received_at: v.string(),
  request_url: v.string(),
  issues: v.array(issue),
  raw_body: v.string(),
  raw_json: v.unknown(),
  resolved_event_id: v.nullable(v.string()),
  resolved_at: v.nullable(v.string()),
});
export const quarantinePageSchema = v.object({
  deliveries: v.array(quarantinedSchema),
  next_cursor: v.nullable(v.string()),
});
export const retriedSchema = v.object({ event: eventSchema, duplicate: v.boolean() });

export const shipmentSchema = v.object({
  tracking_number: v.string(),
  carrier: v.picklist(CARRIERS),
  status: v.nullable(v.picklist(CANONICAL_STATUSES)),
  carrier_status: v.nullable(v.string()),
  last_event_at: v.nullable(v.string()),
  timeline: v.array(eventSchema),
});

const counts = v.record(v.string(), v.number());
export const statsSchema = v.object({
  since: v.string(),
  events: v.object({ total: v.number(), by_carrier: counts, by_type: counts, by_status: counts, by_state: counts }),
  events_per_hour: v.array(v.object({ hour: v.string(), carrier: v.string(), count: v.number() })),
  rejections: v.object({
    total: v.number(),
    by_reason: v.array(v.object({ status: v.number(), code: v.string(), carrier: v.string(), count: v.number() })),
    per_hour: v.array(v.object({ hour: v.string(), count: v.number() })),
  }),
});
