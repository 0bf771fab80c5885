import { redactUrl } from "../audit/audit-statement";
import { type Audit, audited } from "../audit/audited";
import type { Actor } from "../auth/actor";
import { forgetDestinations } from "../destinations";
import type { DestinationChanges } from "../destinations/db/update-destination";
import { updateDestination } from "../destinations/db/update-destination";
import { ApiError } from "../errors/api-error";
import { DEFAULT_ID, destinationDetail, noSuchDestination } from "./list-destinations";
import type { UpdateDestinationRequest } from "./query-schemas";
import type { ApiDestination } from "./response-schemas";

/**
 * Changes any of a destination's name, URL, filter and paused flag. `default` is FORWARD_URL and
 * FORWARD_SIGNING_SECRET from the configuration: it takes only `paused` (409 `managed_by_config`).
 */
export async function changeDestination(
  env: Env,
  id: string,
  request: UpdateDestinationRequest,
  by: Actor,
  now = new Date(),
): Promise<ApiDestination> {
  // Pausing and resuming are their own actions (an `operate` key may do them); any other field is an update.
  const onlyPaused = Object.keys(request).every((k) => k === "paused") && request.paused !== undefined;
  const action = onlyPaused ? (request.paused ? "destination.pause" : "destination.resume") : "destination.update";
  const changes = request.url === undefined ? { ...request } : { ...request, url: redactUrl(request.url) };
  return audited(env.DB, { actor: by, action, target: id, changes }, (audit) =>
    applyChanges(env, id, request, audit, now),
  );
}

async function applyChanges(
  env: Env,
  id: string,
  request: UpdateDestinationRequest,
  audit: Audit,
  now: Date,
): Promise<ApiDestination> {
  if (id === DEFAULT_ID) {
    const managed = Object.keys(request).filter((k) => k !== "paused");
    if (managed.length > 0) {
      throw new ApiError(
        "managed_by_config",
        managed.map((k) => ({ path: k, message: "Set by the configuration (FORWARD_URL, FORWARD_SIGNING_SECRET)." })),
      );
    }
    // Without FORWARD_URL there is no `default` to pause.
    await destinationDetail(env, id);
  }
  const changes: DestinationChanges = {};
  if (request.name !== undefined) changes.name = request.name;
  if (request.url !== undefined) changes.url = request.url;
  if (request.filter !== undefined) changes.filter = request.filter === null ? null : JSON.stringify(request.filter);
  if (request.paused !== undefined) changes.paused = request.paused;
  if (!(await updateDestination(env.DB, id, changes, now.toISOString(), audit.statement("changed"))))
    throw noSuchDestination();
  forgetDestinations(env);
  return destinationDetail(env, id);
}
