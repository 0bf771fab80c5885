import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
// docs/consumer.md, read at build time by Vite, as the test's copy of the documented table.
import consumerDoc from "../docs/consumer.md?raw";
import { handleDeadLetters } from "../src/consumer/handle-dead-letters";
import { handleEventBatch } from "../src/consumer/handle-event-batch";
import { catchUpHeld, replayEvents } from "../src/delivery";
import { aggregateEvents } from "../src/delivery/db/aggregate-events";
import { recordAppForwarding } from "../src/delivery/db/destination-health";
import { storeEvent } from "../src/delivery/db/store-event";
import {
  DELIVERY_ROW_STATES,
  type DeliveryRowState,
  EVENT_STATE_SQL,
  STATE_CODE,
  stateOfCode,
} from "../src/delivery/delivery-state";
import { RETRY_BUDGET } from "../src/delivery/hold-policy";
import { TRANSITIONS, type TransitionName } from "../src/delivery/transitions";
import { newEventId } from "../src/events/new-event-id";
import type { QueueMessage } from "../src/events/to-queue-message";
import { resetDownstream, STAND_IN_URL, setHealth, standInDownstream } from "./helpers/downstream";
import { pausedQueue } from "./helpers/paused-queue";

interface Row {
  name: string;
  from: string[];
  to: string;
  by: string;
  on: string;
}

/** The "transition | from | to | by | on" table of docs/consumer.md. */
function documentedTable(markdown: string): Row[] {
  const lines = markdown.split("\n");
  const start = lines.findIndex((l) => /^\| transition \| from \| to \| by \| on \|$/.test(l.trim()));
  expect(start, "docs/consumer.md has the transition table").toBeGreaterThanOrEqual(0);
  const rows: Row[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    const [name = "", from = "", to = "", by = "", on = ""] = line
      .slice(1, -1)
      .split("|")
      .map((c) => c.trim());
    const unquote = (s: string) => s.replace(/^`|`$/g, "");
    rows.push({
      name: unquote(name),
      from: from === "(new)" ? [] : from.split(",").map((s) => unquote(s.trim())),
      to: unquote(to),
      by,
      on,
    });
  }
  return rows;
}

const FORWARDING = { FORWARD_URL: STAND_IN_URL } as const;
/** A destination other than default, for the deletion row (its no). */
let other = 0;

interface Walk {
  id: string;
  seq: number;
  no: number;
}

let seq = 0;
/** An event the consumer has seen, with one delivery to `no` in `state` (null: none yet). */
async function deliveryIn(state: DeliveryRowState | null, no = 1, attempts = 0): Promise<Walk> {
  const id = newEventId();
  const at = new Date().toISOString();
  await storeEvent(env.DB, {
    event: {
      id,
      carrier: "swiftpod",
      type: "order.status_changed",
      occurred_at: at,
      received_at: at,
      tracking_number: `WALK${Date.now()}${++seq}`,
      carrier_reference: null,
      status: "in_transit",
      carrier_status: "in_production",
      reason: null,
      data: {},
    },
    dedupeKey: `swiftpod:${id}`,
    rawBody: "{}",
    requestUrl: "https://parcelhook.test/webhooks/swiftpod",
  });
  const row = await env.DB.prepare("SELECT seq FROM events WHERE id = ?1").bind(id).first<{ seq: number }>();
  const walk = { id, seq: row?.seq as number, no };
  // Setting the starting state directly is the test's setup, not a transition under test.
  if (state !== null) {
    await env.DB.batch([
      env.DB.prepare("UPDATE events SET seen_at = ?2 WHERE id = ?1").bind(id, at),
      env.DB.prepare(
        "INSERT INTO deliveries (event_seq, destination_no, state, attempts, gen, updated_at) VALUES (?1, ?2, ?3, ?4, 0, 0)",
      ).bind(walk.seq, no, STATE_CODE[state], attempts),
    ]);
  }
  return walk;
}

const stateOf = async (w: Walk) => {
  const row = await env.DB.prepare("SELECT state FROM deliveries WHERE event_seq = ?1 AND destination_no = ?2")
    .bind(w.seq, w.no)
    .first<{ state: number }>();
  return row ? stateOfCode(row.state) : null;
};
const message = (w: Walk, extra: Partial<QueueMessage> = {}): QueueMessage => ({
  id: w.id,
  carrier: "swiftpod",
  ...extra,
});
const batchOf = (w: Walk, extra: Partial<QueueMessage> = {}) =>
  createMessageBatch("carrier-events", [
    { id: `walk-${w.id}-${Math.random()}`, timestamp: new Date(), attempts: 1, body: message(w, extra) },
  ]);
const consume = (w: Walk, vars: Partial<Env>, fetcher?: typeof fetch, extra: Partial<QueueMessage> = {}) =>
  handleEventBatch(
    createMessageBatch("carrier-events", [
      { id: `walk-${w.id}-${Math.random()}`, timestamp: new Date(), attempts: 1, body: message(w, extra) },
    ]),
    { ...env, ...vars },
    fetcher,
  );
