import type { Filter } from "./filter";

/** Whether a destination with this filter receives the event: it must be in every list given (null: every event). */
export function matchesFilter(
  event: { carrier: string; status: string | null; type: string },
  filter: Filter | null,
): boolean {
  if (filter === null) return true;
  if (filter.carriers && !filter.carriers.includes(event.carrier)) return false;
  // An event without a shipment status (stock, rates, ...) is in no list of statuses.
  if (filter.statuses && (event.status === null || !filter.statuses.includes(event.status))) return false;
  if (filter.types && !filter.types.includes(event.type)) return false;
  return true;
}
