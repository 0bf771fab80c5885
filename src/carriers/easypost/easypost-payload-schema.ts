import * as v from "valibot";
import { easypostOccurredAt } from "./easypost-occurred-at";

const text = v.nullish(v.string());
// A key that may be missing, of any type: read only when it is a string.
const anything = v.optional(v.unknown());
const nonEmpty = v.pipe(v.string(), v.nonEmpty());
const NO_TIME =
  "No usable time: no `result.tracking_details[].datetime`, `result.updated_at`, `updated_at` or `created_at` with a time zone";
const isTrackerEvent = (description: string) => description.startsWith("tracker.");

const trackingDetail = v.looseObject({
  datetime: text,
  message: text,
  status: text,
  status_detail: text,
  tracking_location: v.nullish(v.looseObject({ city: text, state: text, country: text, zip: text })),
});

// The Event envelope (carriers-more.md 4.4). Loose objects throughout: EasyPost adds fields, and
// the raw body keeps them anyway. The 2022 fixture sends `previous_attributes` and
// `completed_urls` as null and no envelope times at all, so only `id` and `description` are required.
const envelope = {
  id: nonEmpty,
  object: text,
  mode: text,
  created_at: text,
  updated_at: text,
  previous_attributes: v.nullish(v.looseObject({ status: anything })),
};

/** A `tracker.*` event: its `result` is a Tracker, the one EasyPost object with a shipment status. */
const trackerEvent = v.pipe(
  v.looseObject({
    ...envelope,
    description: v.pipe(v.string(), v.check(isTrackerEvent)),
    result: v.looseObject({
      id: nonEmpty,
      tracking_code: text,
      status: nonEmpty,
      status_detail: text,
      carrier: text,
      public_url: text,
      est_delivery_date: text,
      signed_by: text,
      shipment_id: text,
      is_return: v.nullish(v.boolean()),
      updated_at: text,
      tracking_details: v.nullish(v.array(trackingDetail)),
    }),
  }),
  v.check((p) => easypostOccurredAt(p) !== null, NO_TIME),
);

/**
 * Any other event (`batch.*`, `shipment.invoice.*`, refunds, ...): its `result` is some other
 * object whose shape parcelhook does not rely on (a Batch's `status` is an object of counts, not
 * a string), so only its times and ids are read, and only when they are strings.
 */
const otherEvent = v.pipe(
  v.looseObject({
    ...envelope,
    // Never a tracker event: one that fails the Tracker checks must not pass as "other".
    description: v.pipe(
      nonEmpty,
      v.check((d) => !isTrackerEvent(d)),
    ),
    result: v.looseObject({ id: anything, object: anything, tracking_code: anything, updated_at: anything }),
  }),
  v.check((p) => easypostOccurredAt(p) !== null, NO_TIME),
);

export const easypostPayloadSchema = v.variant("description", [trackerEvent, otherEvent]);

export type EasypostPayload = v.InferOutput<typeof easypostPayloadSchema>;
export type EasypostTrackerEvent = v.InferOutput<typeof trackerEvent>;

export function isEasypostTrackerEvent(p: EasypostPayload): p is EasypostTrackerEvent {
  return isTrackerEvent(p.description);
}
