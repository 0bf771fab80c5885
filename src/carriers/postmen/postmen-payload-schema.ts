import * as v from "valibot";
import { carrierTime } from "../../time/carrier-time";

const text = v.nullish(v.string());
const eventName = v.pipe(v.string(), v.nonEmpty());
const idRef = v.looseObject({ id: text });

/**
 * Strict on what parcelhook relies on (an event name, a parseable `date_time`, the job outcome's
 * `meta.code`, a `data` object with an `id`), tolerant elsewhere: Postmen's examples leave most
 * fields null, and loose objects keep whatever else it sends (the raw body keeps it anyway).
 */
export const postmenPayloadSchema = v.pipe(
  v.looseObject({
    // The seed's pages call it `event`, newer pages `event_type`: either will do.
    event: v.optional(eventName),
    event_type: v.optional(eventName),
    date_time: carrierTime,
    meta: v.looseObject({
      code: v.pipe(v.number(), v.integer()),
      message: text,
      details: v.nullish(v.array(v.unknown())),
      retryable: v.nullish(v.boolean()),
    }),
    data: v.looseObject({
      id: v.pipe(v.string(), v.nonEmpty()),
      status: text,
      created_at: text,
      updated_at: text,
      tracking_numbers: v.nullish(v.array(v.string())),
      rates: v.nullish(v.array(v.unknown())),
      files: v.nullish(v.unknown()),
      rate: v.nullish(v.unknown()),
      references: v.nullish(v.array(v.unknown())),
      shipper_account: v.nullish(v.unknown()),
      service_type: text,
      ship_date: text,
      label: v.nullish(idRef),
      labels: v.nullish(v.array(v.unknown())),
      invalid_labels: v.nullish(v.array(v.unknown())),
    }),
  }),
  // Runs even when other fields failed, so one 422 lists every problem.
  v.rawCheck(({ dataset, addIssue }) => {
    const value = dataset.value;
    if (typeof value !== "object" || value === null) return;
    const { event, event_type } = value as Record<string, unknown>;
    if (event === undefined && event_type === undefined) {
      addIssue({ message: "Missing event name: expected `event` or `event_type`", path: pathTo(value, "event") });
    } else if (typeof event === "string" && typeof event_type === "string" && event !== event_type) {
      // Two names for one field: when they disagree, which event this is cannot be known.
      addIssue({ message: "`event` and `event_type` name different events", path: pathTo(value, "event_type") });
    }
  }),
);

export type PostmenPayload = v.InferOutput<typeof postmenPayloadSchema>;

/** The event's name, under whichever key Postmen used (the schema guarantees one). */
export function postmenEventName(p: PostmenPayload): string {
  return p.event ?? p.event_type ?? "";
}

function pathTo(input: object, key: string): [v.ObjectPathItem] {
  return [
    {
      type: "object",
      origin: "value",
      input: input as Record<string, unknown>,
      key,
      value: (input as Record<string, unknown>)[key],
    },
  ];
}
