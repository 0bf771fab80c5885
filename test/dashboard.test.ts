import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../src/app";
import { peddlerOutForDelivery } from "./fixtures/peddler";
import { call } from "./helpers/post-webhook";

const ORIGIN = "https://parcelhook.test";
const peddlerAuth = { "x-webhook-shared-token": "test-peddler" };

/** A browser-like request to the Worker: a form post carries the page's Origin unless told otherwise. */
function browser(
  path: string,
  opts: { form?: Record<string, string>; cookie?: string; origin?: string | null } = {},
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    if (opts.origin !== null) headers.origin = opts.origin ?? ORIGIN;
  }
  return exports.default.fetch(`${ORIGIN}${path}`, {
    method: opts.form ? "POST" : "GET",
    headers,
    body: opts.form ? new URLSearchParams(opts.form).toString() : undefined,
    redirect: "manual",
  });
}

async function signIn(token = "test-admin"): Promise<string> {
  const res = await browser("/dashboard/sign-in", { form: { token } });
  expect(res.status).toBe(303);
  const setCookie = res.headers.get("set-cookie") ?? "";
  return setCookie.split(";")[0] as string;
}

async function postPeddler(over: Record<string, unknown> = {}): Promise<string> {
  const body = { ...peddlerOutForDelivery, id: `dash-${crypto.randomUUID()}`, ...over };
  const res = await call("/webhooks/peddler", body, { headers: peddlerAuth });
  expect(res.status).toBe(200);
  return (await res.json<{ event_id: string }>()).event_id;
}

function replayCount(id: string): Promise<number> {
  return env.DB.prepare("SELECT count(*) AS n FROM event_attempts WHERE event_id = ? AND kind = 'replay'")
    .bind(id)
    .first<{ n: number }>()
    .then((r) => r?.n ?? 0);
}

let cookie: string;
beforeAll(async () => {
  cookie = await signIn();
});

describe("signing in", () => {
  it("shows the sign-in form without a session, and nothing else", async () => {
    await postPeddler();
    const res = await browser("/dashboard");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('action="/dashboard/sign-in"');
    expect(html).not.toContain("evt_");
  });

  it("sets an HttpOnly, Secure, SameSite=Strict session cookie that does not hold the token", async () => {
    const res = await browser("/dashboard/sign-in", { form: { token: "test-admin" } });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/dashboard");
    const setCookie = res.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^ph_session=/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/Secure/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\/dashboard/);
    expect(decodeURIComponent(setCookie)).not.toContain("test-admin");
  });

  it("refuses a wrong token with 401 and no cookie", async () => {
    const res = await browser("/dashboard/sign-in", { form: { token: "guess" } });
    expect(res.status).toBe(401);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(await res.text()).toContain("not valid");
  });

  it("refuses a sign-in posted from another site (CSRF)", async () => {
    for (const origin of ["https://evil.example", null]) {
      const res = await browser("/dashboard/sign-in", { form: { token: "test-admin" }, origin });
      expect(res.status).toBe(403);
      expect(res.headers.get("set-cookie")).toBeNull();
    }
  });

  it("ends a session whose token was rotated out of ADMIN_TOKEN, and a forged cookie gets nothing", async () => {
    const ctx = createExecutionContext();
    const res = await app.fetch(
      new Request(`${ORIGIN}/dashboard`, { headers: { cookie } }),
      { ...env, ADMIN_TOKEN: "next-admin" },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(await res.text()).toContain('action="/dashboard/sign-in"');
    const forged = await browser("/dashboard", { cookie: `ph_session=${"9".repeat(10)}.x.AAAA` });
    expect(await forged.text()).toContain('action="/dashboard/sign-in"');
  });

  it("answers 503 admin_not_configured when ADMIN_TOKEN is unset", async () => {
    const ctx = createExecutionContext();
    const res = await app.fetch(
      new Request(`${ORIGIN}/dashboard`, { headers: { cookie } }),
      { ...env, ADMIN_TOKEN: "" },
      ctx,
    );
    expect(res.status).toBe(503);
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe("admin_not_configured");
  });

  it("signs out by clearing the cookie", async () => {
    const res = await browser("/dashboard/sign-out", { form: {}, cookie });
    expect(res.status).toBe(303);
    expect(res.headers.get("set-cookie")).toMatch(/^ph_session=;.*Max-Age=0/);
  });
});

