import * as v from "valibot";
import { carrierTime } from "../../time/carrier-time";

const text = v.nullish(v.string());
const required = v.pipe(v.string(), v.nonEmpty());
// `location` and `newDestination` are kept as sent: their fields are detail, never worth a 422.
const place = v.nullish(v.looseObject({}));

/**
 * One `Shipment.Tracking` event. Strict on what parcelhook relies on (identity, code, tracking
 * number, a time with a zone); loose objects everywhere, so a field InPost adds (which, by its
 * versioning rules, does not make a new version) is kept in the raw body and never refused.
 * `returnToSender` and `newDestination` are absent from InPost's own signed sample: optional.
 */
export const inpostGlobalPayloadSchema = v.looseObject({
  customerReference: text,
  trackingNumber: required,
  eventId: required,
  eventCode: required,
  // Up to nine fraction digits (`...40.111968200Z`): kept to the millisecond, truncated.
  timestamp: carrierTime,
  location: place,
  delivery: v.nullish(v.looseObject({ recipientName: text, deliveryNotes: text })),
  shipment: v.nullish(v.looseObject({ type: text })),
  returnToSender: v.nullish(v.looseObject({ trackingNumber: text })),
  newDestination: place,
});

export type InpostGlobalPayload = v.InferOutput<typeof inpostGlobalPayloadSchema>;
