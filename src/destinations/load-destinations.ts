import { readConfig } from "../config";
import { type DestinationConfigRow, selectDestinationConfigs } from "./db/select-destination-configs";
import type { Destination } from "./destination";
import type { Filter } from "./filter";
import { openSecret } from "./secret-box";

/**
 * How long an isolate reuses what it read: a pause, resume, new destination, deletion or rotation
 * reaches a running consumer within this time (the API's own isolate forgets at once).
 */
export const DESTINATIONS_CACHE_MS = 10_000;

/** A destination that cannot be forwarded to as configured; named in /health. */
export interface DestinationProblem {
  id: string;
  message: string;
}

export interface LoadedDestinations {
  destinations: Destination[];
  problems: DestinationProblem[];
}

const cache = new WeakMap<object, { until: number; loaded: Promise<LoadedDestinations> }>();

/**
 * The destinations events go to: `default` first, only when FORWARD_URL is set (with
 * FORWARD_SIGNING_SECRET, unfiltered, paused as its row says), then every destination created
 * through the API and not deleted, oldest first, with their secrets decrypted. One D1 statement,
 * at most once per DESTINATIONS_CACHE_MS per isolate.
 */
export async function loadDestinations(env: Env): Promise<Destination[]> {
  return (await readDestinations(env)).destinations;
}

/** loadDestinations with what could not be used (a secret that does not decrypt), for /health. */
export function readDestinations(env: Env, now = Date.now()): Promise<LoadedDestinations> {
  const hit = cache.get(env);
  if (hit && hit.until > now) return hit.loaded;
  const loaded = fromRows(env, now);
  cache.set(env, { until: now + DESTINATIONS_CACHE_MS, loaded });
  // A failed read is not kept: the next call reads again.
  loaded.catch(() => {
    if (cache.get(env)?.loaded === loaded) cache.delete(env);
  });
  return loaded;
}

/** Whether this isolate holds a copy read less than DESTINATIONS_CACHE_MS ago (loadDestinations would not read D1). */
export function destinationsCached(env: Env, now = Date.now()): boolean {
  const hit = cache.get(env);
  return hit !== undefined && hit.until > now;
}

/** Drops this isolate's copy, so its next read sees a change at once (the API calls it after each write). */
export function forgetDestinations(env: Env): void {
  cache.delete(env);
}

async function fromRows(env: Env, now: number): Promise<LoadedDestinations> {
  const config = readConfig(env);
  const keys = config.secrets.DESTINATIONS_KEY;
  const rows = await selectDestinationConfigs(env.DB);
  const destinations: Destination[] = [];
  const problems: DestinationProblem[] = [];
  for (const row of rows) {
    if (row.no === 1) {
      if (config.forwardUrl === null) continue;
      destinations.push({
        no: 1,
        id: row.id,
        name: row.name,
        url: config.forwardUrl,
        filter: null,
        paused: row.paused === 1,
        secrets: config.signingSecret === null ? [] : [config.signingSecret],
      });
      continue;
    }
    const secrets = await rowSecrets(keys, row, now);
    if (secrets === null) {
      problems.push({
        id: row.id,
        message:
          keys.length === 0
            ? "DESTINATIONS_KEY is not set, so its signing secret cannot be read: nothing is sent there"
            : "its signing secret does not decrypt with any DESTINATIONS_KEY value: nothing is sent there",
      });
    }
    destinations.push({
      no: row.no,
      id: row.id,
      name: row.name,
      url: row.url ?? "",
      filter: row.filter === null ? null : (JSON.parse(row.filter) as Filter),
      paused: row.paused === 1,
      secrets: secrets ?? [],
    });
  }
  return { destinations, problems };
}

/**
 * The current secret, then the previous one while it still signs. Null when either does not
 * decrypt: signing with only some of the promised keys could fail a receiver mid-rotation, so
 * such a destination gets nothing (never an unsigned request) until it is fixed.
 */
async function rowSecrets(keys: readonly string[], row: DestinationConfigRow, now: number): Promise<string[] | null> {
  if (row.secret === null) return null;
  const current = await openSecret(keys, row.id, row.secret);
  if (current === null) return null;
  const previousSigns =
    row.previous_secret !== null && row.previous_secret_until !== null && Date.parse(row.previous_secret_until) > now;
  if (!previousSigns) return [current];
  const previous = await openSecret(keys, row.id, row.previous_secret as string);
  return previous === null ? null : [current, previous];
}
