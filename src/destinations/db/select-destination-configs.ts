/** A destination's configuration columns as stored (secrets still sealed). */
export interface DestinationConfigRow {
  no: number;
  id: string;
  name: string;
  url: string | null;
  filter: string | null;
  paused: number;
  secret: string | null;
  previous_secret: string | null;
  previous_secret_until: string | null;
}

/** Every destination not deleted, `default` (no = 1) first: what the consumer forwards to, in one statement. */
export async function selectDestinationConfigs(db: D1Database): Promise<DestinationConfigRow[]> {
  const { results } = await db
    .prepare(
      `SELECT no, id, name, url, filter, paused, secret, previous_secret, previous_secret_until
       FROM destinations WHERE deleted_at IS NULL ORDER BY no`,
    )
    .all<DestinationConfigRow>();
  return results;
}
