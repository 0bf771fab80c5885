import { STATE_CODE } from "../delivery-state";

/** A destination's deliveries by state, as `GET /api/destinations` shows them. */
export type DeliveryCounts = Record<"queued" | "retrying" | "held" | "delivered" | "dead", number>;

const COUNTED = ["queued", "retrying", "held", "delivered", "dead"] as const;

/**
 * Every destination's deliveries by state, in one statement: `no` → counts (a destination without
 * deliveries is absent; count it as zeros). Reads every delivery kept (about 15 bytes each, in
 * primary-key order); retention bounds how many that is.
 */
export async function countDeliveries(db: D1Database): Promise<Map<number, DeliveryCounts>> {
  const { results } = await db
    .prepare(
      `SELECT destination_no AS no, state, count(*) AS n FROM deliveries
       WHERE state <> ${STATE_CODE.dropped} GROUP BY destination_no, state`,
    )
    .all<{ no: number; state: number; n: number }>();
  const out = new Map<number, DeliveryCounts>();
  for (const r of results) {
    const counts = out.get(r.no) ?? { queued: 0, retrying: 0, held: 0, delivered: 0, dead: 0 };
    const name = COUNTED[r.state - 1];
    if (name !== undefined) counts[name] += r.n;
    out.set(r.no, counts);
  }
  return out;
}
