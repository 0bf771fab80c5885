export interface EventCountRow {
  carrier: string;
  type: string;
  status: string | null;
  state: string;
  n: number;
}

export interface HourCountRow {
  hour: string;
  carrier: string;
  n: number;
}

export interface RejectionCountRow {
  hour: string;
  carrier: string;
  status: number;
  code: string;
  n: number;
}

/**
 * Everything the stats need since a time, in one batch: events grouped by every dimension at once
 * (one range scan of events_received; the per-dimension sums are taken in code), events per hour
 * and carrier, and rejected requests per hour, carrier and answer.
 */
export async function countSince(
  db: D1Database,
  since: string,
): Promise<{ events: EventCountRow[]; hours: HourCountRow[]; rejections: RejectionCountRow[] }> {
  const sinceHour = `${since.slice(0, 13)}:00:00Z`;
  const [events, hours, rejections] = await db.batch([
    db
      .prepare(
        `SELECT carrier, type, status, state, count(*) AS n FROM events WHERE received_at >= ?1
         GROUP BY carrier, type, status, state`,
      )
      .bind(since),
    db
      .prepare(
        `SELECT substr(received_at, 1, 13) || ':00:00Z' AS hour, carrier, count(*) AS n FROM events
         WHERE received_at >= ?1 GROUP BY 1, 2 ORDER BY 1`,
      )
      .bind(since),
    db
      .prepare(
        `SELECT hour, carrier, status, code, sum(count) AS n FROM rejections WHERE hour >= ?1
         GROUP BY hour, carrier, status, code ORDER BY hour`,
      )
      .bind(sinceHour),
  ]);
  return {
    events: (events?.results ?? []) as EventCountRow[],
    hours: (hours?.results ?? []) as HourCountRow[],
    rejections: (rejections?.results ?? []) as RejectionCountRow[],
  };
}
