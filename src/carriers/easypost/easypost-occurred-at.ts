import { toUtcIso } from "../../time/to-utc-iso";

interface Dated {
  datetime?: string | null;
}

interface Times {
  created_at?: string | null;
  updated_at?: string | null;
  result: { updated_at?: unknown; tracking_details?: readonly Dated[] | null };
}

/**
 * The tracking detail with the newest `datetime`, by instant rather than by position (EasyPost
 * may give a detail its local offset); of equal instants, the later one in the list. A datetime
 * without a zone is passed over rather than guessed.
 */
export function newestTrackingDetail<D extends Dated>(
  details: readonly D[] | null | undefined,
): { detail: D; at: string } | null {
  let newest: { detail: D; at: string } | null = null;
  for (const detail of details ?? []) {
    const at = utc(detail.datetime);
    // Same-format UTC ISO strings order as their instants do.
    if (at !== null && (newest === null || at >= newest.at)) newest = { detail, at };
  }
  return newest;
}

/**
 * carriers-more.md "Times": the newest `tracking_details[].datetime`, else `result.updated_at`.
 * Only a Tracker has details; other events' results have only `updated_at`. The envelope's
 * `updated_at`, then `created_at`, come last (the 2022 batch fixture has neither, other events may
 * lack a result time). Null: no usable time at all, which the schema refuses.
 */
export function easypostOccurredAt(p: Times): string | null {
  return (
    newestTrackingDetail(p.result.tracking_details)?.at ??
    utc(p.result.updated_at) ??
    utc(p.updated_at) ??
    utc(p.created_at)
  );
}

function utc(value: unknown): string | null {
  return typeof value === "string" ? toUtcIso(value) : null;
}
