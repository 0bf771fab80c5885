import { redactUrl } from "../audit/audit-statement";
import { audited } from "../audit/audited";
import type { Actor } from "../auth/actor";
import { readConfig } from "../config";
import { forgetDestinations, newDestinationId, newSecret, sealSecret } from "../destinations";
import { insertDestination } from "../destinations/db/insert-destination";
import { ApiError } from "../errors/api-error";
import { destinationDetail } from "./list-destinations";
import type { CreateDestinationRequest } from "./query-schemas";
import type { CreatedDestination } from "./response-schemas";

/**
 * Creates a destination with a fresh signing secret, sealed in D1 with DESTINATIONS_KEY; the
 * answer is the one place the secret is ever shown. 503 `destinations_not_configured` without a key.
 */
export async function createDestination(
  env: Env,
  request: CreateDestinationRequest,
  by: Actor,
  now = new Date(),
): Promise<CreatedDestination> {
  const id = newDestinationId(now.getTime());
  const changes = { name: request.name, url: redactUrl(request.url), filter: request.filter };
  const entry = { actor: by, action: "destination.create", target: id, changes } as const;
  return audited(env.DB, entry, async (audit) => {
    const keys = readConfig(env).secrets.DESTINATIONS_KEY;
    if (keys.length === 0) throw new ApiError("destinations_not_configured");
    const secret = newSecret();
    const row = {
      id,
      name: request.name,
      url: request.url,
      filter: request.filter === null ? null : JSON.stringify(request.filter),
      sealedSecret: await sealSecret(keys, id, secret),
      at: now.toISOString(),
    };
    await insertDestination(env.DB, row, audit.statement());
    forgetDestinations(env);
    return { ...(await destinationDetail(env, id)), secret };
  });
}
