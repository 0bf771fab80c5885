import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { flushRejections } from "../src/rejections/count-rejection";
import { callWith } from "./helpers/call-with";
import { call } from "./helpers/post-webhook";

// Operator tokens (ADMIN_TOKEN) are refused at configuration time when they are short (< 32
// characters) or hold characters the API's `Bearer <token68>` cannot carry (RFC 6750): /health
// names the problem, and the operator API, the dashboard and /metrics answer 503 with the reason.
const LONG_BUT_ODD = "p@ss!x-and-long-enough-to-pass-the-length-rule";
const SHORT = "admin";
const GOOD = "operator-token-0123456789abcdefABCDEF-._~+/=";

async function health(overrides: Partial<Env>) {
  const res = await callWith("/health", overrides);
  return res.json<{ config_problems: { name: string; message: string }[]; config_warnings?: unknown[] }>();
}

describe("operator tokens", () => {
  for (const [what, token, reason] of [
    ["shorter than 32 characters", SHORT, /at least 32 characters/],
    ["with characters a bearer token cannot carry", LONG_BUT_ODD, /RFC 6750/],
    ["with one bad value in a rotation list", `${GOOD},${SHORT}`, /at least 32 characters/],
  ] as const) {
    it(`refuses an ADMIN_TOKEN ${what}: /health names it, the API and the dashboard answer 503 with the reason`, async () => {
      const overrides = { ADMIN_TOKEN: token } as Partial<Env>;
      const problems = (await health(overrides)).config_problems;
      expect(problems).toContainEqual({ name: "ADMIN_TOKEN", message: expect.stringMatching(reason) });
      expect(JSON.stringify(problems)).not.toContain(SHORT === token ? `"${SHORT}"` : token);
      for (const path of ["/api/stats", "/dashboard", "/metrics"]) {
        const res = await callWith(path, overrides, { headers: { authorization: `Bearer ${token.split(",")[0]}` } });
        expect(res.status, path).toBe(503);
        const body = await res.json<{ error: { code: string; message: string } }>();
        expect(body.error.code, path).toBe("admin_not_configured");
        expect(body.error.message, path).toMatch(reason);
      }
      const signIn = await callWith("/dashboard/sign-in", overrides, {
        method: "POST",
        headers: { origin: "https://parcelhook.test", "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token }).toString(),
      });
      expect(signIn.status).toBe(503);
    });
  }

  it("takes a long token68 ADMIN_TOKEN, with no problem in /health", async () => {
    const overrides = { ADMIN_TOKEN: GOOD } as Partial<Env>;
    expect((await health(overrides)).config_problems.map((p) => p.name)).not.toContain("ADMIN_TOKEN");
    const res = await callWith("/api/stats", overrides, { headers: { authorization: `Bearer ${GOOD}` } });
    expect(res.status).toBe(200);
  });

  it("warns in /health of a carrier secret shorter than 16 characters, naming it, never its value", async () => {
    const body = await health({
      PEDDLER_WEBHOOK_TOKEN: "short-secret",
      POSTMEN_HMAC_SECRET: "a-long-enough-hmac-secret",
    });
    expect(body.config_warnings).toContainEqual({
      name: "PEDDLER_WEBHOOK_TOKEN",
      message: expect.stringMatching(/16/),
    });
    expect(JSON.stringify(body.config_warnings)).not.toContain("POSTMEN_HMAC_SECRET");
    expect(JSON.stringify(body)).not.toContain("short-secret");
  });

  it("counts failed bearers and sign-ins under `operator` in /api/stats, never as a carrier's run", async () => {
    await flushRejections(env.DB);
    await env.DB.prepare("DELETE FROM rejection_runs").run();
    const admin = { authorization: `Bearer ${env.ADMIN_TOKEN}` };
    for (let i = 0; i < 12; i++) {
      // Through the Worker's own fetch handler, which does not wait for the delayed counter flush.
      const res = await call("/api/events", undefined, { headers: { authorization: `Bearer wrong-${i}` } });
      expect(res.status).toBe(401);
    }
    const signIn = await callWith(
      "/dashboard/sign-in",
      {},
      {
        method: "POST",
        headers: { origin: "https://parcelhook.test", "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token: "a-guess" }).toString(),
      },
    );
    expect(signIn.status).toBe(401);
    await flushRejections(env.DB);
    const stats = await (await callWith("/api/stats", {}, { headers: admin })).json<{
      rejections: { by_reason: { carrier: string; status: number; code: string; count: number }[] };
    }>();
    const operator = stats.rejections.by_reason.filter((r) => r.carrier === "operator");
    expect(operator).toContainEqual({
      carrier: "operator",
      status: 401,
      code: "unauthorized",
      count: expect.any(Number),
    });
    expect(operator.find((r) => r.code === "unauthorized")?.count).toBeGreaterThanOrEqual(12);
    expect(operator).toContainEqual({
      carrier: "operator",
      status: 401,
      code: "sign_in_failed",
      count: expect.any(Number),
    });
    const runs = await env.DB.prepare("SELECT carrier FROM rejection_runs").all();
    expect(runs.results).toEqual([]);
  });
});
