import { type Audit, audited } from "../audit/audited";
import type { Actor } from "../auth/actor";
import { readConfig } from "../config";
import { forgetDestinations, newSecret, openSecret, sealSecret } from "../destinations";
import { rotateSecret, selectSealedSecret } from "../destinations/db/rotate-secret";
import { ApiError } from "../errors/api-error";
import { DEFAULT_ID, noSuchDestination } from "./list-destinations";
import type { RotatedSecret } from "./response-schemas";

/** How long the replaced secret keeps signing beside the new one, so a receiver can switch keys. */
export const PREVIOUS_SECRET_SIGNS_MS = 24 * 60 * 60 * 1000;

/**
 * A new signing secret, shown this once; the old one also signs for 24 hours. `default`'s key is
 * FORWARD_SIGNING_SECRET (409 `managed_by_config`). Both secrets are written sealed under the
 * first DESTINATIONS_KEY value. A current secret that no longer decrypts (DESTINATIONS_KEY lost) is
 * dropped rather than kept signing: rotating is how such a destination is repaired.
 */
export async function rotateDestinationSecret(
  env: Env,
  id: string,
  by: Actor,
  now = new Date(),
): Promise<RotatedSecret> {
  // The row says a rotation happened, never the secret.
  return audited(env.DB, { actor: by, action: "destination.rotate_secret", target: id }, (audit) =>
    rotate(env, id, audit, now),
  );
}

async function rotate(env: Env, id: string, audit: Audit, now: Date): Promise<RotatedSecret> {
  if (id === DEFAULT_ID) {
    throw new ApiError(
      "managed_by_config",
      undefined,
      "The destination `default` signs with FORWARD_SIGNING_SECRET: change it there.",
    );
  }
  const keys = readConfig(env).secrets.DESTINATIONS_KEY;
  if (keys.length === 0) throw new ApiError("destinations_not_configured");
  const secret = newSecret();
  const sealedSecret = await sealSecret(keys, id, secret);
  // Two rotations at once: the one that wrote second reads again, so the secret it keeps signing
  // is the one it replaces, never an older one.
  for (let tries = 0; tries < 3; tries++) {
    const sealed = await selectSealedSecret(env.DB, id);
    if (sealed === undefined) throw noSuchDestination();
    const current = sealed === null ? null : await openSecret(keys, id, sealed);
    const outcome = await rotateSecret(
      env.DB,
      id,
      {
        replaced: sealed,
        sealedSecret,
        // Re-sealed under the first key: once the older DESTINATIONS_KEY value is dropped, the
        // previous secret still opens and signs its 24 hours.
        sealedPrevious: current === null ? null : await sealSecret(keys, id, current),
        previousUntil: new Date(now.getTime() + PREVIOUS_SECRET_SIGNS_MS).toISOString(),
        at: now.toISOString(),
      },
      // Written only by the try that rotates: a try lost to another rotation leaves no row.
      audit.statement("if-changed"),
    );
    if (outcome === "gone") throw noSuchDestination();
    if (outcome === "rotated") {
      forgetDestinations(env);
      return { secret };
    }
  }
  // Three rotations lost in a row to others: nothing was changed, and the caller may retry.
  throw new ApiError(
    "storage_unavailable",
    undefined,
    "The destination's secret was being rotated by other requests at the same time; nothing was changed, retry later.",
  );
}
