import * as v from "valibot";
import { carrierTime } from "../../time/carrier-time";

const text = v.nullish(v.string());

const offerSchema = v.looseObject({
  id: v.union([v.number(), v.string()]),
  status: text,
});

// Loose objects: InPost may add fields, and the raw body keeps them anyway.
export const inpostPayloadSchema = v.pipe(
  v.looseObject({
    // `2020-03-20 15:08:06 +0100`, not ISO 8601; becomes UTC ISO here.
    event_ts: carrierTime,
    event: v.pipe(v.string(), v.nonEmpty()),
    organization_id: v.nullish(v.union([v.number(), v.string()])),
    // Older pages show `created_by_id: null` at the top level.
    created_by_id: v.nullish(v.union([v.number(), v.string()])),
    payload: v.looseObject({
      // Every InPost webhook is about one shipment; it is also half of the event's identity.
      shipment_id: v.pipe(v.number(), v.safeInteger()),
      // 24 digits today; older pages show null. Any string is kept: a new number format must not be quarantined.
      tracking_number: text,
      status: v.optional(v.pipe(v.string(), v.nonEmpty())),
      return_tracking_number: text,
      offers: v.optional(v.array(offerSchema)),
    }),
  }),
  v.forward(
    v.partialCheck(
      [["event"], ["payload", "status"]],
      (p) => p.event !== "shipment_status_changed" || p.payload.status !== undefined,
      "shipment_status_changed needs payload.status",
    ),
    ["payload", "status"],
  ),
  v.forward(
    v.partialCheck(
      [["event"], ["payload", "offers"]],
      (p) => p.event !== "offers_prepared" || p.payload.offers !== undefined,
      "offers_prepared needs payload.offers",
    ),
    ["payload", "offers"],
  ),
);

export type InpostPayload = v.InferOutput<typeof inpostPayloadSchema>;
