/** One hour, carrier and answer of rejected webhook requests, and how many there were. */
export interface RejectionCount {
  /** `2026-11-23T06:00:00Z` */
  hour: string;
  carrier: string;
  status: number;
  code: string;
  count: number;
}

/**
 * Adds a batch of rejection counts to the `rejections` table: one statement whatever the batch's
 * size (the batch is one `json_each` parameter), so a flood of rejected requests costs D1 one
 * write per flush, not one per request.
 */
export async function recordRejections(db: D1Database, counts: RejectionCount[]): Promise<void> {
  if (counts.length === 0) return;
  await db
    .prepare(
      // `WHERE true` lets SQLite tell the upsert's ON CONFLICT from a join condition.
      `INSERT INTO rejections (hour, carrier, status, code, count)
       SELECT json_extract(value, '$.hour'), json_extract(value, '$.carrier'), json_extract(value, '$.status'),
              json_extract(value, '$.code'), json_extract(value, '$.count')
       FROM json_each(?1) WHERE true
       ON CONFLICT (hour, carrier, status, code) DO UPDATE SET count = count + excluded.count`,
    )
    .bind(JSON.stringify(counts))
    .run();
}
