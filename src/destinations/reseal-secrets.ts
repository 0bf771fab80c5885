import { readConfig } from "../config";
import { resealSecret } from "./db/reseal-secret";
import { selectDestinationConfigs } from "./db/select-destination-configs";
import { forgetDestinations } from "./load-destinations";
import { openSecretWith, sealSecret } from "./secret-box";

/** Destinations re-sealed per cron run at most (one batch of writes); the rest follow on the next runs. */
export const RESEAL_PER_RUN = 50;

export interface Resealed {
  /** Destinations whose secrets were re-sealed under the first DESTINATIONS_KEY value this run. */
  resealed: number;
  /** Destinations still sealed under an older value (beyond this run's bound). */
  left: number;
}

/**
 * The cron's step of a DESTINATIONS_KEY rotation (docs/destinations.md): while the list holds more
 * than one value, every destination secret that opens only with an older value is sealed again
 * under the first, so the older value can be dropped without stopping any destination. The
 * secrets themselves do not change (no receiver notices). One read of the destinations (a small
 * table) and one batch of guarded writes; nothing at all while DESTINATIONS_KEY is one value.
 */
export async function resealSecrets(env: Env): Promise<Resealed> {
  const keys = readConfig(env).secrets.DESTINATIONS_KEY;
  // With one value every secret that opens is sealed under it already.
  if (keys.length < 2) return { resealed: 0, left: 0 };
  const writes: D1PreparedStatement[] = [];
  let left = 0;
  for (const row of await selectDestinationConfigs(env.DB)) {
    if (row.no === 1) continue; // `default` signs with FORWARD_SIGNING_SECRET: nothing sealed
    const secret = await resealed(keys, row.id, row.secret);
    const previous = await resealed(keys, row.id, row.previous_secret);
    if (secret === undefined && previous === undefined) continue;
    if (writes.length === RESEAL_PER_RUN) {
      left++;
      continue;
    }
    writes.push(
      resealSecret(
        env.DB,
        row.id,
        { secret: row.secret, previous: row.previous_secret },
        { secret: secret ?? row.secret, previous: previous ?? row.previous_secret },
      ),
    );
  }
  if (writes.length === 0) return { resealed: 0, left };
  const results = await env.DB.batch(writes);
  forgetDestinations(env);
  const resealedRows = results.filter((r) => (r.meta.changes ?? 0) > 0).length;
  console.log(JSON.stringify({ msg: "destination_secrets_resealed", resealed: resealedRows, left }));
  return { resealed: resealedRows, left };
}

/** `stored` sealed again under the first key when only an older key opens it; undefined: leave it as it is. */
async function resealed(keys: readonly string[], id: string, stored: string | null): Promise<string | undefined> {
  if (stored === null) return undefined;
  const opened = await openSecretWith(keys, id, stored);
  // Sealed under the first key already, or opens with none (nothing to carry over: /health names it).
  if (opened === null || opened.key === 0) return undefined;
  return sealSecret(keys, id, opened.secret);
}
