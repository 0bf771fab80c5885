// Rejected webhook requests are counted per isolate and written to D1 now and then, one round trip
// per flush: a flood of junk must not become one D1 write per request on the single writer that
// stores real carriers' events.
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { app } from "../src/app";
import { countRoundTrips } from "../src/consumer/count-round-trips";
import { countRejection, flushRejections, REJECTION_FLUSH_MS } from "../src/rejections/count-rejection";

async function counted(carrier: string, status: number): Promise<number> {
  const row = await env.DB.prepare("SELECT sum(count) AS n FROM rejections WHERE carrier = ?1 AND status = ?2")
    .bind(carrier, status)
    .first<{ n: number | null }>();
  return row?.n ?? 0;
}

function post(path: string, headers: Record<string, string> = {}): Request {
  return new Request(`https://parcelhook.test${path}`, { method: "POST", headers, body: '{"id":"x"}' });
}

describe("rejection counts", () => {
  it("a flood of 300 rejected requests costs one D1 round trip (a batch of three statements), and every request is counted", async () => {
    await flushRejections(env.DB);
    const before = { peddler: await counted("peddler", 401), inpost: await counted("inpost", 403) };
    const { db, count } = countRoundTrips(env.DB);
    const flooded = { ...env, DB: db };
    for (let i = 0; i < 150; i++) {
      const a = await app.fetch(
        post("/webhooks/peddler", { "x-webhook-shared-token": `junk-${i}` }),
        flooded,
        createExecutionContext(),
      );
      const b = await app.fetch(
        post("/webhooks/inpost", { "cf-connecting-ip": "203.0.113.9" }),
        flooded,
        createExecutionContext(),
      );
      expect([a.status, b.status]).toEqual([401, 403]);
    }
    // The flush just before made the isolate wait REJECTION_FLUSH_MS: nothing was written yet.
    expect(count()).toBe(0);
    await flushRejections(db);
    expect(count()).toBe(1);
    expect(await counted("peddler", 401)).toBe(before.peddler + 150);
    expect(await counted("inpost", 403)).toBe(before.inpost + 150);
  });

  it("a flush that fails keeps its counts for the next one (fault: D1 throws)", async () => {
    await flushRejections(env.DB);
    const before = await counted("swiftpod", 401);
    const waitUntil = () => {};
    for (let i = 0; i < 3; i++) {
      countRejection(env.DB, waitUntil, { at: new Date(), carrier: "swiftpod", status: 401, code: "unauthorized" });
    }
    const down = {
      prepare() {
        throw new Error("D1 is down");
      },
    } as unknown as D1Database;
    await flushRejections(down);
    expect(await counted("swiftpod", 401)).toBe(before);
    await flushRejections(env.DB);
    expect(await counted("swiftpod", 401)).toBe(before + 3);
  });

  it("writes within REJECTION_FLUSH_MS: at once after a quiet spell, else at the end of the interval", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "Date"] });
    try {
      await flushRejections(env.DB);
      const before = await counted("postmen", 401);
      const scheduled: Promise<unknown>[] = [];
      const reject = () =>
        countRejection(env.DB, (p) => scheduled.push(p), {
          at: new Date(),
          carrier: "postmen",
          status: 401,
          code: "unauthorized",
        });
      // Just after a flush: the next one waits for the interval's end, and one flush serves all.
      reject();
      reject();
      expect(scheduled).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(REJECTION_FLUSH_MS - 1000);
      expect(await counted("postmen", 401)).toBe(before);
      await vi.advanceTimersByTimeAsync(1000);
      await scheduled[0];
      expect(await counted("postmen", 401)).toBe(before + 2);
      // After a quiet spell longer than the interval: written at once.
      await vi.advanceTimersByTimeAsync(REJECTION_FLUSH_MS * 3);
      reject();
      expect(scheduled).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(0);
      await scheduled[1];
      expect(await counted("postmen", 401)).toBe(before + 3);
    } finally {
      vi.useRealTimers();
    }
  });
});
