import { STATE_CODE } from "../delivery-state";

/** A destination's deliveries by state, as `GET /api/destinations` shows them. */
export type DeliveryCounts = Record<"queued" | "retrying" | "held" | "delivered" | "dead", number>;

const COUNTED = ["queued", "retrying", "held", "delivered", "dead"] as const;

/**
 * countDeliveries' statement (test/index-plans.test.ts and bench:indexes explain it). CROSS JOIN
 * keeps the destinations outside: delivery_counts also holds deleted destinations' rows.
 */
export const COUNT_DELIVERIES_SQL = `SELECT c.destination_no AS no, c.state, c.n FROM destinations s
  CROSS JOIN delivery_counts c ON c.destination_no = s.no
  WHERE s.deleted_at IS NULL AND c.state <> ${STATE_CODE.dropped} AND c.n > 0`;

/**
 * Every destination's deliveries by state, in one statement: `no` → counts (a destination without
 * deliveries is absent; count it as zeros). Reads delivery_counts (migrations/0013, kept by
 * triggers on every write to `deliveries`): a primary-key range per destination not deleted, the
 * same cost with a thousand deliveries kept or ten million.
 */
export async function countDeliveries(db: D1Database): Promise<Map<number, DeliveryCounts>> {
  const { results } = await db.prepare(COUNT_DELIVERIES_SQL).all<{ no: number; state: number; n: number }>();
  const out = new Map<number, DeliveryCounts>();
  for (const r of results) {
    const counts = out.get(r.no) ?? { queued: 0, retrying: 0, held: 0, delivered: 0, dead: 0 };
    const name = COUNTED[r.state - 1];
    if (name !== undefined) counts[name] += r.n;
    out.set(r.no, counts);
  }
  return out;
}
