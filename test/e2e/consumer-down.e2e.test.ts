// Ingest does not depend on the consumer: the Hono app alone (wrangler.toml, no consumer Worker)
// answers and stores webhooks; once the consumer Worker runs again (both configs, same storage),
// every event is forwarded exactly once, to the FORWARD_URL the harness gave both Workers.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sink, startSink } from "./sink";
import { type Receiver, startReceiver, TEST_VARS } from "./start-receiver";

const PORT = 8840;
let sink: Sink;
let receiver: Receiver | undefined;
let persistTo: string;

const start = (configs: string[]) =>
  startReceiver({ port: PORT, configs, persistTo, vars: { FORWARD_URL: sink.url, FORWARD_RETRY_BASE_SECONDS: "1" } });

beforeAll(async () => {
  sink = await startSink({ port: PORT + 5, secret: TEST_VARS.FORWARD_SIGNING_SECRET ?? "" });
  persistTo = mkdtempSync(join(tmpdir(), "parcelhook-e2e-consumer-down-"));
});

afterAll(async () => {
  await receiver?.stop();
  await sink?.stop();
  if (persistTo) rmSync(persistTo, { recursive: true, force: true });
});

async function state(id: string): Promise<string | undefined> {
  const res = await fetch(`${receiver?.url}/api/events/${id}`, {
    headers: { authorization: "Bearer test-admin-token-0123456789abcdef0123" },
  });
  return ((await res.json()) as { event?: { state: string } }).event?.state;
}

describe("the consumer Worker stopped while webhooks keep coming", () => {
  const ids: string[] = [];

  it("the Hono app alone answers 200 and stores each event, owing its delivery", async () => {
    receiver = await start(["wrangler.toml"]);
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${receiver.url}/webhooks/peddler`, {
        method: "POST",
        headers: { "x-webhook-shared-token": "test-peddler" },
        body: JSON.stringify({
          id: `down-${Date.now()}-${i}`,
          carrierTrackingNumber: `PDOWN${Date.now()}${i}`,
          status: "OUT_FOR_DELIVERY",
          code: 410,
          ts: "2024-09-02T13:08:06.574Z",
        }),
      });
      expect(res.status).toBe(200);
      ids.push(((await res.json()) as { event_id: string }).event_id);
    }
    await new Promise((r) => setTimeout(r, 2500));
    for (const id of ids) expect(await state(id)).toBe("queued");
    expect(sink.requests).toHaveLength(0);
    await receiver.stop();
    receiver = undefined;
  });

  it("once the consumer Worker is back, each event is forwarded exactly once", async () => {
    receiver = await start(["wrangler.toml", "wrangler.consumer.toml"]);
    // Local queues live in wrangler's memory: the messages sent while the consumer was away went
    // with the restart (Cloudflare's queue keeps them). The cron sweep re-sends events the
    // consumer never saw once they have waited its grace time (minutes): run it as an hour later.
    const sweep = await fetch(`${receiver.url}/cdn-cgi/handler/scheduled?time=${Date.now() + 3_600_000}`);
    expect(sweep.status).toBe(200);
    await sink.waitFor(() => ids.every((id) => sink.deliveriesOf(id).length > 0), 30_000, "every event forwarded");
    await new Promise((r) => setTimeout(r, 2000)); // room for a wrong second delivery
    for (const id of ids) {
      expect(sink.deliveriesOf(id)).toHaveLength(1);
      expect(sink.deliveriesOf(id)[0]).toMatchObject({ status: 200, svixVerified: true, specVerified: true });
      expect(await state(id)).toBe("delivered");
    }
  });
});
