import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { storeEvent } from "../src/delivery/db/store-event";
import { newEventId } from "../src/events/new-event-id";
import type { QueueMessage } from "../src/events/to-queue-message";
import { SWEEP_GRACE_SECONDS, SWEEP_LOST_AFTER_SECONDS, sweepUnqueued } from "../src/sweep/sweep-unqueued";
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

/** The consumer is back and has finished everything so far: the next test starts clean. */
async function settleAll(): Promise<void> {
  await env.DB.prepare("UPDATE events SET state = 'stored', seen_at = ?1 WHERE state = 'queued'")
    .bind(new Date().toISOString())
    .run();
}

describe("the sweep and a lagging queue (fault: queue consumer paused)", () => {
  /** Runs the sweep every `step` minutes up to `minutes`; returns each event's send times. */
  async function sweepFor(t0: Date, minutes: number, step: number, cap?: number) {
    const queue = pausedQueue();
    const sweepEnv = { ...env, EVENTS_QUEUE: queue };
    const sentAt = new Map<string, number[]>();
    let total = 0;
    for (let minute = step; minute <= minutes; minute += step) {
      const now = new Date(t0.getTime() + minute * 60_000);
      const before = queue.messages.length;
      total += await sweepUnqueued(sweepEnv, now, cap);
      for (const m of queue.messages.slice(before) as QueueMessage[]) {
        sentAt.set(m.id, [...(sentAt.get(m.id) ?? []), now.getTime()]);
      }
    }
    expect(total).toBe(queue.messages.length);
    return { sentAt, total };
  }

  it("re-sends an unseen event with a doubling wait, then hourly: 6 copies in 3 hours, not 36", async () => {
    const t0 = new Date(Date.now() + 3600_000);
    const ids = await storeAt(t0, 20);
    const { sentAt } = await sweepFor(t0, 180, 3);
    expect([...sentAt.keys()].sort()).toEqual([...ids].sort());
    for (const times of sentAt.values()) {
      expect(times.length).toBeLessThanOrEqual(6);
      let waited = SWEEP_GRACE_SECONDS * 1000;
      let last = t0.getTime();
      for (const at of times) {
        expect(at - last).toBeGreaterThanOrEqual(waited);
        waited = Math.min(Math.max(waited, at - t0.getTime()), SWEEP_LOST_AFTER_SECONDS * 1000);
        last = at;
      }
    }
    await settleAll();
  });

  it("adds nothing while the receiver's own messages are on their way past the cap, then at most the cap", async () => {
    const t0 = new Date(Date.now() + 10 * 3600_000);
    await storeAt(t0, 150);
    const cap = 50;
    const times: number[] = [];
    const { sentAt, total } = await sweepFor(t0, 120, 3, cap);
    for (const t of sentAt.values()) times.push(...t);
    // Within the first hour the 150 messages the receiver sent count as on their way.
    expect(times.filter((at) => at < t0.getTime() + 3600_000)).toEqual([]);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(cap);
    await settleAll();
  });

  it("an event whose send failed is swept at the next run when the queue is not lagging", async () => {
    // The consumer is back and has seen everything so far.
    await env.DB.prepare("UPDATE events SET state = 'stored', seen_at = ?1 WHERE state = 'queued'")
      .bind(new Date().toISOString())
      .run();
    const t0 = new Date(Date.now() + 20 * 3600_000);
    const [id] = await storeAt(t0, 1);
    await env.DB.prepare("UPDATE events SET enqueue_failed_at = ?2 WHERE id = ?1").bind(id, t0.toISOString()).run();
    const queue = pausedQueue();
    expect(await sweepUnqueued({ ...env, EVENTS_QUEUE: queue }, new Date(t0.getTime() + 60_000), 50)).toBe(1);
    expect(queue.messages).toEqual([{ id, carrier: "peddler" }]);
  });

  it("caps the doubling at an hour: a re-send lost after 91 days unseen is sent again within the hour, not 91 days later", async () => {
    await settleAll();
    const t0 = new Date(Date.now() + 40 * 3600_000);
    const [id] = await storeAt(t0, 1);
    // Its wait began at t0; the sweep's last send, 91 days on, never reached the queue.
    const lastSend = new Date(t0.getTime() + 91 * 86_400_000);
    await env.DB.prepare("UPDATE events SET updated_at = ?2, swept_at = ?3 WHERE id = ?1")
      .bind(id, t0.toISOString(), lastSend.toISOString())
      .run();
    const queue = pausedQueue();
    const at = (minutes: number) => new Date(lastSend.getTime() + minutes * 60_000);
    expect(await sweepUnqueued({ ...env, EVENTS_QUEUE: queue }, at(30), 50)).toBe(0);
    expect(await sweepUnqueued({ ...env, EVENTS_QUEUE: queue }, at(61), 50)).toBe(1);
    expect(queue.messages).toEqual([{ id, carrier: "peddler" }]);
    await settleAll();
  });
});
