import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { checkAlerts } from "../src/alerts";

// Alerts are signed with ALERT_SIGNING_SECRET only: whoever receives ALERT_URL traffic must not hold
// headers that verify at a destination (FORWARD_SIGNING_SECRET).
const ALERT_KEY = "whsec_YWxlcnQtc2lnbmluZy1rZXktb2YtdGhpcnR5LXR3by1ieXRlcw==";
const NOW = new Date();

async function sentAlert(vars: Record<string, string>): Promise<Request> {
  const seen: Request[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    seen.push(new Request(input as RequestInfo, init));
    return new Response("ok");
  });
  const base = { ALERT_URL: "https://alerts.parcelhook.test/hook", STORAGE_BUDGET_BYTES: "1" };
  const sent = await checkAlerts({ ...env, ...base, ...vars } as Env, NOW);
  expect(sent.map((a) => a.alert)).toEqual(["storage_high"]);
  const [request] = seen;
  if (!request) throw new Error("no alert was POSTed");
  return request;
}

const headersOf = (r: Request) => Object.fromEntries(r.headers);

beforeEach(async () => {
  await env.DB.prepare("DELETE FROM alerts_sent").run();
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe("alert signing (fetch replaced: ALERT_URL's request is captured, not sent)", () => {
  it("signs with ALERT_SIGNING_SECRET, and the headers do not verify with FORWARD_SIGNING_SECRET", async () => {
    const request = await sentAlert({ ALERT_SIGNING_SECRET: ALERT_KEY });
    const body = await request.text();
    const headers = headersOf(request);
    expect(headers["webhook-id"]).toMatch(/^alert_/);
    expect(() => new Webhook(ALERT_KEY).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(env.FORWARD_SIGNING_SECRET).verify(body, headers)).toThrow();
  });

  it("sends alerts unsigned when ALERT_SIGNING_SECRET is unset, though FORWARD_SIGNING_SECRET is set", async () => {
    expect(env.FORWARD_SIGNING_SECRET).toMatch(/^whsec_/);
    const request = await sentAlert({});
    expect(request.headers.get("webhook-signature")).toBeNull();
    expect(request.headers.get("content-type")).toBe("application/json");
  });
});
