import { createRng } from "./rng";
import { SIM_NAMES, SIMS } from "./sims";
import type { CarrierEvent, CarrierSim, Delivery, SimSettings } from "./types";

export interface PlanOptions {
  count: number;
  /** Every carrier's settings as its sender presents them (loadSettings, settingsFromVars). */
  settings: SimSettings;
  seed: number;
  /** Share of deliveries that repeat an earlier one byte for byte (a carrier's retry). */
  retryShare?: number;
  /** Add deliveries the receiver must refuse (about 5%, at least one of each kind). */
  bad?: boolean;
  /** Registered carrier names; default every one with a simulator. */
  carriers?: readonly string[];
  /** Share of shipments whose events are sent in a shuffled order. */
  shuffleShare?: number;
}

export interface Plan {
  run: string;
  deliveries: Delivery[];
  distinct: number;
  retries: number;
  bad: number;
  /** Shipments (carrier + tracking number) whose events were sent out of carrier-time order. */
  outOfOrder: number;
}

/**
 * The deliveries of one run: each carrier's stories (every event type), interleaved as many
 * shipments move at once; some shipments' events shuffled (out of order); exact retries placed
 * soon after their original, close enough to race it under concurrency; bad ones spread around.
 */
export function buildPlan(opts: PlanOptions): Plan {
  const rng = createRng(opts.seed);
  const run = opts.seed.toString(36);
  const carriers = (opts.carriers ?? SIM_NAMES).filter((c) => Object.hasOwn(SIMS, c));
  if (carriers.length === 0) throw new Error("no carrier to simulate");
  const sim = (name: string) => SIMS[name] as CarrierSim;
  const badPool: Omit<Delivery, "kind">[] = opts.bad
    ? carriers.flatMap((c) =>
        sim(c)
          .bad(rng, run, opts.settings)
          .map((b) => ({ ...b, carrier: c })),
      )
    : [];
  if (opts.bad) {
    // Refusals every route gives alike, shown on the first carrier's route.
    const first = carriers[0] as string;
    const signed = sim(first).sign(`{"pad":"${"x".repeat(600_000)}"}`, opts.settings, rng);
    badPool.push({
      carrier: "other",
      label: "unknown carrier",
      method: "POST",
      path: "/webhooks/dhl",
      headers: {},
      body: "{}",
      expectStatus: 404,
    });
    badPool.push({
      carrier: first,
      label: "PUT",
      method: "PUT",
      path: `/webhooks/${first}`,
      headers: {},
      body: "{}",
      expectStatus: 405,
    });
    // With the carrier's real authentication, so only the size refuses it.
    badPool.push({ ...signed, carrier: first, label: "body over the limit", expectStatus: 413 });
  }
  const badCount = opts.bad ? Math.max(badPool.length, Math.round(opts.count * 0.05)) : 0;
  const valid = Math.max(0, opts.count - badCount);
  const retries = Math.round(valid * (opts.retryShare ?? 0.1));
  const distinct = valid - retries;

  // Stories, round robin over carriers, until there are enough distinct events.
  const stories: CarrierEvent[][] = [];
  let total = 0;
  const base = Date.now() - 3 * 86_400_000;
  for (let n = 0; total < distinct; n++) {
    const story = sim(carriers[n % carriers.length] as string)
      .story(rng, run, n, new Date(base + rng.int(0, 86_400_000)))
      .slice(0, distinct - total);
    stories.push(story);
    total += story.length;
  }

  // Interleave: each story starts at a random place and its events follow one another; a share of
  // stories is shuffled, so their statuses arrive out of order.
  type Keyed = { key: number; delivery: Delivery };
  const keyed: Keyed[] = [];
  let eventNo = 0;
  let outOfOrder = 0;
  const span = Math.max(1, distinct);
  for (const story of stories) {
    const order = story.map((_, i) => i);
    if (story.length > 1 && rng.chance(opts.shuffleShare ?? 0.3)) {
      rng.shuffle(order);
      if (order.some((v, i) => v !== i)) outOfOrder++;
    }
    const start = rng.next() * span;
    const step = 1 + rng.next() * 20;
    story.forEach((event, i) => {
      const body = JSON.stringify(event.payload);
      const req = sim(event.carrier).sign(body, opts.settings, rng);
      keyed.push({
        key: start + (order[i] ?? i) * step,
        delivery: { ...req, carrier: event.carrier, kind: "valid", label: event.label, eventNo: eventNo++, event },
      });
    });
  }
  keyed.sort((a, b) => a.key - b.key);
  const ordered = keyed.map((k, i) => ({ key: i, delivery: k.delivery }));
  // Exact retries: the same bytes and headers, soon after the original (sometimes while it is in flight).
  for (let r = 0; r < retries && ordered.length > 0; r++) {
    const src = rng.int(0, Math.min(distinct, ordered.length) - 1);
    const original = ordered[src]?.delivery as Delivery;
    ordered.push({ key: src + 0.5 + rng.next() * 100, delivery: { ...original, kind: "retry" } });
  }
  for (let b = 0; b < badCount; b++) {
    const bad = badPool[b % badPool.length] as (typeof badPool)[number];
    ordered.push({ key: rng.next() * span, delivery: { ...bad, kind: "bad" } });
  }
  ordered.sort((a, b) => a.key - b.key);
  return { run, deliveries: ordered.map((k) => k.delivery), distinct, retries, bad: badCount, outOfOrder };
}
