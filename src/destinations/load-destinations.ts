import { readConfig } from "../config";
import type { Destination } from "./destination";
import type { Filter } from "./filter";

// Provisional (branch dest-core): the dest-api branch owns this file and replaces it on merge. It
// reads the signing secret of an API destination as stored (dest-api encrypts it).

/** How long an isolate reuses what it read. */
export const DESTINATIONS_CACHE_MS = 10_000;

const cache = new WeakMap<object, { until: number; loaded: Promise<Destination[]> }>();

interface Row {
  no: number;
  id: string;
  name: string;
  url: string | null;
  filter: string | null;
  paused: number;
  secret: string | null;
}

/**
 * The destinations events go to: `default` first, only when FORWARD_URL is set, then every
 * destination created through the API and not deleted. One D1 statement, cached per isolate.
 */
export function loadDestinations(env: Env, now = Date.now()): Promise<Destination[]> {
  const hit = cache.get(env);
  if (hit && hit.until > now) return hit.loaded;
  const loaded = fromRows(env);
  cache.set(env, { until: now + DESTINATIONS_CACHE_MS, loaded });
  loaded.catch(() => {
    if (cache.get(env)?.loaded === loaded) cache.delete(env);
  });
  return loaded;
}

/** Drops this isolate's copy, so its next read sees a change at once. */
export function forgetDestinations(env: Env): void {
  cache.delete(env);
}

async function fromRows(env: Env): Promise<Destination[]> {
  const config = readConfig(env);
  const { results } = await env.DB.prepare(
    "SELECT no, id, name, url, filter, paused, secret FROM destinations WHERE deleted_at IS NULL ORDER BY no",
  ).all<Row>();
  const out: Destination[] = [];
  for (const row of results) {
    if (row.no === 1) {
      if (config.forwardUrl === null) continue;
      out.push({
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
    out.push({
      no: row.no,
      id: row.id,
      name: row.name,
      url: row.url ?? "",
      filter: row.filter === null ? null : (JSON.parse(row.filter) as Filter),
      paused: row.paused === 1,
      secrets: row.secret === null ? [] : [row.secret],
    });
  }
  return out;
}
