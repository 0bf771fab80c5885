import { audited } from "../audit/audited";
import type { Actor } from "../auth/actor";
import { forgetDestinations } from "../destinations";
import { deleteDestination } from "../destinations/db/delete-destination";
import { ApiError } from "../errors/api-error";
import { DEFAULT_ID, noSuchDestination } from "./list-destinations";

/** Deletes a destination: nothing more is sent there; its events and deliveries stay. `default`: 409. */
export async function removeDestination(env: Env, id: string, by: Actor, now = new Date()): Promise<void> {
  await audited(env.DB, { actor: by, action: "destination.delete", target: id }, async (audit) => {
    if (id === DEFAULT_ID) {
      throw new ApiError("managed_by_config", undefined, "The destination `default` is FORWARD_URL: unset it to stop.");
    }
    if (!(await deleteDestination(env.DB, id, now.toISOString(), audit.statement("changed"))))
      throw noSuchDestination();
    forgetDestinations(env);
  });
}
