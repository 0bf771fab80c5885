/** Counts a rejected webhook request per hour, carrier and answer: the stats show a carrier whose secret changed. */
export async function recordRejection(
  db: D1Database,
  r: { at: Date; carrier: string; status: number; code: string },
): Promise<void> {
  const hour = `${r.at.toISOString().slice(0, 13)}:00:00Z`;
  await db
    .prepare(
      `INSERT INTO rejections (hour, carrier, status, code, count) VALUES (?1, ?2, ?3, ?4, 1)
       ON CONFLICT (hour, carrier, status, code) DO UPDATE SET count = count + 1`,
    )
    .bind(hour, r.carrier, r.status, r.code)
    .run();
}
