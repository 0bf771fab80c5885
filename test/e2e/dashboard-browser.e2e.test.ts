import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, hasChromium, launchChromium } from "./chromium";
import { prepareArtifacts, screenshot } from "./screenshot";
import { type Receiver, startReceiver, TEST_VARS } from "./start-receiver";

// Debian's chromium (CI installs it in .ci/run); without it this test cannot run here.
if (!hasChromium) console.warn(`dashboard browser test skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

let receiver: Receiver;
let browser: Browser;
let page: Page;
const shot = (name: string) => screenshot(page, name);
/** Every URL the browser asked for: nothing may come from another origin. */
const requested: string[] = [];
const consoleErrors: string[] = [];

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
const run = `${Date.now()}`.slice(-6);

async function peddler(tn: string, status: string, code: number, hours: number, extra = {}): Promise<string> {
  const res = await fetch(`${receiver.url}/webhooks/peddler`, {
    method: "POST",
    headers: { "x-webhook-shared-token": "test-peddler" },
    body: JSON.stringify({
      id: `e2e-${crypto.randomUUID()}`,
      carrierTrackingNumber: tn,
      status,
      code,
      ts: hoursAgo(hours),
      ...extra,
    }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { event_id: string }).event_id;
}

async function inpost(tn: string, status: string, hours: number): Promise<void> {
  const at = hoursAgo(hours)
    .replace("T", " ")
    .replace(/\.\d+Z$/, " +0000");
  const res = await fetch(`${receiver.url}/webhooks/inpost`, {
    method: "POST",
    headers: { "cf-connecting-ip": "91.216.25.10" },
    body: JSON.stringify({
      event_ts: at,
      event: "shipment_status_changed",
      organization_id: 1,
      payload: { shipment_id: Number(`9${run}${tn.slice(-3)}`), status, tracking_number: tn },
    }),
  });
  expect(res.status).toBe(200);
}

const api = (path: string) =>
  fetch(`${receiver.url}${path}`, { headers: { authorization: `Bearer ${TEST_VARS.ADMIN_TOKEN}` } });

/** A morning's worth of shipments, a quarantined delivery and a refused request, as carriers send them. */
async function seed(): Promise<{ failed: string; pickup: string; delivered: string; quiet: string }> {
  const S = { failed: `PDL${run}01`, pickup: `PDL${run}02`, delivered: `PDL${run}03`, quiet: `PDL${run}04` };
  await peddler(S.failed, "FAILED_ATTEMPT", 601, 3, { failedStatus: "CUSTOMER_NOT_PRESENT_NO_NEIGHBOURS" });
  await peddler(S.pickup, "DELIVERED_COLLECTION_POINT", 550, 26.5);
  await peddler(S.delivered, "DELIVERED", 500, 1);
  await peddler(S.quiet, "SHIPMENT_IN_WAREHOUSE", 210, 90);
  await peddler(`PDL${run}05`, "ON_HOLD", 700, 8);
  await peddler(`PDL${run}06`, "OUT_FOR_DELIVERY", 410, 2);
  await peddler(`PDL${run}07`, "RETURN_TO_SENDER", 900, 20);
  await peddler(`PDL${run}08`, "DELIVERED_COLLECTION_POINT", 550, 52.5);
  await inpost(`6026774393${run}11`, "delivered", 4);
  await inpost(`6026774393${run}12`, "out_for_delivery", 1.5);
  await inpost(`6026774393${run}13`, "ready_to_pickup", 6);
  await inpost(`6026774393${run}14`, "adopted_at_sorting_center", 100);
  // A delivery that fails Peddler's schema (quarantine) and one with a wrong token (refused).
  const bad = {
    id: `e2e-bad-${run}`,
    carrierTrackingNumber: `PDL${run}99`,
    status: "DELIVERED",
    code: "five hundred",
    ts: hoursAgo(1),
  };
  const headers = { "x-webhook-shared-token": "test-peddler" };
  expect(
    (await fetch(`${receiver.url}/webhooks/peddler`, { method: "POST", headers, body: JSON.stringify(bad) })).status,
  ).toBe(422);
  const wrong = { "x-webhook-shared-token": "old-token" };
  expect((await fetch(`${receiver.url}/webhooks/peddler`, { method: "POST", headers: wrong, body: "{}" })).status).toBe(
    401,
  );
  // The real queue consumer writes `shipments`.
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const list = (await (await api("/api/shipments?limit=500")).json()) as { shipments: unknown[] };
    if (list.shipments.length >= 12) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return S;
}

let S: Awaited<ReturnType<typeof seed>>;

beforeAll(async () => {
  if (!hasChromium) return;
  prepareArtifacts();
  receiver = await startReceiver({ port: 8850 });
  // The cron job first, as Cloudflare runs it every minute: it tells the consumer the app has no
  // FORWARD_URL either, so the seeded events are only stored, none held (docs/consumer.md).
  expect((await fetch(`${receiver.url}/cdn-cgi/handler/scheduled`)).status).toBe(200);
  S = await seed();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("request", (r) => requested.push(r.url()));
  page.on("console", (m) => {
    // A 4xx page (the quarantine retry's 422) is logged as a failed load; anything else counts.
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) consoleErrors.push(m.text());
  });
});

afterAll(async () => {
  await browser?.close();
  await receiver?.stop();
});

describe.skipIf(!hasChromium)("the dashboard in a browser", () => {
  it("signs in with an HttpOnly, Secure, SameSite=Strict cookie that never holds the token", async () => {
    // 127.0.0.1 counts as a secure context, so Chromium keeps the Secure session cookie over http.
    await page.goto(`${receiver.url}/dashboard`);
    await shot("dashboard-sign-in");
    await page.fill('input[name="token"]', TEST_VARS.ADMIN_TOKEN as string);
    await page.click('button:has-text("Sign in")');
    await page.waitForSelector("text=Events per hour by carrier");
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === "ph_session")).toMatchObject({
      httpOnly: true,
      secure: true,
      sameSite: "Strict",
    });
    expect(page.url()).not.toContain("test-admin-token-0123456789abcdef0123");
    expect(await page.content()).not.toContain("test-admin-token-0123456789abcdef0123");
  });

  it("front page: charts, delivery states with held, storage, and shipments per status and carrier", async () => {
    await page.goto(`${receiver.url}/dashboard`);
    expect(await page.textContent("#overview")).toMatch(/held 0/);
    expect(await page.textContent("#storage")).toMatch(/Storage: [\d.]+ [kMG]?B of 10 GB budget/);
    const counts = page.locator("#shipment-counts");
    expect(await counts.locator("tr", { hasText: "ready_for_pickup" }).locator("td.n").last().textContent()).toBe("3");
    await shot("dashboard-events");
    // A count opens that list.
    await counts.locator("tr", { hasText: "delivery_failed" }).locator("a").last().click();
    await page.waitForSelector("text=Matching shipments");
    expect(await page.textContent("main")).toContain(S.failed);
  });

  it("shipments: the three presets, waiting times, and each row opens the shipment's timeline", async () => {
    await page.goto(`${receiver.url}/dashboard`);
    await page.click('header a:has-text("Shipments")');
    await page.waitForSelector("text=Needs attention");
    const attention = await page.textContent("main");
    expect(attention).toContain(S.failed);
    expect(attention).toContain(`PDL${run}05`); // on_hold
    expect(attention).toContain(`PDL${run}07`); // return_to_sender
    expect(attention).toContain(S.quiet); // quiet for 90 h
    expect(attention).not.toContain(S.delivered);
    await shot("dashboard-shipments-attention");

    await page.click('nav.presets a:has-text("Awaiting pickup")');
    await page.waitForSelector("text=Ready for pickup");
    const row = page.locator("tr", { hasText: S.pickup });
    expect(await row.locator("td.waited").textContent()).toBe("1 d 2 h");
    expect(
      await page
        .locator("tr", { hasText: `PDL${run}08` })
        .locator("td.waited")
        .textContent(),
    ).toBe("2 d 4 h");
    await shot("dashboard-shipments-pickup");

    await page.click('nav.presets a:has-text("Delivered today")');
    await page.waitForSelector("text=Delivered today (UTC)");
    expect(await page.textContent("main")).toContain(S.delivered);
    expect(await page.textContent("main")).not.toContain(S.failed);
    await shot("dashboard-shipments-delivered-today");

    await page.click(`a:has-text("${S.delivered}")`);
    await page.waitForSelector("text=Timeline (carrier time)");
    expect(page.url()).toBe(`${receiver.url}/dashboard/shipments/${S.delivered}?carrier=peddler`);
    expect(await page.textContent("dl")).toContain("delivered (DELIVERED)");
    await shot("dashboard-shipment");
  });

  it("bulk replay from the list ends on the list with how many were replayed", async () => {
    await page.goto(`${receiver.url}/dashboard`);
    await page.selectOption('form.filters select[name="status"]', "on_hold");
    await page.selectOption('form.filters select[name="carrier"]', "peddler");
    await page.click('button:has-text("Filter")');
    await page.click('button:has-text("Replay all matching")');
    await page.waitForSelector("#bulk-notice");
    expect(await page.textContent("#bulk-notice")).toContain("Replayed 1 event");
    expect(page.url()).toMatch(/\/dashboard\?carrier=peddler&status=on_hold&notice=bulk&replayed=1$/);
    await shot("dashboard-bulk-replay");
  });

  it("an event: raw body, attempts, and a replay", async () => {
    await page.goto(`${receiver.url}/dashboard/shipments/${S.failed}?carrier=peddler`);
    await page.click('td.mono a[href^="/dashboard/events/"]');
    await page.waitForSelector("text=Raw body as received");
    expect(await page.textContent("body")).toContain("Never replayed.");
    await page.click('button:has-text("Replay this event")');
    await page.waitForSelector("text=queued again");
    expect(await page.textContent("#replays")).toContain("Replayed at");
    await shot("dashboard-event");
  });

  it("quarantine: the failed delivery with its issues and a retry that still fails", async () => {
    await page.click('header a:has-text("Quarantine")');
    await page.waitForSelector("h1:has-text('Quarantine')");
    expect(await page.textContent("main")).toContain(`e2e-bad-${run}`);
    await shot("dashboard-quarantine");
    await page
      .locator("tr", { hasText: `e2e-bad-${run}` })
      .locator('button:has-text("Retry")')
      .click();
    await page.waitForSelector("[role=alert]");
    expect(await page.textContent("[role=alert]")).toContain("code");
  });

  it("/api/docs: the reference, rendered offline from this origin only, with nothing blocked by its CSP", async () => {
    await page.goto(`${receiver.url}/api/docs`);
    await page.waitForSelector("text=parcelhook operator API");
    expect(await page.textContent("main")).toContain("/api/shipments");
    // Styled: the CSP's hash admitted the inline style.
    expect(
      await page
        .locator("span.m.get")
        .first()
        .evaluate((e) => getComputedStyle(e).color),
    ).toBe("rgb(255, 255, 255)");
    await shot("api-docs");
  });

  it("asked for nothing from another origin, and no page logged an error (CSP violations included)", () => {
    expect(requested.length).toBeGreaterThan(10);
    expect(requested.filter((u) => !u.startsWith(receiver.url))).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
