import type { EventType } from "../../events/normalized-event";

const BY_EVENT: Record<string, EventType> = {
  calculate_rates: "rates.calculated",
  create_a_label: "label.created",
  cancel_a_label: "label.cancelled",
  manifest_a_label: "manifest.created",
  create_a_bulk_download: "bulk_download.created",
};

/** An event name Postmen adds later is stored as `unknown` (keeping its name), never refused. */
export function postmenEventType(event: string): EventType {
  return Object.hasOwn(BY_EVENT, event) ? (BY_EVENT[event] as EventType) : "unknown";
}
