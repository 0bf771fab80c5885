/** The cheapest statement D1 must answer: health's proof that the database is reachable. */
export async function ping(db: D1Database): Promise<void> {
  await db.prepare("SELECT 1").first();
}
