import * as v from "valibot";
import { carrierTime } from "../../time/carrier-time";

const text = v.nullish(v.string());

// Loose objects: Peddler may add fields, and the raw body keeps them anyway.
export const peddlerPayloadSchema = v.looseObject({
  // The shipment's id, not the event's: many events share it.
  id: v.pipe(v.string(), v.nonEmpty()),
  carrierTrackingNumber: text,
  metaData: text,
  status: v.pipe(v.string(), v.nonEmpty()),
  location: v.nullish(v.looseObject({ lat: v.number(), lng: v.number() })),
  ts: carrierTime,
  trackingUrl: text,
  // The docs insist: an integer, not a string.
  code: v.pipe(v.number(), v.integer()),
  failedStatus: text,
  details: v.nullish(
    v.looseObject({
      lang: v.nullish(v.record(v.string(), v.looseObject({ headline: text, description: text }))),
      courierName: text,
      reason: text,
    }),
  ),
});

export type PeddlerPayload = v.InferOutput<typeof peddlerPayloadSchema>;
