import * as v from "valibot";
import { CARRIERS } from "../carriers";
import { CANONICAL_STATUSES, EVENT_TYPES } from "../events/normalized-event";

/** Which events a destination receives: an event matches when it is in every list given. */
export type Filter = { carriers?: string[]; statuses?: string[]; types?: string[] };

/** A non-empty list of known values, without repeats. An empty list would silently match nothing. */
function listOf(values: readonly string[], what: string) {
  return v.optional(
    v.pipe(
      v.array(v.picklist(values, `Expected ${what}: ${values.join(", ")}.`)),
      v.minLength(1, `Give at least one of the ${what}, or leave the list out.`),
      v.transform((list) => [...new Set(list)]),
    ),
  );
}

/**
 * A destination's filter as an operator sends it. Values come from the registries (carriers,
 * canonical statuses, event types), so an unknown one is a 400 with its issue; `{}` means "every
 * event" and is stored as no filter (null).
 */
export const filterSchema = v.pipe(
  v.strictObject({
    carriers: listOf(CARRIERS, "carriers"),
    statuses: listOf(CANONICAL_STATUSES, "canonical statuses"),
    types: listOf(EVENT_TYPES, "event types"),
  }),
  v.description("Each list is optional; an event matches when it is in every list given. `{}` or null: every event."),
  v.transform((f): Filter | null => {
    const out: Filter = {};
    if (f.carriers) out.carriers = f.carriers;
    if (f.statuses) out.statuses = f.statuses;
    if (f.types) out.types = f.types;
    return Object.keys(out).length === 0 ? null : out;
  }),
);
