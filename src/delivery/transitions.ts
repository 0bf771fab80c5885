import { DELIVERY_STATES, type DeliveryState, IN_QUEUE, OWES_DELIVERY, sqlList } from "./delivery-state";

/** Who moves an event's delivery state. */
export type Actor = "receiver" | "consumer" | "dead-letter consumer" | "catch-up" | "operator";

export interface Transition {
  /** Short name, the key docs/consumer.md and the state-table test use. */
  name: string;
  /** The states it moves from; empty for the insert of a new event. */
  from: readonly DeliveryState[];
  to: DeliveryState;
  by: Actor;
  on: string;
}

/**
 * Every move of an event's delivery state. docs/consumer.md has the same table (a test keeps them
 * equal and walks each row), and each query function's `WHERE state IN …` guard comes from here.
 */
export const TRANSITIONS = [
  { name: "accept", from: [], to: "queued", by: "receiver", on: "a delivery is accepted and stored" },
  {
    name: "forwarded",
    from: [...OWES_DELIVERY, "dead"],
    to: "delivered",
    by: "consumer",
    on: "`FORWARD_URL` answered 2xx (also when a dead letter of the same event was marked meanwhile: the downstream has it)",
  },
  {
    name: "forward-failed",
    from: OWES_DELIVERY,
    to: "retrying",
    by: "consumer",
    on: "the forward failed and the downstream is not down: the message is retried with a delay",
  },
  {
    name: "outage",
    from: OWES_DELIVERY,
    to: "held",
    by: "consumer",
    on: "the downstream is down (5 failed forwards in a row, across batches), or this batch made it so: acked, no retry spent",
  },
  { name: "no-forward-url", from: OWES_DELIVERY, to: "stored", by: "consumer", on: "`FORWARD_URL` is not set" },
  {
    name: "retries-exhausted",
    from: IN_QUEUE,
    to: "dead",
    by: "dead-letter consumer",
    on: "the message reached the dead-letter queue while the downstream is up",
  },
  {
    name: "retries-exhausted-in-outage",
    from: IN_QUEUE,
    to: "held",
    by: "dead-letter consumer",
    on: "the message reached the dead-letter queue while the downstream is down",
  },
  {
    name: "probe-ok",
    from: ["held"],
    to: "delivered",
    by: "catch-up",
    on: "the cron's probe (the held event probed least recently, oldest first) answered 2xx: the downstream is up",
  },
  {
    name: "probe-failed",
    from: ["held"],
    to: "held",
    by: "catch-up",
    on: "the probe failed (logged as an attempt); the next probe takes the next held event. A refusal of that one event still ends the outage: it is caught up with the others",
  },
  {
    name: "caught-up",
    from: ["held"],
    to: "queued",
    by: "catch-up",
    on: "the downstream is up: held events are re-queued oldest first, a bounded number per cron run",
  },
  {
    name: "replay",
    from: DELIVERY_STATES,
    to: "queued",
    by: "operator",
    on: "`POST /api/events/{id}/replay`, `POST /api/replay`, or the dashboard's replay",
  },
] as const satisfies readonly Transition[];

export type TransitionName = (typeof TRANSITIONS)[number]["name"];

export function transition(name: TransitionName): Transition {
  const t = TRANSITIONS.find((x) => x.name === name);
  if (!t) throw new Error(`no transition ${name}`);
  return t;
}

/** The SQL guard of a transition: `state IN ('queued', …)` with the states it moves from. */
export function fromSql(name: TransitionName, column = "state"): string {
  return `${column} IN ${sqlList(transition(name).from)}`;
}
