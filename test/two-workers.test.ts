import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import consumer from "../src/consumer-worker";
import { CRON_JOBS } from "../src/cron-jobs";
import app from "../src/index";
import { runCronJobs } from "../src/scheduled";
import { peddlerOutForDelivery } from "./fixtures/peddler";
import { callWith } from "./helpers/call-with";
import { storedEvent } from "./helpers/stored-event";

describe("the Hono app Worker", () => {
  it("has the routes and the cron jobs, and no queue handler (the consumer is the other Worker)", () => {
    expect(Object.keys(app).sort()).toEqual(["fetch", "scheduled"]);
    expect(Object.keys(consumer)).toEqual(["queue"]);
  });

  it("its cron trigger runs the sweep: an event whose send failed is queued at the next run", async () => {
    const refusing = {
      send: () => Promise.reject(new Error("injected fault: queue refused")),
      sendBatch: () => Promise.reject(new Error("injected fault: queue refused")),
    } as unknown as Queue;
    const res = await callWith(
      "/webhooks/peddler",
      { EVENTS_QUEUE: refusing },
      {
        method: "POST",
        headers: { "x-webhook-shared-token": "test-peddler" },
        body: JSON.stringify({ ...peddlerOutForDelivery, id: `cron-${crypto.randomUUID()}` }),
      },
    );
    expect(res.status).toBe(200);
    const { event_id } = await res.json<{ event_id: string }>();
    expect((await storedEvent(event_id))?.swept_at).toBeNull();

    // As the cron would fire an hour later: past any grace time of the sweep.
    const ctx = createExecutionContext();
    await app.scheduled(createScheduledController({ scheduledTime: Date.now() + 3_600_000 }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect((await storedEvent(event_id))?.swept_at).not.toBeNull();
  });

  it("runs every cron job even when one throws, and logs the one that threw by name", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const ran: string[] = [];
    await runCronJobs(
      [
        { name: "broken", decodes: false, run: () => Promise.reject(new Error("boom")) },
        { name: "fine", decodes: true, run: async (_env, now) => ran.push(now.toISOString()) },
      ],
      env,
      new Date("2026-11-23T12:00:00.000Z"),
    );
    expect(ran).toEqual(["2026-11-23T12:00:00.000Z"]);
    expect(errors.mock.calls.map((c) => JSON.parse(String(c[0])))).toEqual([
      { msg: "cron_job_failed", job: "broken", error: expect.stringContaining("boom") },
    ]);
    errors.mockRestore();
    expect(CRON_JOBS.map((j) => j.name)).toContain("sweep");
  });
});

describe("the queue consumer Worker", () => {
  // Empty batches: what is checked is which queues the Worker takes, not what it does with them.
  const take = (queue: string, vars: Partial<Env> = {}) =>
    consumer.queue(createMessageBatch(queue, []), { ...env, ...vars }, createExecutionContext());

  it("consumes the queues its configuration names, so a copy with other queue names works", async () => {
    const staging = {
      EVENTS_QUEUE_NAME: "carrier-events-staging",
      DEAD_LETTER_QUEUE_NAME: "carrier-events-staging-dlq",
    };
    await expect(take("carrier-events-staging", staging)).resolves.toBeUndefined();
    await expect(take("carrier-events-staging-dlq", staging)).resolves.toBeUndefined();
    await expect(take("carrier-events", staging)).rejects.toThrow("no consumer for queue carrier-events");
    await expect(take("carrier-events-dlq", staging)).rejects.toThrow("no consumer for queue carrier-events-dlq");
  });

  it("takes the production queue names of wrangler.consumer.toml", async () => {
    await expect(take("carrier-events")).resolves.toBeUndefined();
    await expect(take("carrier-events-dlq")).resolves.toBeUndefined();
    await expect(take("other-queue")).rejects.toThrow("no consumer for queue other-queue");
  });
});
