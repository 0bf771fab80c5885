import * as v from "valibot";
import { CARRIERS } from "../carriers";
import { filterSchema } from "../destinations/filter";
import { CANONICAL_STATUSES, DELIVERY_STATES, EVENT_TYPES } from "../events/normalized-event";
import { type Cursor, decodeCursor, EVENT_KEY, QUARANTINE_KEY, SHIPMENT_KEY } from "./cursor";

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

/** A UTC ISO 8601 time, normalized so it compares as text with the stored times. */
export function isoTime(description: string) {
  return v.pipe(
    v.string(),
    v.description(description),
    v.isoTimestamp("Expected an ISO 8601 timestamp such as 2026-11-23T06:00:00Z."),
    v.transform((s) => new Date(s).toISOString()),
  );
}

export function cursorOf(keyPattern: RegExp) {
  return v.pipe(
    v.string(),
    v.description("The `next_cursor` of the previous page."),
    v.check((s) => decodeCursor(s, keyPattern) !== null, "Not a cursor this list returned."),
    v.transform((s) => decodeCursor(s, keyPattern) as Cursor),
  );
}
const cursor = cursorOf(EVENT_KEY);

/** A whole number as a query string (digits), within bounds. */
function wholeNumber(description: string, min: number, max: number) {
  return v.pipe(
    v.string(),
    v.description(description),
    v.digits("Expected a whole number."),
    v.transform(Number),
    v.number(),
    v.minValue(min, `At least ${min}.`),
    v.maxValue(max, `At most ${max}.`),
  );
}

/** A `limit` as a query string: digits, 1 to 500. */
export function limitParam(fallback: number) {
  return v.optional(wholeNumber(`Rows per page, 1 to ${MAX_LIMIT}.`, 1, MAX_LIMIT), String(fallback));
}

/** The event filters shared by the list, the bulk replay and the dashboard. */
export const eventFilterEntries = {
  carrier: v.optional(v.picklist(CARRIERS)),
  type: v.optional(v.picklist(EVENT_TYPES)),
  status: v.optional(v.picklist(CANONICAL_STATUSES)),
  tracking_number: v.optional(v.pipe(v.string(), v.nonEmpty(), v.maxLength(200))),
  since: v.optional(isoTime("Events received at or after this time (UTC ISO 8601).")),
  until: v.optional(isoTime("Events received before this time (UTC ISO 8601).")),
  state: v.optional(v.picklist(DELIVERY_STATES)),
};
export const EVENT_FILTERS = Object.keys(eventFilterEntries) as (keyof typeof eventFilterEntries)[];

export const listEventsQuery = v.strictObject({
  ...eventFilterEntries,
  limit: limitParam(DEFAULT_LIMIT),
  cursor: v.optional(cursor),
});
export type ListEventsQuery = v.InferOutput<typeof listEventsQuery>;
export type EventFilter = Pick<ListEventsQuery, keyof typeof eventFilterEntries>;

export const REPLAY_MAX = 500;

/**
 * POST /api/replay as JSON: the list's filters plus paging through more than one call's worth.
 * Whether it names a filter at all is the core's rule (bulkReplay), not this schema's.
 */
export const replayBody = v.strictObject({
  ...eventFilterEntries,
  limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(REPLAY_MAX)), REPLAY_MAX),
  cursor: v.optional(cursor),
});
/** The dashboard's bulk-replay form: the same, as form strings. */
export const replayForm = v.strictObject({
  ...eventFilterEntries,
  limit: limitParam(REPLAY_MAX),
  cursor: v.optional(cursor),
});
export type BulkReplayRequest = v.InferOutput<typeof replayBody>;

export const pageQuery = v.strictObject({
  carrier: v.optional(v.picklist(CARRIERS)),
  limit: limitParam(DEFAULT_LIMIT),
  cursor: v.optional(cursorOf(QUARANTINE_KEY)),
});
export type QuarantineQuery = v.InferOutput<typeof pageQuery>;

