// Shapes of the operator core's answers. The core's result types are inferred from these, and the
// OpenAPI document is generated from them, so an answer and its description cannot drift apart.

import * as v from "valibot";
import { ROLES } from "../auth/roles";
import { CARRIERS } from "../carriers";
import { CANONICAL_STATUSES, DELIVERY_STATES, type DeliveryState, EVENT_TYPES } from "../events/normalized-event";

const issue = v.object({ path: v.string(), message: v.string() });

export const errorSchema = v.object({
  error: v.object({
    code: v.string(),
    message: v.string(),
    issues: v.optional(v.array(issue)),
    /** With `missing_role`: the role the route needs. */
    required_role: v.optional(v.picklist(ROLES)),
  }),
});

export const eventSchema = v.object({
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
});

export const eventPageSchema = v.object({ events: v.array(eventSchema), next_cursor: v.nullable(v.string()) });

export const deliverySchema = v.object({
  destination_id: v.string(),
  state: v.picklist(["queued", "retrying", "held", "delivered", "dead"]),
  attempts: v.number(),
});

export const eventDetailSchema = v.object({
  event: eventSchema,
  raw_body: v.string(),
  raw_json: v.unknown(),
  request_url: v.string(),
  duplicates: v.number(),
  seen_at: v.nullable(v.string()),
  enqueue_failed_at: v.nullable(v.string()),
  deliveries: v.pipe(
    v.array(deliverySchema),
    v.description("One per destination the event matched: its state there and the attempts made."),
  ),
  attempts: v.array(
    v.object({
      destination_id: v.pipe(v.nullable(v.string()), v.description("The destination it was forwarded to.")),
      kind: v.picklist(["forward", "dead"]),
      attempted_at: v.string(),
      http_status: v.nullable(v.number()),
      error: v.nullable(v.string()),
      duration_ms: v.nullable(v.number()),
    }),
  ),
  replays: v.array(
    v.object({
      replayed_at: v.string(),
      destination_id: v.pipe(v.nullable(v.string()), v.description("null: to every destination it matches.")),
    }),
  ),
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

const carrierStatus = v.pipe(v.nullable(v.string()), v.description("The carrier's own status, untouched."));

/** A row of the shipments list (and of its CSV). */
export const shipmentRowSchema = v.object({
  tracking_number: v.string(),
  carrier: v.picklist(CARRIERS),
  status: v.picklist(CANONICAL_STATUSES),
  carrier_status: carrierStatus,
  last_event_at: v.pipe(v.string(), v.description("The carrier's time of the event that set the status.")),
  last_event_id: v.string(),
});

export const shipmentPageSchema = v.object({
  shipments: v.array(shipmentRowSchema),
  next_cursor: v.nullable(v.string()),
});

export const shipmentSchema = v.object({
  tracking_number: v.string(),
  carrier: v.picklist(CARRIERS),
  status: v.nullable(v.picklist(CANONICAL_STATUSES)),
  carrier_status: v.nullable(v.string()),
  last_event_at: v.nullable(v.string()),
  timeline: v.array(eventSchema),
});

const counts = v.record(v.string(), v.number());
/** Every delivery state, also those with no events (so `held` is always there to read). */
const stateCounts = v.object(
  Object.fromEntries(DELIVERY_STATES.map((s) => [s, v.number()])) as Record<DeliveryState, v.NumberSchema<undefined>>,
);
export const statsSchema = v.object({
  since: v.string(),
  events: v.object({
    total: v.number(),
    by_carrier: counts,
    by_type: counts,
    by_status: counts,
    by_state: stateCounts,
  }),
  events_per_hour: v.array(v.object({ hour: v.string(), carrier: v.string(), count: v.number() })),
  rejections: v.object({
    total: v.number(),
    by_reason: v.array(v.object({ status: v.number(), code: v.string(), carrier: v.string(), count: v.number() })),
    per_hour: v.array(v.object({ hour: v.string(), count: v.number() })),
  }),
  shipments: v.pipe(
    v.object({
      total: v.number(),
      by_carrier_status: v.array(
        v.object({ carrier: v.picklist(CARRIERS), status: v.picklist(CANONICAL_STATUSES), count: v.number() }),
      ),
    }),
    v.description("Every shipment's current canonical status, counted per carrier (not limited by `since`)."),
  ),
  storage: v.object({
    bytes: v.pipe(v.nullable(v.number()), v.description("The database's size as D1 reports it.")),
    budget_bytes: v.pipe(v.number(), v.description("STORAGE_BUDGET_BYTES.")),
    oldest_event_at: v.pipe(v.nullable(v.string()), v.description("`received_at` of the oldest stored event.")),
  }),
});

const filterOut = v.pipe(
  v.nullable(
    v.object({
      carriers: v.optional(v.array(v.picklist(CARRIERS))),
      statuses: v.optional(v.array(v.picklist(CANONICAL_STATUSES))),
      types: v.optional(v.array(v.picklist(EVENT_TYPES))),
    }),
  ),
  v.description("An event matches when it is in every list given; null: every event."),
);

export const DELIVERY_COUNT_STATES = ["queued", "retrying", "held", "delivered", "dead"] as const;

/** A destination as listed: configuration, health and counts, never a secret. */
export const destinationSchema = v.object({
  id: v.pipe(v.string(), v.description("`default` (FORWARD_URL) or `dst_` + ULID.")),
  name: v.string(),
  url: v.string(),
  filter: filterOut,
  paused: v.boolean(),
  health: v.picklist(["up", "down", "refusing"]),
  counts: v.object(
    Object.fromEntries(DELIVERY_COUNT_STATES.map((s) => [s, v.number()])) as Record<
      (typeof DELIVERY_COUNT_STATES)[number],
      v.NumberSchema<undefined>
    >,
  ),
  last_success_at: v.nullable(v.string()),
  last_failure: v.nullable(
    v.object({ at: v.string(), http_status: v.nullable(v.number()), error: v.nullable(v.string()) }),
  ),
});
export const destinationListSchema = v.object({ destinations: v.array(destinationSchema) });
const secretOut = v.pipe(
  v.string(),
  v.description("`whsec_` + base64 of 32 random bytes: shown this once, store it where the receiver verifies."),
);
export const createdDestinationSchema = v.object({ ...destinationSchema.entries, secret: secretOut });
export const rotatedSecretSchema = v.object({ secret: secretOut });

export type ApiEvent = v.InferOutput<typeof eventSchema>;
export type EventPage = v.InferOutput<typeof eventPageSchema>;
export type EventDetail = v.InferOutput<typeof eventDetailSchema>;
export type ReplayedOne = v.InferOutput<typeof replayedOneSchema>;
export type DeliveryDetail = v.InferOutput<typeof deliverySchema>;
export type Replayed = v.InferOutput<typeof replayedSchema>;
export type QuarantinedDelivery = v.InferOutput<typeof quarantinedSchema>;
export type QuarantinePage = v.InferOutput<typeof quarantinePageSchema>;
export type Retried = v.InferOutput<typeof retriedSchema>;
export type ShipmentRow = v.InferOutput<typeof shipmentRowSchema>;
export type ShipmentPage = v.InferOutput<typeof shipmentPageSchema>;
export type Shipment = v.InferOutput<typeof shipmentSchema>;
export type Stats = v.InferOutput<typeof statsSchema>;
export type ApiDestination = v.InferOutput<typeof destinationSchema>;
export type DestinationList = v.InferOutput<typeof destinationListSchema>;
export type CreatedDestination = v.InferOutput<typeof createdDestinationSchema>;
export type RotatedSecret = v.InferOutput<typeof rotatedSecretSchema>;
