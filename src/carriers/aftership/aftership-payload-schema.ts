import * as v from "valibot";

const text = v.nullish(v.string());

// Both webhook shapes (legacy and dated, see docs/carriers/aftership.md) share these names; the
// fields that moved between versions are only copied into `data`, so they are read leniently there.
const checkpoint = v.looseObject({
  checkpoint_time: text,
  tag: text,
  subtag: text,
  message: text,
});

/**
 * Strict on what parcelhook relies on (the event name, `event_id`, `ts` in Unix seconds, a `msg`
 * object), tolerant elsewhere: every object is loose, and AfterShip's Tracking model grows with
 * each webhook version.
 */
export const aftershipPayloadSchema = v.looseObject({
  event: v.pipe(v.string(), v.nonEmpty()),
  event_id: v.pipe(v.string(), v.nonEmpty()),
  is_tracking_first_tag: v.nullish(v.boolean()),
  // Seconds, not milliseconds: a value past 1e11 (year 5138) is a unit mistake, never guessed at.
  ts: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(99_999_999_999, "Invalid ts: expected Unix seconds")),
  msg: v.looseObject({
    id: text,
    tracking_number: text,
    slug: text,
    tag: text,
    subtag: text,
    subtag_message: text,
    checkpoints: v.nullish(v.array(checkpoint)),
  }),
});

export type AftershipPayload = v.InferOutput<typeof aftershipPayloadSchema>;
export type AftershipCheckpoint = v.InferOutput<typeof checkpoint>;
