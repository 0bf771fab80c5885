/**
 * An event's delivery states (docs/consumer.md has the table of who moves it where):
 * `queued` on its way to the consumer, `retrying` after a failed forward, `held` while the
 * downstream as a whole is down, `delivered` (2xx), `dead` (retries exhausted), `stored` (no
 * FORWARD_URL).
 */
export const DELIVERY_STATES = ["queued", "retrying", "held", "delivered", "dead", "stored"] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** The states that still owe a delivery: the one definition, for TypeScript and SQL alike. */
export const OWES_DELIVERY = ["queued", "retrying", "held"] as const satisfies readonly DeliveryState[];

/** `OWES_DELIVERY` as an SQL list, for `state IN ${OWES_DELIVERY_SQL}`. */
export const OWES_DELIVERY_SQL = `(${OWES_DELIVERY.map((s) => `'${s}'`).join(", ")})`;

export function owesDelivery(state: DeliveryState): boolean {
  return (OWES_DELIVERY as readonly DeliveryState[]).includes(state);
}
