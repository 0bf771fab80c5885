/**
 * An event's delivery state across its destinations, as the events list shows it (the interface
 * doc): `stored` when no destination matched it, `delivered` when every one has it, else the first
 * of `dead`, `held`, `retrying`, `queued` that one of its deliveries is in. `events.state` keeps
 * it, written in the same statements as the deliveries (`aggregateEventState`).
 */
export const DELIVERY_STATES = ["queued", "retrying", "held", "delivered", "dead", "stored"] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/**
 * One delivery's states (an event × a destination it matched), docs/consumer.md has the table of
 * who moves it where: `queued` on its way to the consumer, `retrying` after a failed forward,
 * `held` while its destination is down, refusing or paused, `delivered` (2xx), `dead` (retries
 * exhausted; replayable), `dropped` (its destination was deleted, or FORWARD_URL unset for
 * `default`: nothing is owed any more).
 */
export const DELIVERY_ROW_STATES = ["queued", "retrying", "held", "delivered", "dead", "dropped"] as const;
export type DeliveryRowState = (typeof DELIVERY_ROW_STATES)[number];

/** How `deliveries.state` stores each state: a small integer (one byte in SQLite's record). */
export const STATE_CODE: Record<DeliveryRowState, number> = {
  queued: 1,
  retrying: 2,
  held: 3,
  delivered: 4,
  dead: 5,
  dropped: 6,
};
export const stateOfCode = (code: number): DeliveryRowState =>
  DELIVERY_ROW_STATES[code - 1] ?? (`unknown ${code}` as DeliveryRowState);

/** The states that still owe a delivery: the one definition, for TypeScript and SQL alike. */
export const OWES_DELIVERY = ["queued", "retrying", "held"] as const satisfies readonly DeliveryState[];

/** `OWES_DELIVERY` as an SQL list of event states, for `events.state IN ${OWES_DELIVERY_SQL}`. */
export const OWES_DELIVERY_SQL = `(${OWES_DELIVERY.map((s) => `'${s}'`).join(", ")})`;

/**
 * The states that owe a delivery and have a queue message on its way (a held delivery has none:
 * the catch-up re-queues it). The sweep's stall check and the dead-letter consumer go by these.
 */
export const IN_QUEUE = ["queued", "retrying"] as const satisfies readonly (typeof OWES_DELIVERY)[number][];

export function owesDelivery(state: DeliveryState | DeliveryRowState): boolean {
  return (OWES_DELIVERY as readonly string[]).includes(state);
}

/** Delivery states as an SQL list of their codes (`(1, 2)`); codes are fixed numbers. */
export function sqlList(states: readonly DeliveryRowState[]): string {
  return `(${states.map((s) => STATE_CODE[s]).join(", ")})`;
}

/** The owed delivery codes, for `deliveries.state IN …` (the partial indexes' own spelling). */
export const OWED_CODES_SQL = sqlList(OWES_DELIVERY);
export const IN_QUEUE_CODES_SQL = sqlList(IN_QUEUE);

/**
 * The events list's state of one event, from its deliveries (`events.seq` in scope as `events`):
 * `queued` while no message naming every destination has been taken up (`seen_at` NULL: it may
 * still match destinations, whatever a replay to one of them did meanwhile), else
 * `stored` when it has none (or only dropped ones), `delivered` when every one is, else the first
 * of dead, held, retrying, queued. A deleted destination's deliveries count as they are until the
 * cron drops the owed and dead ones (`dropDeleted`, which rewrites this in the same batch): a
 * deletion alone never changes what this says, so `events.state` never goes stale.
 * For `UPDATE events SET state = ${EVENT_STATE_SQL}`.
 */
export const EVENT_STATE_SQL = `(SELECT CASE
    WHEN events.seen_at IS NULL THEN 'queued'
    WHEN count(*) = 0 THEN 'stored'
    WHEN sum(d.state = ${STATE_CODE.dead}) > 0 THEN 'dead'
    WHEN sum(d.state = ${STATE_CODE.held}) > 0 THEN 'held'
    WHEN sum(d.state = ${STATE_CODE.retrying}) > 0 THEN 'retrying'
    WHEN sum(d.state = ${STATE_CODE.queued}) > 0 THEN 'queued'
    ELSE 'delivered' END
  FROM deliveries d WHERE d.event_seq = events.seq AND d.state <> ${STATE_CODE.dropped})`;

/** Unix seconds, as `deliveries.updated_at` keeps time. */
export const unixSeconds = (at: Date | string): number => Math.floor(new Date(at).getTime() / 1000);
