import * as v from "valibot";
import { CANONICAL_STATUSES, CARRIERS, DELIVERY_STATES, EVENT_TYPES } from "../events/normalized-event";
import { type Cursor, decodeCursor, EVENT_KEY, QUARANTINE_KEY } from "./cursor";

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

/** A UTC ISO 8601 time, normalized so it compares as text with the stored `received_at`. */
function isoTime(description: string) {
  return v.pipe(
    v.string(),
    v.description(description),
    v.isoTimestamp("Expected an ISO 8601 timestamp such as 2026-11-23T06:00:00Z."),
    v.transform((s) => new Date(s).toISOString()),
  );
}

function cursorOf(keyPattern: RegExp) {
  return v.pipe(
    v.string(),
    v.description("The `next_cursor` of the previous page."),
    v.check((s) => decodeCursor(s, keyPattern) !== null, "Not a cursor this list returned."),
    v.transform((s) => decodeCursor(s, keyPattern) as Cursor),
  );
}
const cursor = cursorOf(EVENT_KEY);

/** A `limit` as a query string: digits, 1 to 500. */
const limitParam = v.optional(
  v.pipe(
    v.string(),
    v.description(`Events per page, 1 to ${MAX_LIMIT}.`),
    v.digits("Expected a whole number."),
    v.transform(Number),
    v.number(),
    v.minValue(1, "At least 1."),
    v.maxValue(MAX_LIMIT, `At most ${MAX_LIMIT}.`),
  ),
  String(DEFAULT_LIMIT),
);

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

export const listEventsQuery = v.strictObject({ ...eventFilterEntries, limit: limitParam, cursor: v.optional(cursor) });
export type ListEventsQuery = v.InferOutput<typeof listEventsQuery>;
export type EventFilter = Pick<ListEventsQuery, keyof typeof eventFilterEntries>;

export const REPLAY_MAX = 500;

/** POST /api/replay: the list's filters (at least one), plus paging through more than one call's worth. */
export const replayBody = v.pipe(
  v.strictObject({
    ...eventFilterEntries,
    limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(REPLAY_MAX)), REPLAY_MAX),
    cursor: v.optional(cursor),
  }),
  v.check(
    (b) => Object.keys(eventFilterEntries).some((k) => b[k as keyof typeof eventFilterEntries] !== undefined),
    "Name at least one filter (to replay everything, pass `since`).",
  ),
);

export const pageQuery = v.strictObject({
  carrier: v.optional(v.picklist(CARRIERS)),
  limit: limitParam,
  cursor: v.optional(cursorOf(QUARANTINE_KEY)),
});

export const sinceQuery = v.strictObject({
  since: v.optional(isoTime("Count from this time (UTC ISO 8601); default: 24 hours ago.")),
});

export const shipmentQuery = v.strictObject({ carrier: v.optional(v.picklist(CARRIERS)) });
