import * as v from "valibot";

/** Epoch milliseconds (Sendcloud's `timestamp` and `carrier_status_change_timestamp`), within Date's range. */
const epochMs = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(8_640_000_000_000_000));
const id = v.pipe(v.number(), v.integer());
// Details parcelhook only copies into `data`: a value of another type than documented becomes null
// there (the raw body keeps it) instead of refusing a status change over a side field.
const text = v.fallback(v.nullish(v.string()), null);
const flag = v.fallback(v.nullish(v.boolean()), null);
const named = v.fallback(v.nullish(v.looseObject({ code: text, name: text })), null);

export const INTEGRATION_ACTIONS = ["integration_connected", "integration_updated", "integration_deleted"] as const;
const KNOWN_ACTIONS: readonly string[] = ["parcel_status_changed", "return_created", ...INTEGRATION_ACTIONS];

/**
 * Strict on what parcelhook relies on (the action, the epoch-millisecond times, the parcel's id
 * and status id, the integration's or return's id); loose everywhere else: real parcel payloads
 * carry 60+ keys the doc's schema lacks, and their types differ from the doc's (house_number).
 */
const parcelEvent = v.looseObject({
  action: v.literal("parcel_status_changed"),
  timestamp: epochMs,
  carrier_status_change_timestamp: v.nullish(epochMs),
  parcel: v.looseObject({
    id,
    tracking_number: v.nullish(v.string()),
    status: v.looseObject({ id, message: text }),
    tracking_url: text,
    carrier: named,
    shipment: v.fallback(v.nullish(v.looseObject({ id: v.nullish(v.unknown()), name: text })), null),
    order_number: text,
    external_order_id: text,
    external_shipment_id: text,
    shipment_uuid: text,
    colli_uuid: text,
    is_return: flag,
  }),
});

const integrationEvent = v.looseObject({
  action: v.picklist(INTEGRATION_ACTIONS),
  timestamp: epochMs,
  integration: v.looseObject({ id }),
});

const returnEvent = v.looseObject({
  action: v.literal("return_created"),
  timestamp: epochMs,
  data: v.looseObject({ id }),
});

/** An action Sendcloud adds later (or its test button's) is stored as `unknown`, never refused. */
const otherEvent = v.looseObject({
  action: v.pipe(
    v.string(),
    v.nonEmpty(),
    v.check((action) => !KNOWN_ACTIONS.includes(action), "A known action without its object"),
  ),
  timestamp: epochMs,
});

export const sendcloudPayloadSchema = v.variant("action", [parcelEvent, integrationEvent, returnEvent, otherEvent]);

export type SendcloudPayload = v.InferOutput<typeof sendcloudPayloadSchema>;
export type SendcloudParcelEvent = v.InferOutput<typeof parcelEvent>;
export type SendcloudIntegrationEvent = v.InferOutput<typeof integrationEvent>;
export type SendcloudReturnEvent = v.InferOutput<typeof returnEvent>;

// The unknown-action member's `action` is any string, so TypeScript cannot narrow on it; the
// schema can (that member refuses the known actions), and these guards say so once.
export const isParcelEvent = (p: SendcloudPayload): p is SendcloudParcelEvent => p.action === "parcel_status_changed";
export const isReturnEvent = (p: SendcloudPayload): p is SendcloudReturnEvent => p.action === "return_created";
export const isIntegrationEvent = (p: SendcloudPayload): p is SendcloudIntegrationEvent =>
  (INTEGRATION_ACTIONS as readonly string[]).includes(p.action);
