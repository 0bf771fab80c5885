import { readConfig } from "../config";
import { countDeliveries } from "../delivery/db/count-deliveries";
import { selectDestinationRow, selectDestinationRows } from "../destinations/db/select-destination-rows";
import { ApiError } from "../errors/api-error";
import { presentDestination } from "./present-destination";
import type { ApiDestination, DestinationList } from "./response-schemas";

export const DEFAULT_ID = "default";

/** Every destination, `default` first when FORWARD_URL is set (without it, `default` does not exist). */
export async function listDestinations(env: Env): Promise<DestinationList> {
  const { forwardUrl } = readConfig(env);
  const [rows, counts] = await Promise.all([selectDestinationRows(env.DB), countDeliveries(env.DB)]);
  return {
    destinations: rows
      .filter((r) => r.no !== 1 || forwardUrl !== null)
      .map((r) => presentDestination(r, counts.get(r.no), forwardUrl)),
  };
}

/** One destination as listed; 404 `not_found` for an unknown or deleted id (and `default` without FORWARD_URL). */
export async function destinationDetail(env: Env, id: string): Promise<ApiDestination> {
  const { forwardUrl } = readConfig(env);
  const [row, counts] = await Promise.all([
    id === DEFAULT_ID && forwardUrl === null ? null : selectDestinationRow(env.DB, id),
    countDeliveries(env.DB),
  ]);
  if (!row) throw noSuchDestination();
  return presentDestination(row, counts.get(row.no), forwardUrl);
}

export function noSuchDestination(): ApiError {
  return new ApiError("not_found", undefined, "No destination with this id.");
}
