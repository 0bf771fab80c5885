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

async function signIn(token = "test-admin-token-0123456789abcdef0123"): Promise<string> {
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

function allReplays(): Promise<number> {
  return env.DB.prepare("SELECT count(*) AS n FROM event_attempts WHERE kind = 'replay'")
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

  it("inlines the stylesheet of the static assets (public/dashboard.css) into the page", async () => {
    const css = await (await env.ASSETS.fetch(`${ORIGIN}/dashboard.css`)).text();
    expect(css).toContain("box-sizing");
    const html = await (await browser("/dashboard")).text();
    expect(html).toContain(css);
  });

  it("sets an HttpOnly, Secure, SameSite=Strict session cookie that does not hold the token", async () => {
    const res = await browser("/dashboard/sign-in", { form: { token: "test-admin-token-0123456789abcdef0123" } });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/dashboard");
    const setCookie = res.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^ph_session=/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/Secure/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\/dashboard/);
    expect(decodeURIComponent(setCookie)).not.toContain("test-admin-token-0123456789abcdef0123");
  });

  it("answers 413 payload_too_large to a sign-in form over 4 KiB, before reading it", async () => {
    const res = await browser("/dashboard/sign-in", { form: { token: "x".repeat(5000) } });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: { code: "payload_too_large", message: expect.any(String) } });
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("refuses a wrong token with 401 and no cookie", async () => {
    const res = await browser("/dashboard/sign-in", { form: { token: "guess" } });
    expect(res.status).toBe(401);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(await res.text()).toContain("not valid");
  });

  it("refuses a sign-in posted from another site (CSRF)", async () => {
    for (const origin of ["https://evil.example", null]) {
      const res = await browser("/dashboard/sign-in", {
        form: { token: "test-admin-token-0123456789abcdef0123" },
        origin,
      });
      expect(res.status).toBe(403);
      expect(res.headers.get("set-cookie")).toBeNull();
    }
  });

  it("ends a session whose token was rotated out of ADMIN_TOKEN, and a forged cookie gets nothing", async () => {
    const ctx = createExecutionContext();
    const res = await app.fetch(
      new Request(`${ORIGIN}/dashboard`, { headers: { cookie } }),
      { ...env, ADMIN_TOKEN: "next-admin-token-0123456789abcdef0123" },
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
    expect(all).not.toContain("test-admin-token-0123456789abcdef0123");

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

  it("replays every event matching the list's filter and shows how many on the page it returns to", async () => {
    const tn = `BULK${crypto.randomUUID().slice(0, 8)}`;
    const ids = [
      await postPeddler({ carrierTrackingNumber: tn }),
      await postPeddler({ carrierTrackingNumber: tn, code: 500 }),
    ];
    const res = await browser("/dashboard/replay", { form: { tracking_number: tn, limit: "500" }, cookie });
    expect(res.status).toBe(303);
    for (const id of ids) expect(await replayCount(id)).toBe(1);
    // The page the browser lands on: the same filter, and the notice (this answered 400 before).
    const location = res.headers.get("location") ?? "";
    expect(location).toMatch(/^\/dashboard\?tracking_number=BULK\w+&notice=bulk&replayed=2$/);
    const landed = await browser(location, { cookie });
    expect(landed.status).toBe(200);
    const html = await landed.text();
    expect(html).toContain("Replayed 2 events");
    expect(html).not.toContain("More events match");
    for (const id of ids) expect(html).toContain(id);
  });

  it("offers to go on when more events match than one bulk replay takes", async () => {
    const tn = `MORE${crypto.randomUUID().slice(0, 8)}`;
    const ids = [await postPeddler({ carrierTrackingNumber: tn }), await postPeddler({ carrierTrackingNumber: tn })];
    const res = await browser("/dashboard/replay", { form: { tracking_number: tn, limit: "1" }, cookie });
    const html = await (await browser(res.headers.get("location") ?? "", { cookie })).text();
    expect(html).toContain("Replayed 1 event:");
    const cursor = /name="cursor" value="([\w-]+)"/.exec(html)?.[1] as string;
    expect(html).toMatch(new RegExp(`<input type="hidden" name="tracking_number" value="${tn}" ?/>`));
    const next = await browser("/dashboard/replay", { form: { tracking_number: tn, cursor }, cookie });
    expect(next.headers.get("location")).toContain("replayed=1");
    for (const id of ids) expect(await replayCount(id)).toBe(1);
  });

  it("refuses a bulk replay whose only fields are paging (limit, cursor): they are not filters", async () => {
    await postPeddler();
    const before = await allReplays();
    for (const form of [{ limit: "1" }, { limit: "500" }, {}] as Record<string, string>[]) {
      const res = await browser("/dashboard/replay", { form, cookie });
      expect(res.status, JSON.stringify(form)).toBe(400);
      const body = await res.json<{ error: { code: string; issues: { path: string }[] } }>();
      expect(body.error).toMatchObject({ code: "invalid_request", issues: [{ path: "$" }] });
    }
    expect(await allReplays()).toBe(before);
  });

  it("finds a shipment from the header's box and shows its timeline", async () => {
    const tn = `SHIP${crypto.randomUUID().slice(0, 8)}`;
    const id = await postPeddler({ carrierTrackingNumber: tn });
    const found = await browser(`/dashboard/shipments?tracking_number=${tn}`, { cookie });
    expect(found.status).toBe(303);
    expect(found.headers.get("location")).toBe(`/dashboard/shipments/${tn}`);
    const res = await browser(`/dashboard/shipments/${tn}?carrier=peddler`, { cookie });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(tn);
    expect(html).toContain(id);
    expect((await browser("/dashboard/shipments/NOPE", { cookie })).status).toBe(404);
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

describe("shipments", () => {
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
  const tag = crypto.randomUUID().slice(0, 6).toUpperCase();
  const S = { failed: `ATT${tag}`, pickup: `PICK${tag}`, delivered: `DONE${tag}`, quiet: `QUIET${tag}` };

  beforeAll(async () => {
    await postPeddler({ carrierTrackingNumber: S.failed, status: "FAILED_ATTEMPT", code: 601, ts: hoursAgo(1) });
    await postPeddler({
      carrierTrackingNumber: S.pickup,
      status: "DELIVERED_COLLECTION_POINT",
      code: 550,
      ts: hoursAgo(50.5),
    });
    await postPeddler({ carrierTrackingNumber: S.delivered, status: "DELIVERED", code: 500, ts: hoursAgo(1) });
    await postPeddler({
      carrierTrackingNumber: S.quiet,
      status: "SHIPMENT_IN_WAREHOUSE",
      code: 210,
      ts: hoursAgo(100),
    });
    // The real queue consumer keeps `shipments`, about a second later.
    const deadline = Date.now() + 15_000;
    for (;;) {
      const row = await env.DB.prepare(
        "SELECT count(*) AS n FROM shipments WHERE tracking_number IN (SELECT value FROM json_each(?))",
      )
        .bind(JSON.stringify(Object.values(S)))
        .first<{ n: number }>();
      if (row?.n === 4 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  const page = async (path: string) => {
    const res = await browser(path, { cookie });
    expect(res.status, path).toBe(200);
    return res.text();
  };
  const link = (tn: string) => `href="/dashboard/shipments/${tn}?carrier=peddler"`;

  it("Needs attention: the problem statuses, and what has been quiet for 72 h, each row linking to its timeline", async () => {
    const html = await page("/dashboard/shipments?preset=attention");
    expect(html).toContain(link(S.failed));
    expect(html).toContain(link(S.quiet));
    expect(html).toContain("4 d 4 h"); // how long the quiet one has waited
    expect(html).not.toContain(S.pickup);
    expect(html).not.toContain(S.delivered);
    expect(await page("/dashboard/shipments")).toContain(link(S.failed)); // the default preset
  });

  it("Awaiting pickup: ready_for_pickup with how long each parcel has waited", async () => {
    const html = await page("/dashboard/shipments?preset=pickup");
    expect(html).toMatch(new RegExp(`${S.pickup}[\\s\\S]*?<td class="waited">2 d 2 h</td>`));
    expect(html).not.toContain(S.failed);
  });

  it("Delivered today", async () => {
    const html = await page("/dashboard/shipments?preset=delivered_today");
    expect(html).toContain(link(S.delivered));
    expect(html).not.toContain(S.failed);
  });

  it("filters like the API (several statuses from a multiple select), downloads CSV, and shows bad filters", async () => {
    const html = await page("/dashboard/shipments?status=delivery_failed&status=ready_for_pickup&carrier=peddler");
    expect(html).toContain(link(S.failed));
    expect(html).toContain(link(S.pickup));
    expect(html).not.toContain(S.delivered);
    expect(html).toContain(
      'href="/dashboard/shipments.csv?status=delivery_failed%2Cready_for_pickup&amp;carrier=peddler"',
    );
    const csv = await browser("/dashboard/shipments.csv?status=ready_for_pickup", { cookie });
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(await csv.text()).toMatch(
      new RegExp(`^tracking_number,[^\\n]*\\r\\n(.*\\r\\n)*${S.pickup},peddler,ready_for_pickup,`),
    );
    const bad = await browser("/dashboard/shipments?quiet_for_hours=soon", { cookie });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("<code>quiet_for_hours</code>");
  });

  it("the front page counts shipments per status and carrier, delivery states (held too) and storage", async () => {
    const html = await page("/dashboard");
    expect(html).toContain("Shipments by status");
    expect(html).toMatch(/<a href="\/dashboard\/shipments\?status=ready_for_pickup&amp;carrier=peddler">\d+<\/a>/);
    expect(html).toMatch(/<span class="state held">held 0<\/span>/);
    expect(html).toMatch(/Storage: \d+(\.\d)? [kMG]?B of 10 GB budget/);
  });
});
