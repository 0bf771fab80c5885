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
export const OWES_DELIVERY_SQL = sqlList(OWES_DELIVERY);

/**
 * The states that owe a delivery and have a queue message on its way (a held event has none: the
 * catch-up re-queues it). The sweep's stall check and the dead-letter consumer go by these.
 */
export const IN_QUEUE = ["queued", "retrying"] as const satisfies readonly (typeof OWES_DELIVERY)[number][];
export const IN_QUEUE_SQL = sqlList(IN_QUEUE);

export function owesDelivery(state: DeliveryState): boolean {
  return (OWES_DELIVERY as readonly DeliveryState[]).includes(state);
}

/** A list of states as an SQL list literal (`('queued', 'retrying')`); states are fixed words. */
export function sqlList(states: readonly DeliveryState[]): string {
  return `(${states.map((s) => `'${s}'`).join(", ")})`;
}
