import { existsSync, mkdirSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Receiver, startReceiver, TEST_VARS } from "./start-receiver";

// Debian's chromium (CI installs it in .ci/run); without it this test cannot run here.
const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`dashboard browser test skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

let receiver: Receiver;
let browser: Browser;

beforeAll(async () => {
  if (!hasChromium) return;
  receiver = await startReceiver({ port: 8850 });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await receiver?.stop();
});

it.skipIf(!hasChromium)("signs in, finds a posted event, replays it and keeps a screenshot", async () => {
  const tracking = `E2E${Date.now()}`;
  const delivery = await fetch(`${receiver.url}/webhooks/peddler`, {
    method: "POST",
    headers: { "x-webhook-shared-token": "test-peddler" },
    body: JSON.stringify({
      id: `e2e-${Date.now()}`,
      carrierTrackingNumber: tracking,
      status: "OUT_FOR_DELIVERY",
      code: 410,
      ts: "2024-09-02T13:08:06.574Z",
    }),
  });
  expect(delivery.status).toBe(200);
  const { event_id } = (await delivery.json()) as { event_id: string };

  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // 127.0.0.1 counts as a secure context, so Chromium keeps the Secure session cookie over http.
  await page.goto(`${receiver.url}/dashboard`);
  await page.fill('input[name="token"]', TEST_VARS.ADMIN_TOKEN as string);
  await page.click('button:has-text("Sign in")');
  await page.waitForSelector("text=Events per hour by carrier");
  const cookies = await page.context().cookies();
  expect(cookies.find((c) => c.name === "ph_session")).toMatchObject({
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
  });
  expect(page.url()).not.toContain("test-admin");
  expect(await page.content()).not.toContain("test-admin");

  await page.fill('form.filters input[name="tracking_number"]', tracking);
  await page.click('button:has-text("Filter")');
  await page.click(`a:has-text("${event_id}")`);
  await page.waitForSelector("text=Raw body as received");
  expect(await page.textContent("body")).toContain("Never replayed.");

  await page.click('button:has-text("Replay this event")');
  await page.waitForSelector("text=queued again");
  expect(await page.textContent("#replays")).toContain("Replayed at");
  expect(page.url()).toBe(`${receiver.url}/dashboard/events/${event_id}?notice=replayed`);

  // The replayed message reaches the real local queue: the consumer stores the event again.
  const deadline = Date.now() + 15_000;
  let state = "";
  while (Date.now() < deadline) {
    const res = await fetch(`${receiver.url}/api/events/${event_id}`, {
      headers: { authorization: `Bearer ${TEST_VARS.ADMIN_TOKEN}` },
    });
    const detail = (await res.json()) as { event: { state: string }; seen_at: string | null; replays: unknown[] };
    state = detail.event.state;
    if (state === "stored" && detail.seen_at && detail.replays.length === 1) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(state).toBe("stored");

  await page.goto(`${receiver.url}/dashboard/events/${event_id}`);
  mkdirSync("artifacts", { recursive: true });
  await page.screenshot({ path: "artifacts/dashboard.png", fullPage: true });
  await page.goto(`${receiver.url}/dashboard`);
  await page.screenshot({ path: "artifacts/dashboard-events.png", fullPage: true });
});