const deadLetter = (w: Walk) =>
  handleDeadLetters(
    createMessageBatch("carrier-events-dlq", [
      { id: `dlq-${w.id}`, timestamp: new Date(), attempts: 1, body: message(w) },
    ]),
    env,
  );
/** The catch-up looks at every held delivery: only the one under test may be held. */
const onlyHeld = (w: Walk) =>
  env.DB.prepare(
    `UPDATE deliveries SET state = ${STATE_CODE.delivered} WHERE state = ${STATE_CODE.held} AND event_seq != ?1`,
  )
    .bind(w.seq)
    .run();
const later = () => new Date(Date.now() + 60_000);

/** Drives each transition through the real code from a delivery in `from`; returns it (and the state seen mid-way, if the row's "to" is not the end). */
const drivers: Record<TransitionName, (from: DeliveryRowState | null) => Promise<{ w: Walk; seen?: string | null }>> = {
  async match() {
    // A destination deleted a moment ago that this isolate's cached configuration still lists:
    // the event matches it (the row is written), nothing is sent, the catch-up drops it later.
    // So the new delivery is seen as the match leaves it.
    const isolate = { ...env, ...FORWARDING };
    const downstream = standInDownstream();
    const warm = await deliveryIn(null);
    await handleEventBatch(batchOf(warm), isolate, downstream.fetch);
    await env.DB.prepare("UPDATE destinations SET deleted_at = ?2 WHERE no = ?1")
      .bind(other, new Date().toISOString())
      .run();
    const w = { ...(await deliveryIn(null)), no: other };
    await handleEventBatch(batchOf(w), isolate, downstream.fetch);
    expect(downstream.requests.filter((id) => id === w.id)).toHaveLength(1);
    return { w };
  },
  async forwarded(from) {
    const w = await deliveryIn(from === "held" || from === "dead" ? "retrying" : from);
    const downstream = standInDownstream();
    const racing: typeof fetch = async (url, init) => {
      // Another invocation settles the same delivery while this forward is in flight.
      if (from === "held") {
        await setHealth(1, "down");
        await consume(w, FORWARDING, downstream.fetch);
        expect(await stateOf(w)).toBe("held");
      }
      if (from === "dead") {
        await deadLetter(w);
        expect(await stateOf(w)).toBe("dead");
      }
      return downstream.fetch(url, init);
    };
    await consume(w, FORWARDING, racing);
    return { w };
  },
  async "forward-failed"(from) {
    const w = await deliveryIn(from);
    const downstream = standInDownstream();
    downstream.setMode("down");
    await consume(w, FORWARDING, downstream.fetch);
    return { w };
  },
  async "retries-exhausted"(from) {
    const w = await deliveryIn(from, 1, RETRY_BUDGET - 1);
    const downstream = standInDownstream();
    downstream.refuse.add(w.id);
    await consume(w, FORWARDING, downstream.fetch);
    return { w };
  },
  async outage(from) {
    const w = await deliveryIn(from);
    await setHealth(1, "down");
    await consume(w, FORWARDING, standInDownstream().fetch);
    return { w };
  },
  async refusing(from) {
    const w = await deliveryIn(from);
    await setHealth(1, "refusing");
    await consume(w, FORWARDING, standInDownstream().fetch);
    return { w };
  },
  async paused(from) {
    const w = await deliveryIn(from);
    await env.DB.prepare("UPDATE destinations SET paused = 1 WHERE no = 1").run();
    await consume(w, FORWARDING, standInDownstream().fetch);
    return { w };
  },
  async "destination-fault"(from) {
    // The walk's destination has no secret the consumer can open: nothing can be sent there.
    const w = await deliveryIn(from, other);
    const downstream = standInDownstream();
    await consume(w, FORWARDING, downstream.fetch);
    expect(downstream.requests).toEqual([]);
    return { w };
  },
  async "no-forward-url"(from) {
    const w = await deliveryIn(from);
    // Neither Worker has FORWARD_URL: the Hono app's cron has recorded it has none.
    await recordAppForwarding(env.DB, false).run();
    if (from === "held") await setHealth(1, "refusing");
    await consume(w, { FORWARD_URL: "" }, undefined, from === "held" ? { d: 1, p: 1 } : {});
    await env.DB.prepare("UPDATE destinations SET app_forward_url = NULL WHERE no = 1").run();
    return { w };
  },
  async "dead-letter"(from) {
    const w = await deliveryIn(from);
    await deadLetter(w);
    return { w };
  },
  async "dead-letter-held"(from) {
    const w = await deliveryIn(from);
    await setHealth(1, "down");
    await deadLetter(w);
    return { w };
  },
  async "probe-taken"(from) {
    const w = await deliveryIn(from);
    await setHealth(1, "down");
    const downstream = standInDownstream();
    let seen: string | null = null;
    // What D1 holds while the probe is on the wire: taken, so no catch-up can re-queue it.
    const observing: typeof fetch = async (url, init) => {
      seen = await stateOf(w);
      return downstream.fetch(url, init);
    };
    await consume(w, FORWARDING, observing, { d: 1, p: 1 });
    return { w, seen };
  },
  async "probe-ok"(from) {
    const w = await deliveryIn(from);
    await setHealth(1, "down");
    await consume(w, FORWARDING, standInDownstream().fetch, { d: 1, p: 1 });
    return { w };
  },
  async "probe-failed"(from) {
    const w = await deliveryIn(from);
    await setHealth(1, "down");
    const downstream = standInDownstream();
    downstream.setMode("down");
    await consume(w, FORWARDING, downstream.fetch, { d: 1, p: 1 });
    return { w };
  },
  async "caught-up"(from) {
    const w = await deliveryIn(from);
    await onlyHeld(w);
    const queue = pausedQueue();
    const run = await catchUpHeld({ ...env, EVENTS_QUEUE: queue }, later());
    expect(run.requeued).toBe(1);
    expect(queue.messages).toEqual([{ id: w.id, carrier: "swiftpod", d: 1, g: 1 }]);
    return { w };
  },
  async "destination-deleted"(from) {
    const w = await deliveryIn(from, other);
    await env.DB.prepare("UPDATE destinations SET deleted_at = ?2 WHERE no = ?1")
      .bind(other, new Date().toISOString())
      .run();
    const queue = pausedQueue();
    await catchUpHeld({ ...env, EVENTS_QUEUE: queue }, later());
    expect(queue.messages).toEqual([]);
    return { w };
  },
  async replay(from) {
    const w = await deliveryIn(from);
    const queue = pausedQueue();
    expect(await replayEvents({ ...env, EVENTS_QUEUE: queue }, [w.id])).toEqual([w.id]);
    expect(queue.messages).toEqual([{ id: w.id, carrier: "swiftpod", g: 1 }]);
    return { w };
  },
};

