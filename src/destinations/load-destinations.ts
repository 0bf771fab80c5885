import { readConfig } from "../config";
import { type DestinationConfigRow, selectDestinationConfigs } from "./db/select-destination-configs";
import type { Destination } from "./destination";
import type { Filter } from "./filter";
import { openSecretWith } from "./secret-box";

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
  /**
   * Destinations whose secrets open only with an older DESTINATIONS_KEY value (not the first):
   * they still sign, but dropping that value now would stop them. The cron re-seals them
   * (resealSecrets); /health names them until it has.
   */
  warnings: DestinationProblem[];
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

/**
 * loadDestinations with what could not be used (a secret that does not decrypt) and what is still
 * sealed under an older key, for /health.
 */
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
  const warnings: DestinationProblem[] = [];
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
    const opened = await rowSecrets(keys, row, now);
    if (opened.problem !== null) problems.push({ id: row.id, message: opened.problem });
    if (opened.olderKey) {
      warnings.push({
        id: row.id,
        message:
          "its signing secret is sealed under an older DESTINATIONS_KEY value: keep that value until the cron has re-sealed it under the first (within a minute)",
      });
    }
    destinations.push({
      no: row.no,
      id: row.id,
      name: row.name,
      url: row.url ?? "",
      filter: row.filter === null ? null : (JSON.parse(row.filter) as Filter),
      paused: row.paused === 1,
      secrets: opened.secrets,
    });
  }
  return { destinations, problems, warnings };
}

interface RowSecrets {
  /** Every key that opens, current first: never fewer than open (signing with none stops the destination). */
  secrets: string[];
  /** What does not open, for /health; null when every key it should sign with opens. */
  problem: string | null;
  /** A secret opened only with an older DESTINATIONS_KEY value. */
  olderKey: boolean;
}

/**
 * The current secret, then the previous one while it still signs, each only when it opens. One
 * that does not open is left out and named in /health, and the destination signs with what opens:
 * a receiver that holds an opened key still verifies (Standard Webhooks: any signature may match),
 * where signing with nothing would stop every delivery there. None at all: nothing is sent
 * (never an unsigned request).
 */
async function rowSecrets(keys: readonly string[], row: DestinationConfigRow, now: number): Promise<RowSecrets> {
  const current = row.secret === null ? null : await openSecretWith(keys, row.id, row.secret);
  const previousSigns =
    row.previous_secret !== null && row.previous_secret_until !== null && Date.parse(row.previous_secret_until) > now;
  const previous = previousSigns ? await openSecretWith(keys, row.id, row.previous_secret as string) : null;
  const secrets = [current, previous].flatMap((s) => (s === null ? [] : [s.secret]));
  const unreadable =
    keys.length === 0
      ? "DESTINATIONS_KEY is not set, so its signing secret cannot be read"
      : "its signing secret does not decrypt with any DESTINATIONS_KEY value";
  let problem: string | null = null;
  if (secrets.length === 0) problem = `${unreadable}: nothing is sent there`;
  else if (current === null) {
    problem = `${unreadable}: it signs with its previous secret only, until ${row.previous_secret_until}; rotate it to repair`;
  } else if (previousSigns && previous === null) {
    problem =
      "its previous signing secret does not decrypt with any DESTINATIONS_KEY value: it signs with its current one only";
  }
  return { secrets, problem, olderKey: (current?.key ?? 0) > 0 || (previous?.key ?? 0) > 0 };
}
