import type { DeliveryCounts } from "../delivery/db/count-deliveries";
import type { Filter } from "../destinations";
import type { DestinationRow } from "../destinations/db/select-destination-rows";
import type { ApiDestination } from "./response-schemas";

const NO_DELIVERIES: DeliveryCounts = { queued: 0, retrying: 0, held: 0, delivered: 0, dead: 0 };

/** A destination row as the API answers it; `default`'s URL is FORWARD_URL. Never a secret. */
export function presentDestination(
  row: DestinationRow,
  counts: DeliveryCounts | undefined,
  forwardUrl: string | null,
): ApiDestination {
  return {
    id: row.id,
    name: row.name,
    url: (row.no === 1 ? forwardUrl : row.url) ?? "",
    filter: row.filter === null ? null : (JSON.parse(row.filter) as Filter as ApiDestination["filter"]),
    paused: row.paused === 1,
    health: row.health as ApiDestination["health"],
    counts: { ...NO_DELIVERIES, ...counts },
    last_success_at: row.last_success_at,
    last_failure:
      row.last_failure_at === null
        ? null
        : { at: row.last_failure_at, http_status: row.last_failure_status, error: row.last_failure_error },
  };
}