beforeEach(async () => {
  await resetDownstream();
  // A fresh API destination per walk (the deletion row deletes it).
  const row = await env.DB.prepare(
    `INSERT INTO destinations (id, name, url, created_at, updated_at)
     VALUES ('dst_walk' || hex(randomblob(4)), 'walk', 'https://other.test/hook', ?1, ?1) RETURNING no`,
  )
    .bind(new Date().toISOString())
    .first<{ no: number }>();
  other = row?.no as number;
});

describe("the delivery state table", () => {
  it("docs/consumer.md's table is the state machine in src/delivery/transitions.ts", () => {
    expect(documentedTable(consumerDoc)).toEqual(
      TRANSITIONS.map((t) => ({ name: t.name, from: [...t.from], to: t.to, by: t.by, on: t.on })),
    );
  });

  it("every state is reached, and every state but dropped (nothing owed, nowhere to go) is left", () => {
    for (const s of DELIVERY_ROW_STATES) {
      expect(TRANSITIONS.some((t) => t.to === s)).toBe(true);
      if (s !== "dropped") expect(TRANSITIONS.some((t) => (t.from as readonly string[]).includes(s))).toBe(true);
    }
  });

  for (const t of TRANSITIONS) {
    const froms: (DeliveryRowState | null)[] = t.from.length === 0 ? [null] : [...t.from];
    for (const from of froms) {
      it(`${t.name}: ${from ?? "(new)"} → ${t.to} (${t.by})`, async () => {
        const { w, seen } = await drivers[t.name](from);
        expect(seen !== undefined ? seen : await stateOf(w)).toBe(t.to);
        await env.DB.prepare("UPDATE destinations SET deleted_at = NULL WHERE no = ?1").bind(other).run();
      });
    }
  }
});

describe("a deleted destination and the events list (invariant 6)", () => {
  /** `events.state` as kept, beside what EVENT_STATE_SQL says of its deliveries now. */
  const states = (w: Walk) =>
    env.DB.prepare(`SELECT state AS kept, ${EVENT_STATE_SQL} AS derived FROM events WHERE seq = ?1`)
      .bind(w.seq)
      .first<{ kept: string; derived: string }>();

  it("a deletion alone changes no event's state; the catch-up drops the dead there (stored) and keeps the delivered (delivered)", async () => {
    const delivered = await deliveryIn("delivered", other);
    const dead = await deliveryIn("dead", other);
    await env.DB.batch([aggregateEvents(env.DB, [delivered.seq, dead.seq], new Date().toISOString())]);
    await env.DB.prepare("UPDATE destinations SET deleted_at = ?2 WHERE no = ?1")
      .bind(other, new Date().toISOString())
      .run();
    // Nothing moved, so nothing had to be rewritten: the kept state is still what the SQL says.
    expect(await states(delivered)).toEqual({ kept: "delivered", derived: "delivered" });
    expect(await states(dead)).toEqual({ kept: "dead", derived: "dead" });

    await catchUpHeld({ ...env, EVENTS_QUEUE: pausedQueue() }, later());
    expect(await stateOf(delivered)).toBe("delivered");
    expect(await stateOf(dead)).toBe("dropped");
    expect(await states(delivered)).toEqual({ kept: "delivered", derived: "delivered" });
    // A dead delivery to a destination that is gone has nowhere to be replayed: nothing is owed.
    expect(await states(dead)).toEqual({ kept: "stored", derived: "stored" });
  });
});
