import * as v from "valibot";

const text = v.nullish(v.string());

const latestStatus = v.looseObject({ status: text, sub_status: text, sub_status_descr: text });

const latestEvent = v.looseObject({
  time_iso: text,
  time_utc: text,
  description: text,
  location: text,
  stage: text,
  sub_status: text,
});

/**
 * 17TRACK v2.2 push (carriers-next.md 3.2): `{event, data: {number, carrier, param, tag, track_info}}`.
 * Strict on what the event's identity needs (the event name, the tracking number, the carrier as
 * 17TRACK's integer code), loose elsewhere: `track_info` carries much more (`time_metrics`,
 * `tracking.providers[]`) than the receiver reads, and TRACKING_STOPPED has none of it.
 */
export const track17PayloadSchema = v.looseObject({
  event: v.pipe(v.string(), v.nonEmpty()),
  data: v.looseObject({
    number: v.pipe(v.string(), v.nonEmpty()),
    carrier: v.nullish(v.pipe(v.number(), v.integer())),
    param: v.nullish(v.unknown()),
    tag: text,
    track_info: v.nullish(
      v.looseObject({
        latest_status: v.nullish(latestStatus),
        latest_event: v.nullish(latestEvent),
      }),
    ),
  }),
});

export type Track17Payload = v.InferOutput<typeof track17PayloadSchema>;
