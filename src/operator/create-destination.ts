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
  now = new Date(),
): Promise<CreatedDestination> {
  const keys = readConfig(env).secrets.DESTINATIONS_KEY;
  if (keys.length === 0) throw new ApiError("destinations_not_configured");
  const id = newDestinationId(now.getTime());
  const secret = newSecret();
  await insertDestination(env.DB, {
    id,
    name: request.name,
    url: request.url,
    filter: request.filter === null ? null : JSON.stringify(request.filter),
    sealedSecret: await sealSecret(keys, id, secret),
    at: now.toISOString(),
  });
  forgetDestinations(env);
  return { ...(await destinationDetail(env, id)), secret };
}
