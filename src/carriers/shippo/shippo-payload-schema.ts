import * as v from "valibot";

const text = v.nullish(v.string());

const place = v.nullish(v.looseObject({ city: text, state: text, zip: text, country: text }));

const trackingStatus = v.looseObject({
  object_id: text,
  object_created: text,
  object_updated: text,
  status: v.string(),
  substatus: v.nullish(v.looseObject({ code: text, text, action_required: v.nullish(v.boolean()) })),
  status_details: text,
  status_date: text,
  location: place,
});

/** Events whose `data` is a Track object (carriers-next.md 2.3). */
export const TRACK_EVENTS: ReadonlySet<string> = new Set(["track_updated"]);

/**
 * `{event, test, data}` (Shippo's `WebhookPayloadTrack`). A track event's data must be a Track with a
 * tracking number (422 and quarantine otherwise); other events (transactions, batches) are taken as
 * they come. Every object is loose: Shippo's models grow.
 */
export const shippoPayloadSchema = v.pipe(
  v.looseObject({
    event: v.pipe(v.string(), v.nonEmpty()),
    test: v.nullish(v.boolean()),
    data: v.looseObject({
      object_id: text,
      object_updated: text,
      object_created: text,
      status: v.nullish(v.unknown()),
      carrier: text,
      tracking_number: text,
      eta: text,
      metadata: text,
      servicelevel: v.nullish(v.looseObject({ token: text, name: text })),
      // A Track's is an object; a Transaction's is the bare status text ("UNKNOWN", "DELIVERED"...).
      tracking_status: v.nullish(v.union([trackingStatus, v.string()])),
    }),
  }),
  v.forward(
    v.check(
      (p) =>
        !TRACK_EVENTS.has(p.event) || (typeof p.data.tracking_number === "string" && p.data.tracking_number !== ""),
      "Invalid tracking_number: a track event must name its tracking number",
    ),
    ["data", "tracking_number"],
  ),
  v.forward(
    v.check(
      (p) => !TRACK_EVENTS.has(p.event) || typeof p.data.tracking_status !== "string",
      "Invalid tracking_status: a track event's is a TrackingStatus object",
    ),
    ["data", "tracking_status"],
  ),
);

export type ShippoPayload = v.InferOutput<typeof shippoPayloadSchema>;
export type ShippoTrackingStatus = v.InferOutput<typeof trackingStatus>;