describe("pages", () => {
  it("lists recent events with filters and charts of events and rejections per hour", async () => {
    const tn = `DASH${crypto.randomUUID().slice(0, 8)}`;
    const id = await postPeddler({ carrierTrackingNumber: tn });
    const other = await postPeddler();
    await call("/webhooks/peddler", peddlerOutForDelivery, { headers: { "x-webhook-shared-token": "wrong" } });

    const all = await (await browser("/dashboard", { cookie })).text();
    expect(all).toContain(id);
    expect(all).toContain(other);
    expect(all).toContain("Events per hour by carrier");
    expect(all).toContain("Rejected requests per hour");
    expect(all).toMatch(/<svg[^>]*aria-label="Events per hour by carrier"[\s\S]*<rect/);
    expect(all).not.toContain("test-admin");

    const filtered = await browser(`/dashboard?tracking_number=${tn}&carrier=peddler&status=&state=`, { cookie });
    expect(filtered.status).toBe(200);
    const html = await filtered.text();
    expect(html).toContain(id);
    expect(html).not.toContain(other);

    const bad = await browser("/dashboard?carrier=ups", { cookie });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("<code>carrier</code>");
  });

  it("shows an event's raw JSON and attempts, and replays it on a same-origin form post only", async () => {
    const id = await postPeddler({ extra: "kept-in-raw" });
    const page = await (await browser(`/dashboard/events/${id}`, { cookie })).text();
    expect(page).toContain("kept-in-raw");
    expect(page).toContain(`action="/dashboard/events/${id}/replay"`);
    expect(page).toContain("Never replayed.");

    for (const origin of ["https://evil.example", null]) {
      const refused = await browser(`/dashboard/events/${id}/replay`, { form: {}, cookie, origin });
      expect(refused.status).toBe(403);
    }
    const noSession = await browser(`/dashboard/events/${id}/replay`, { form: {} });
    expect(noSession.status).toBe(401);
    expect(await replayCount(id)).toBe(0);

    const res = await browser(`/dashboard/events/${id}/replay`, { form: {}, cookie });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/dashboard/events/${id}?notice=replayed`);
    expect(await replayCount(id)).toBe(1);
    const after = await (await browser(`/dashboard/events/${id}?notice=replayed`, { cookie })).text();
    expect(after).toContain("queued again");
    expect(after).toContain("Replayed at");
  });

  it("replays every event matching the list's filter", async () => {
    const tn = `BULK${crypto.randomUUID().slice(0, 8)}`;
    const ids = [
      await postPeddler({ carrierTrackingNumber: tn }),
      await postPeddler({ carrierTrackingNumber: tn, code: 500 }),
    ];
    const res = await browser("/dashboard/replay", { form: { tracking_number: tn }, cookie });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toContain("n=2");
    for (const id of ids) expect(await replayCount(id)).toBe(1);
  });

  it("finds a shipment and shows its timeline", async () => {
    const tn = `SHIP${crypto.randomUUID().slice(0, 8)}`;
    const id = await postPeddler({ carrierTrackingNumber: tn });
    const res = await browser(`/dashboard/shipments?tracking_number=${tn}`, { cookie });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(tn);
    expect(html).toContain(id);
    expect((await browser("/dashboard/shipments?tracking_number=NOPE", { cookie })).status).toBe(404);
  });

  it("shows the quarantine with retry buttons", async () => {
    const res = await call(
      "/webhooks/peddler",
      { ...peddlerOutForDelivery, id: "dash-bad", code: "x" },
      {
        headers: peddlerAuth,
      },
    );
    expect(res.status).toBe(422);
    const html = await (await browser("/dashboard/quarantine", { cookie })).text();
    expect(html).toContain("dash-bad");
    const retry = /action="(\/dashboard\/quarantine\/dlv_\w+\/retry)"/.exec(html)?.[1] as string;
    const again = await browser(retry, { form: {}, cookie });
    expect(again.status).toBe(422);
    expect(await again.text()).toContain("<code>code</code>");
  });
});
