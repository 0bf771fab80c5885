import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
// docs/consumer.md, read at build time by Vite, as the test's copy of the documented table.
import consumerDoc from "../docs/consumer.md?raw";
import { handleDeadLetters } from "../src/consumer/handle-dead-letters";
import { handleEventBatch } from "../src/consumer/handle-event-batch";
import { catchUpHeld, replayEvents } from "../src/delivery";
import { storeEvent } from "../src/delivery/db/store-event";
import { DELIVERY_STATES, type DeliveryState } from "../src/delivery/delivery-state";
import { TRANSITIONS, type TransitionName } from "../src/delivery/transitions";
import { newEventId } from "../src/events/new-event-id";
import { toQueueMessage } from "../src/events/to-queue-message";
import { resetDownstream, STAND_IN_URL, standInDownstream } from "./helpers/downstream";
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

let seq = 0;
async function eventIn(state: DeliveryState | null): Promise<string> {
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
  // Setting the starting state directly is the test's setup, not a transition under test.
  if (state !== null) await env.DB.prepare("UPDATE events SET state = ?2 WHERE id = ?1").bind(id, state).run();
  return id;
}

const stateOf = async (id: string) =>
  (await env.DB.prepare("SELECT state FROM events WHERE id = ?").bind(id).first<{ state: string }>())?.state;
const setDown = () =>
  env.DB.prepare("UPDATE downstream SET down_since = ?1 WHERE id = 1").bind(new Date().toISOString()).run();
const consume = (id: string, vars: Partial<Env>, fetcher?: typeof fetch) =>
  handleEventBatch(
    createMessageBatch("carrier-events", [
      { id: `walk-${id}`, timestamp: new Date(), attempts: 1, body: toQueueMessage({ id, carrier: "swiftpod" }) },
    ]),
    { ...env, ...vars },
    fetcher,
  );
const deadLetter = (id: string) =>
  handleDeadLetters(
    createMessageBatch("carrier-events-dlq", [
      { id: `dlq-${id}`, timestamp: new Date(), attempts: 1, body: toQueueMessage({ id, carrier: "swiftpod" }) },
    ]),
    env,
  );
/** The catch-up looks at every held event: only the one under test may be held. */
const onlyHeld = (id: string) =>
  env.DB.prepare("UPDATE events SET state = 'stored' WHERE state = 'held' AND id != ?1").bind(id).run();
const later = () => new Date(Date.now() + 60_000);

/** The real trigger of each transition, from an event in `from` (null: no event yet). Returns the event. */
const drivers: Record<TransitionName, (from: DeliveryState | null) => Promise<string>> = {
  accept: () => eventIn(null),
  async forwarded(from) {
    if (from !== "dead") {
      const id = await eventIn(from);
      await consume(id, { FORWARD_URL: STAND_IN_URL }, standInDownstream().fetch);
      return id;
    }
    // A dead letter of the same event is marked while this forward is in flight; its 2xx lands.
    const id = await eventIn("retrying");
    const downstream = standInDownstream();
    const racing: typeof fetch = async (url, init) => {
      await deadLetter(id);
      expect(await stateOf(id)).toBe("dead");
      return downstream.fetch(url, init);
    };
    await consume(id, { FORWARD_URL: STAND_IN_URL }, racing);
    return id;
  },
  async "forward-failed"(from) {
    const id = await eventIn(from);
    const downstream = standInDownstream();
    downstream.setMode("down");
    await consume(id, { FORWARD_URL: STAND_IN_URL }, downstream.fetch);
    return id;
  },
  async outage(from) {
    const id = await eventIn(from);
    await setDown();
    await consume(id, { FORWARD_URL: STAND_IN_URL }, standInDownstream().fetch);
    return id;
  },
  async "no-forward-url"(from) {
    const id = await eventIn(from);
    await consume(id, { FORWARD_URL: "" });
    return id;
  },
  async "retries-exhausted"(from) {
    const id = await eventIn(from);
    await deadLetter(id);
    return id;
  },
  async "retries-exhausted-in-outage"(from) {
    const id = await eventIn(from);
    await setDown();
    await deadLetter(id);
    return id;
  },
  async "probe-ok"(from) {
    const id = await eventIn(from);
    await onlyHeld(id);
    await setDown();
    const run = await catchUpHeld({ ...env, FORWARD_URL: STAND_IN_URL }, later(), standInDownstream().fetch);
    expect(run.probe).toBe("ok");
    return id;
  },
  async "probe-failed"(from) {
    const id = await eventIn(from);
    await onlyHeld(id);
    await setDown();
    const downstream = standInDownstream();
    downstream.setMode("down");
    const run = await catchUpHeld({ ...env, FORWARD_URL: STAND_IN_URL }, later(), downstream.fetch);
    expect(run).toEqual({ probe: "failed", requeued: 0 });
    return id;
  },
  async "caught-up"(from) {
    const id = await eventIn(from);
    await onlyHeld(id);
    const queue = pausedQueue();
    const run = await catchUpHeld({ ...env, FORWARD_URL: STAND_IN_URL, EVENTS_QUEUE: queue }, later());
    expect(run).toEqual({ probe: "none", requeued: 1 });
    expect(queue.messages).toEqual([{ id, carrier: "swiftpod" }]);
    return id;
  },
  async replay(from) {
    const id = await eventIn(from);
    const queue = pausedQueue();
    expect(await replayEvents({ ...env, EVENTS_QUEUE: queue }, [id])).toEqual([id]);
    return id;
  },
};

describe("the delivery state table", () => {
  it("docs/consumer.md's table is the state machine in src/delivery/transitions.ts", () => {
    expect(documentedTable(consumerDoc)).toEqual(
      TRANSITIONS.map((t) => ({ name: t.name, from: [...t.from], to: t.to, by: t.by, on: t.on })),
    );
  });

  it("every state is reached and every state but the insert's is left by some transition", () => {
    for (const s of DELIVERY_STATES) {
      expect(TRANSITIONS.some((t) => t.to === s)).toBe(true);
      expect(TRANSITIONS.some((t) => (t.from as readonly string[]).includes(s))).toBe(true);
    }
  });

  for (const t of TRANSITIONS) {
    const froms: (DeliveryState | null)[] = t.from.length === 0 ? [null] : [...t.from];
    for (const from of froms) {
      it(`${t.name}: ${from ?? "(new)"} → ${t.to} (${t.by})`, async () => {
        await resetDownstream();
        const id = await drivers[t.name](from);
        expect(await stateOf(id)).toBe(t.to);
        await resetDownstream();
      });
    }
  }
});
