// PROVISIONAL (branch dest-api): dest-core owns src/delivery/ and provides this function with the
// same name and signature; theirs replaces this file on merge.

export type DeliveryCounts = Record<"queued" | "retrying" | "held" | "delivered" | "dead", number>;

/** Deliveries per destination (`destinations.no`) and state. */
export async function countDeliveries(db: D1Database): Promise<Map<number, DeliveryCounts>> {
  const { results } = await db
    .prepare("SELECT destination_no, state, COUNT(*) AS n FROM deliveries GROUP BY destination_no, state")
    .all<{ destination_no: number; state: keyof DeliveryCounts; n: number }>();
  const out = new Map<number, DeliveryCounts>();
  for (const r of results) {
    const counts = out.get(r.destination_no) ?? { queued: 0, retrying: 0, held: 0, delivered: 0, dead: 0 };
    if (r.state in counts) counts[r.state] = r.n;
    out.set(r.destination_no, counts);
  }
  return out;
}
