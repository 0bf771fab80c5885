import * as v from "valibot";
import { dpdEventTime } from "./dpd-pl-event-time";

const text = v.optional(v.string());
const digits = v.pipe(v.string(), v.regex(/^\d{1,19}$/, "not a number"));

const eventData = v.looseObject({ code: text, description: text, value: text });

/**
 * A `customerEventV2` as dpdRecordValue reads it (carriers-next.md 5.3): every leaf a string.
 * Loose: DPD may add elements. `objectId`, `operationType` and `eventTime` are what identity and
 * time need; an `INSERT` also needs its `waybill` (a `CANCEL` comes with an empty one).
 */
export const dpdPlPayloadSchema = v.pipe(
  v.looseObject({
    id: v.optional(digits),
    objectId: digits,
    operationType: v.picklist(["INSERT", "CANCEL"]),
    eventTime: v.pipe(
      v.string(),
      v.check((t) => dpdEventTime(t) !== null, "not a DPD event time (yyyy-mm-ddThh:mm:ss[.fff])"),
    ),
    businessCode: text,
    waybill: text,
    description: text,
    country: text,
    depot: text,
    packageReference: text,
    parcelReference: text,
    eventDataList: v.optional(v.array(eventData)),
  }),
  v.check((p) => p.operationType !== "INSERT" || (p.waybill ?? "") !== "", "an INSERT needs its waybill"),
);

export type DpdPlPayload = v.InferOutput<typeof dpdPlPayloadSchema>;
