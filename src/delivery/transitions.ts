import { DELIVERY_ROW_STATES, type DeliveryRowState, IN_QUEUE, OWES_DELIVERY, sqlList } from "./delivery-state";

/** Who moves a delivery's state. */
export type Actor = "consumer" | "dead-letter consumer" | "catch-up" | "operator";

export interface Transition {
  /** Short name, the key docs/consumer.md and the state-table test use. */
  name: string;
  /** The states it moves from; empty for the insert of a new delivery. */
  from: readonly DeliveryRowState[];
  to: DeliveryRowState;
  by: Actor;
  on: string;
}

const REPLAYABLE = DELIVERY_ROW_STATES.filter((s) => s !== "dropped");

/**
 * Every move of a delivery's state (one event × one destination). docs/consumer.md has the same
 * table (a test keeps them equal and walks each row), and each query function's
 * `WHERE state IN …` guard comes from here.
 */
export const TRANSITIONS = [
  {
    name: "match",
    from: [],
    to: "queued",
    by: "consumer",
    on: "the event's message (first sight, or a replay to every destination) finds a destination whose filter it matches and no delivery there yet",
  },
  {
    name: "forwarded",
    from: [...OWES_DELIVERY, "dead"],
    to: "delivered",
    by: "consumer",
    on: "the destination answered 2xx (also when another invocation held it, or a dead letter marked it, meanwhile: the destination has it)",
  },
  {
    name: "forward-failed",
    from: IN_QUEUE,
    to: "retrying",
    by: "consumer",
    on: "the forward failed, the destination is neither down nor refusing, and the delivery has attempts left: the message is retried with a delay",
  },
  {
    name: "retries-exhausted",
    from: IN_QUEUE,
    to: "dead",
    by: "consumer",
    on: "the forward failed while the destination is up, and it was the delivery's 10th attempt (counted across holds): `events_dead`",
  },
  {
    name: "outage",
    from: IN_QUEUE,
    to: "held",
    by: "consumer",
    on: "the destination is down (5 failed forwards in a row, across batches), or became so in this batch: from then on no request is sent; acked, no retry spent",
  },
  {
    name: "refusing",
    from: IN_QUEUE,
    to: "held",
    by: "consumer",
    on: "the destination refuses every event (401, 403, 404 or 410 to 5 different events in a row, none accepted), or became so in this batch: `destination_refusing`",
  },
  {
    name: "paused",
    from: IN_QUEUE,
    to: "held",
    by: "consumer",
    on: "the destination is paused: nothing is sent; on resume the catch-up re-queues it, oldest first",
  },
  {
    name: "destination-fault",
    from: IN_QUEUE,
    to: "held",
    by: "consumer",
    on: "nothing can be sent to the destination at all: no usable signing key on the consumer, or `default` without `FORWARD_URL` on the consumer while the Hono app has it (or has not said yet): no request, no attempt spent; the destination is `refusing` with the reason (`destination_refusing`), and its probe sends once the fault is gone",
  },
  {
    name: "no-forward-url",
    from: OWES_DELIVERY,
    to: "dropped",
    by: "consumer",
    on: "a delivery to `default` (its message, or its probe) while neither Worker has `FORWARD_URL` (the Hono app's cron recorded it has none): forwarding to it is off, nothing is owed",
  },
  {
    name: "dead-letter",
    from: IN_QUEUE,
    to: "dead",
    by: "dead-letter consumer",
    on: "a message of the delivery's current generation reached the dead-letter queue while the destination is up (an older message's is ignored)",
  },
  {
    name: "dead-letter-held",
    from: IN_QUEUE,
    to: "held",
    by: "dead-letter consumer",
    on: "a message of the delivery's current generation reached the dead-letter queue while the destination is down, refusing or paused",
  },
  {
    name: "probe-taken",
    from: ["held"],
    to: "queued",
    by: "consumer",
    on: "the catch-up's probe (a message for the held delivery probed least recently) arrives while that delivery is still held in the generation it was sent for: the probe takes it (round trip 1), so a catch-up meanwhile cannot re-queue it too; a probe that finds it moved takes nothing",
  },
  {
    name: "probe-ok",
    from: ["queued"],
    to: "delivered",
    by: "consumer",
    on: "the probe that took it answered 2xx: the destination is up",
  },
  {
    name: "probe-failed",
    from: ["queued"],
    to: "held",
    by: "consumer",
    on: "the probe got anything but a 2xx (an attempt, counted; `Retry-After` on 429 and 503 delays the next probe), or could not be sent (a fault of the whole destination: no attempt): only a 2xx ends a hold",
  },
  {
    name: "caught-up",
    from: ["held"],
    to: "queued",
    by: "catch-up",
    on: "the destination is up and not paused: held deliveries are re-queued oldest first, each under a new generation, within the budget the sweep leaves",
  },
  {
    name: "destination-deleted",
    from: [...OWES_DELIVERY, "dead"],
    to: "dropped",
    by: "catch-up",
    on: "the destination was deleted: nothing more is sent there, nothing is owed, and a dead one has nowhere to be replayed (a delivered one stays `delivered`)",
  },
  {
    name: "replay",
    from: REPLAYABLE,
    to: "queued",
    by: "operator",
    on: "`POST /api/events/{id}/replay` (to one destination or every one it matches), `POST /api/replay` (with `state`: only deliveries in it), `POST /api/destinations/{id}/replay`, or the dashboard: a new generation",
  },
] as const satisfies readonly Transition[];

export type TransitionName = (typeof TRANSITIONS)[number]["name"];

export function transition(name: TransitionName): Transition {
  const t = TRANSITIONS.find((x) => x.name === name);
  if (!t) throw new Error(`no transition ${name}`);
  return t;
}

/** The SQL guard of a transition: `state IN (1, …)` with the codes of the states it moves from. */
export function fromSql(name: TransitionName, column = "state"): string {
  return `${column} IN ${sqlList(transition(name).from)}`;
}