export const sinceQuery = v.strictObject({
  since: v.optional(isoTime("Count from this time (UTC ISO 8601); default: 24 hours ago.")),
});

export const shipmentQuery = v.strictObject({ carrier: v.optional(v.picklist(CARRIERS)) });

/** Shipments that are not finished: what `quiet_for_hours` looks at. */
export const FINISHED_STATUSES = ["delivered", "cancelled"] as const;

/**
 * The statuses of the way every parcel goes: each shipment passes each of them, so a page of one is a
 * short walk in list order. events_status_received and shipments_status_last_event hold only the
 * others, the exceptions an operator looks for (migrations/0011); a query spells their WHERE
 * (`NOT IN` these, `COMMON_STATUSES_SQL`) to use them.
 */
export const COMMON_STATUSES = ["pending", "picked_up", "in_transit", "out_for_delivery", "delivered"] as const;
export const COMMON_STATUSES_SQL = `status NOT IN (${COMMON_STATUSES.map((s) => `'${s}'`).join(", ")})`;
/** Whether every status of a filter is an exception (so the partial index holds them all). */
export const onlyExceptions = (statuses: readonly string[]) =>
  statuses.every((s) => !(COMMON_STATUSES as readonly string[]).includes(s));

export const listShipmentsQuery = v.strictObject({
  carrier: v.optional(v.picklist(CARRIERS)),
  status: v.optional(
    v.pipe(
      v.string(),
      v.description("Canonical statuses, comma-separated (e.g. `delivery_failed,on_hold`)."),
      v.transform((s) => s.split(",").map((part) => part.trim())),
      v.array(v.picklist(CANONICAL_STATUSES, `Expected canonical statuses: ${CANONICAL_STATUSES.join(", ")}.`)),
      v.transform((list) => [...new Set(list)]),
    ),
  ),
  quiet_for_hours: v.optional(
    wholeNumber(
      `Shipments not ${FINISHED_STATUSES.join(" or ")} whose last carrier event is older than this many hours.`,
      1,
      87_600,
    ),
  ),
  updated_since: v.optional(isoTime("Shipments whose state parcelhook changed at or after this time (UTC ISO 8601).")),
  limit: limitParam(DEFAULT_LIMIT),
  cursor: v.optional(cursorOf(SHIPMENT_KEY)),
  format: v.optional(v.picklist(["json", "csv"]), "json"),
});
export type ListShipmentsQuery = v.InferOutput<typeof listShipmentsQuery>;
export type ShipmentFilter = Pick<ListShipmentsQuery, "carrier" | "status" | "quiet_for_hours" | "updated_since">;

const destinationName = v.pipe(
  v.string(),
  v.trim(),
  v.nonEmpty("Give the destination a name."),
  v.maxLength(100, "At most 100 characters."),
);
const destinationUrl = v.pipe(
  v.string(),
  v.trim(),
  v.maxLength(2048, "At most 2048 characters."),
  v.url("Expected an absolute URL."),
  v.check((s) => /^https?:\/\//i.test(s), "Expected an http or https URL."),
);

/** POST /api/destinations: a name, an http(s) URL and an optional filter (absent, null or `{}`: every event). */
export const createDestinationBody = v.strictObject({
  name: destinationName,
  url: destinationUrl,
  filter: v.optional(v.nullable(filterSchema), null),
});
export type CreateDestinationRequest = v.InferOutput<typeof createDestinationBody>;

/** PATCH /api/destinations/{id}: any of these; `default` takes only `paused`. */
export const updateDestinationBody = v.strictObject({
  name: v.optional(destinationName),
  url: v.optional(destinationUrl),
  filter: v.optional(v.nullable(filterSchema)),
  paused: v.optional(v.boolean()),
});
export type UpdateDestinationRequest = v.InferOutput<typeof updateDestinationBody>;

/** POST /api/events/{id}/replay: optionally to one destination only. */
export const replayOneBody = v.strictObject({
  destination_id: v.optional(
    v.pipe(v.string(), v.nonEmpty(), v.maxLength(100), v.description("Replay to this destination only.")),
  ),
});
