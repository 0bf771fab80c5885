import type { CanonicalStatus } from "../../events/normalized-event";

// Every label state before cancellation: the parcel has a label and has not left yet.
const LABEL: Record<string, CanonicalStatus> = {
  creating: "pending",
  created: "pending",
  manifesting: "pending",
  manifested: "pending",
  cancelling: "pending",
  cancelled: "cancelled",
};

const CANCEL_LABEL: Record<string, CanonicalStatus | null> = {
  // Asked for, not done: the label is still valid, so the shipment's status does not change.
  cancelling: null,
  cancelled: "cancelled",
};

/**
 * The shipment status a Postmen event implies, or null when it implies none: job events (rates,
 * manifests, bulk downloads, unknown events) and label jobs that did not succeed. A failed job
 * says the API call failed, not what became of a parcel, so it must not overwrite a shipment's
 * status; its outcome is in `reason` and `data.meta`. An unlisted label status is `unknown`.
 */
export function postmenStatus(
  event: string,
  labelStatus: string | null | undefined,
  succeeded: boolean,
): CanonicalStatus | null {
  if (!succeeded) return null;
  const table = event === "create_a_label" ? LABEL : event === "cancel_a_label" ? CANCEL_LABEL : null;
  if (table === null) return null;
  if (labelStatus != null && Object.hasOwn(table, labelStatus)) return table[labelStatus] as CanonicalStatus | null;
  return "unknown";
}
