import * as v from "valibot";

const text = v.nullish(v.string());

const trackEvent = v.looseObject({
  occurred_at: text,
  carrier_occurred_at: text,
  description: text,
  city_locality: text,
  state_province: text,
  postal_code: text,
  country_code: text,
  signer: text,
  event_code: text,
  status_code: text,
  status_detail_code: text,
});

/** The resource types whose `data` is a tracking update (ShipStation v2 and legacy ShipEngine). */
export const TRACK_TYPES: ReadonlySet<string> = new Set(["TRACK_EVENT_V2", "API_TRACK"]);

const trackData = v.looseObject({
  tracking_number: v.pipe(v.string(), v.nonEmpty()),
  status_code: v.pipe(v.string(), v.nonEmpty()),
  status_detail_code: text,
  status_description: text,
  status_detail_description: text,
  carrier_code: text,
  carrier_id: v.nullish(v.union([v.number(), v.string()])),
  carrier_detail_code: text,
  carrier_status_code: text,
  carrier_status_description: text,
  tracking_url: text,
  ship_date: text,
  estimated_delivery_date: text,
  actual_delivery_date: text,
  exception_description: text,
  events: v.nullish(v.array(trackEvent)),
});

/**
 * `{resource_url, resource_type, data}` (carriers-next.md 1.3). A tracking resource's `data` must name
 * its tracking number and status code (422 and quarantine otherwise); other resource types (batches,
 * rates, reports...) are taken as they come. Objects are loose: ShipEngine adds fields.
 */
export const shipenginePayloadSchema = v.variant("resource_type", [
  v.looseObject({
    resource_type: v.picklist(["TRACK_EVENT_V2", "API_TRACK"]),
    resource_url: text,
    data: trackData,
  }),
  v.looseObject({
    // Not a tracking type: a tracking resource whose data is not valid must be refused, not taken as "other".
    resource_type: v.pipe(
      v.string(),
      v.nonEmpty(),
      v.check((t) => !TRACK_TYPES.has(t)),
    ),
    resource_url: text,
    data: v.nullish(v.unknown()),
  }),
]);

export type ShipenginePayload = v.InferOutput<typeof shipenginePayloadSchema>;
export type ShipengineTrackData = v.InferOutput<typeof trackData>;
export type ShipengineTrackEvent = v.InferOutput<typeof trackEvent>;
