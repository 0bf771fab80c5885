import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { storeEvent } from "../src/delivery/db/store-event";
import { newEventId } from "../src/events/new-event-id";
import type { QueueMessage } from "../src/events/to-queue-message";
import { SWEEP_GRACE_SECONDS, sweepUnqueued } from "../src/sweep/sweep-unqueued";
import { pausedQueue } from "./helpers/paused-queue";

// A slow queue is not a lost message: with the consumer paused, the sweep must not pile
// duplicates onto the queue.

async function storeAt(receivedAt: Date, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = newEventId(receivedAt.getTime());
    ids.push(id);
    await storeEvent(env.DB, {
      event: {
        id,
        carrier: "peddler",
        type: "stock.status_changed",
        occurred_at: receivedAt.toISOString(),
        received_at: receivedAt.toISOString(),
        tracking_number: null,
        carrier_reference: null,
        status: null,
        carrier_status: null,
        reason: null,
        data: {},
      },
      dedupeKey: `peddler:${id}`,
      rawBody: "{}",
      requestUrl: "https://parcelhook.test/webhooks/peddler",
    });
  }
  return ids;
}

describe("the sweep and a lagging queue (fault: queue consumer paused)", () => {
  it("runs many times over two hours and adds a bounded number of messages, each event at most once per grace time", async () => {
    const t0 = new Date(Date.now() + 3600_000);
    const ids = await storeAt(t0, 150);
    const queue = pausedQueue();
    const sweepEnv = { ...env, EVENTS_QUEUE: queue };
    const cap = 50;
    const sentAt = new Map<string, number[]>();
    let total = 0;
    // Every 3 minutes for two hours, as a cron that runs and a consumer that does not.
    for (let minute = 3; minute <= 120; minute += 3) {
      const now = new Date(t0.getTime() + minute * 60_000);
      const before = queue.messages.length;
      total += await sweepUnqueued(sweepEnv, now, cap);
      for (const m of queue.messages.slice(before) as QueueMessage[]) {
        sentAt.set(m.id, [...(sentAt.get(m.id) ?? []), now.getTime()]);
      }
      // Within the first hour the receiver's own 150 messages are on their way: nothing is added.
      if (minute < 60) expect(queue.messages.length).toBe(0);
    }
    expect(total).toBe(queue.messages.length);
    // At most `cap` on their way at once, each presumed lost only after an hour: two rounds.
    expect(queue.messages.length).toBeGreaterThan(0);
    expect(queue.messages.length).toBeLessThanOrEqual(2 * cap);
    for (const times of sentAt.values()) {
      for (let i = 1; i < times.length; i++) {
        expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(SWEEP_GRACE_SECONDS * 1000);
      }
    }
    for (const id of sentAt.keys()) expect(ids).toContain(id);
  });

  it("an event whose send failed is swept at the next run when the queue is not lagging", async () => {
    // The consumer is back and has seen everything so far.
    await env.DB.prepare("UPDATE events SET state = 'stored', seen_at = ?1 WHERE state = 'queued'")
      .bind(new Date().toISOString())
      .run();
    const t0 = new Date(Date.now() + 10 * 3600_000);
    const [id] = await storeAt(t0, 1);
    await env.DB.prepare("UPDATE events SET enqueue_failed_at = ?2 WHERE id = ?1").bind(id, t0.toISOString()).run();
    const queue = pausedQueue();
    expect(await sweepUnqueued({ ...env, EVENTS_QUEUE: queue }, new Date(t0.getTime() + 60_000), 50)).toBe(1);
    expect(queue.messages).toEqual([{ id, carrier: "peddler" }]);
  });
});
