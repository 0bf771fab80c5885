import * as v from "valibot";
import { toUtcIso } from "./to-utc-iso";

/** A carrier timestamp string, validated and turned into UTC ISO 8601 (`...T14:08:06.000Z`). */
export const carrierTime = v.pipe(
  v.string(),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const iso = toUtcIso(dataset.value);
    if (iso === null) {
      addIssue({
        message: `Invalid timestamp: expected a date and time with a time zone, got "${dataset.value.slice(0, 40)}"`,
      });
      return NEVER;
    }
    return iso;
  }),
);
