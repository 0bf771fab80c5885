// An unauthenticated request's body is never read beyond what its check needs: the checks that
// need no body (InPost's address, SwiftPOD's and Postmen's URL secret, Peddler's token) answer
// before a byte is pulled, so a huge, slow, endless or broken body costs nothing. Only Postmen's
// signature needs the body, and only once its URL secret passed.
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../src/app";

/** A body that records every read; it never ends, or fails on the first read. */
function watchedBody(kind: "endless" | "broken"): { body: ReadableStream<Uint8Array>; pulls: () => number } {
  let pulls = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        pulls++;
        if (kind === "broken") controller.error(new Error("the client's body broke"));
        // "endless": enqueue nothing and never close, like a sender that stalls forever.
        else return new Promise(() => {});
      },
    },
    { highWaterMark: 0 },
  );
  return { body, pulls: () => pulls };
}

async function send(path: string, headers: Record<string, string>, body: ReadableStream<Uint8Array>) {
  const res = await app.fetch(
    new Request(`https://parcelhook.test${path}`, { method: "POST", headers, body }),
    env,
    createExecutionContext(),
  );
  return { status: res.status, code: (await res.json<{ error?: { code: string } }>()).error?.code };
}

const UNAUTHENTICATED: [string, string, Record<string, string>, number][] = [
  ["Peddler without its token", "/webhooks/peddler", {}, 401],
  ["Peddler with a wrong token", "/webhooks/peddler", { "x-webhook-shared-token": "nope" }, 401],
  ["SwiftPOD with a wrong URL secret", "/webhooks/swiftpod?secret=nope", {}, 401],
  [
    "Postmen with a wrong URL secret and a signature",
    "/webhooks/postmen?secret=nope",
    { "am-webhook-signature": "AAAA" },
    401,
  ],
  ["InPost from outside its range", "/webhooks/inpost", { "cf-connecting-ip": "203.0.113.9" }, 403],
  ["InPost with a spoofed X-Forwarded-For", "/webhooks/inpost", { "x-forwarded-for": "91.216.25.7" }, 403],
];

describe("unauthenticated bodies are not read", () => {
  for (const [name, path, headers, status] of UNAUTHENTICATED) {
    it(`${name}: answered ${status} at once, with an endless body never read`, async () => {
      const { body, pulls } = watchedBody("endless");
      expect((await send(path, headers, body)).status).toBe(status);
      expect(pulls()).toBe(0);
    });

    it(`${name}: answered ${status}, not 5xx, with a body that breaks when read`, async () => {
      const { body, pulls } = watchedBody("broken");
      expect((await send(path, headers, body)).status).toBe(status);
      expect(pulls()).toBe(0);
    });
  }

  it("a request claiming a body far over MAX_BODY_BYTES is refused for its sender first (401, not 413)", async () => {
    const { body, pulls } = watchedBody("endless");
    const res = await send("/webhooks/peddler", { "content-length": "1073741824" }, body);
    expect(res).toEqual({ status: 401, code: "unauthorized" });
    expect(pulls()).toBe(0);
  });

  it("an unconfigured carrier answers 503 without reading the body", async () => {
    const { body, pulls } = watchedBody("endless");
    const res = await app.fetch(
      new Request("https://parcelhook.test/webhooks/peddler", {
        method: "POST",
        headers: { "x-webhook-shared-token": "test-peddler" },
        body,
      }),
      { ...env, PEDDLER_WEBHOOK_TOKEN: "" },
      createExecutionContext(),
    );
    expect(res.status).toBe(503);
    expect(pulls()).toBe(0);
  });

  it("Postmen reads the body, for its signature, only once the URL secret passed", async () => {
    const raw = new TextEncoder().encode('{"event":"calculate_rates"}');
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        controller.enqueue(raw);
        controller.close();
      },
    });
    const res = await send("/webhooks/postmen?secret=test-postmen", { "am-webhook-signature": "AAAA" }, body);
    expect(res).toEqual({ status: 401, code: "unauthorized" });
    expect(pulls).toBeGreaterThan(0);
  });
});
