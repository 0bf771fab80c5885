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

export interface ShipmentCountRow {
  carrier: string;
  status: string;
  n: number;
}

export interface Counted {
  events: EventCountRow[];
  hours: HourCountRow[];
  rejections: RejectionCountRow[];
  shipments: ShipmentCountRow[];
  oldestEventAt: string | null;
  /** The database's size in bytes as D1 reports it with a result (`meta.size_after`). */
  sizeBytes: number | null;
}

/**
 * Everything the stats need, in one batch: events since a time grouped by every dimension at once
 * (one range scan of events_received; the per-dimension sums are taken in code), events per hour
 * and carrier, rejected requests per hour, carrier and answer, every shipment's current status per
 * carrier (a scan of the covering index shipments_status_last_event), and the oldest event.
 */
export async function countSince(db: D1Database, since: string): Promise<Counted> {
  const sinceHour = `${since.slice(0, 13)}:00:00Z`;
  const [events, hours, rejections, shipments, oldest] = await db.batch([
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
    db.prepare("SELECT carrier, status, count(*) AS n FROM shipments GROUP BY status, carrier"),
    db.prepare("SELECT min(received_at) AS at FROM events"),
  ]);
  const size = (oldest?.meta as { size_after?: unknown } | undefined)?.size_after;
  return {
    events: (events?.results ?? []) as EventCountRow[],
    hours: (hours?.results ?? []) as HourCountRow[],
    rejections: (rejections?.results ?? []) as RejectionCountRow[],
    shipments: (shipments?.results ?? []) as ShipmentCountRow[],
    oldestEventAt: (oldest?.results[0] as { at: string | null } | undefined)?.at ?? null,
    sizeBytes: typeof size === "number" ? size : null,
  };
}
