import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, hasChromium, launchChromium } from "./chromium";
import { prepareArtifacts, screenshot } from "./screenshot";
import { type Sink, startSink } from "./sink";
import { type Receiver, startReceiver, TEST_VARS } from "./start-receiver";

// Debian's chromium (CI installs it in .ci/run); without it this test cannot run here.
if (!hasChromium)
  console.warn(`destinations browser test skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

const PORT = 8852;

let receiver: Receiver;
let sink: Sink;
let browser: Browser;
let page: Page;
const shot = (name: string, toDocs = true) => screenshot(page, name, toDocs);
const requested: string[] = [];
const consoleErrors: string[] = [];

interface ApiDestination {
  id: string;
  name: string;
  paused: boolean;
  filter: Record<string, string[]> | null;
}

async function apiDestinations(): Promise<{ text: string; destinations: ApiDestination[] }> {
  const res = await fetch(`${receiver.url}/api/destinations`, {
    headers: { authorization: `Bearer ${TEST_VARS.ADMIN_TOKEN}` },
  });
  expect(res.status).toBe(200);
  const text = await res.text();
  return { text, destinations: (JSON.parse(text) as { destinations: ApiDestination[] }).destinations };
}

const byName = async (name: string) => (await apiDestinations()).destinations.find((d) => d.name === name);
const row = (name: string) => page.locator("#destinations tbody tr", { hasText: name });

/** Adds a destination through the form and returns the secret the next page shows once. */
async function add(name: string, url: string, filter: { carriers?: string[]; statuses?: string[] } = {}) {
  await page.goto(`${receiver.url}/dashboard/destinations`);
  const form = page.locator("#create-destination");
  await form.locator('input[name="name"]').fill(name);
  await form.locator('input[name="url"]').fill(url);
  if (filter.carriers) await form.locator('select[name="carriers"]').selectOption(filter.carriers);
  if (filter.statuses) await form.locator('select[name="statuses"]').selectOption(filter.statuses);
  await form.locator('button:has-text("Add destination")').click();
  await page.waitForSelector("#new-secret");
  return (await page.textContent("#new-secret code"))?.trim() ?? "";
}

beforeAll(async () => {
  if (!hasChromium) return;
  prepareArtifacts();
  sink = await startSink({ port: PORT + 5, secret: TEST_VARS.FORWARD_SIGNING_SECRET ?? "" });
  receiver = await startReceiver({ port: PORT, vars: { FORWARD_URL: `${sink.url}/erp` } });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("request", (r) => requested.push(r.url()));
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) consoleErrors.push(m.text());
  });
  await page.goto(`${receiver.url}/dashboard`);
  await page.fill('input[name="token"]', TEST_VARS.ADMIN_TOKEN as string);
  await page.click('button:has-text("Sign in")');
  await page.waitForSelector("text=Events per hour by carrier");
});

afterAll(async () => {
  await browser?.close();
  await receiver?.stop();
  await sink?.stop();
});

describe.skipIf(!hasChromium)("the destinations page in a browser", () => {
  it("is linked from the nav and lists `default` (FORWARD_URL) first", async () => {
    await page.click('header a:has-text("Destinations")');
    await page.waitForSelector("h1:has-text('Destinations')");
    const first = page.locator("#destinations tbody tr").first();
    expect(await first.getAttribute("data-destination")).toBe("default");
    expect(await first.textContent()).toContain(`${sink.url}/erp`);
    expect(await first.textContent()).toContain("every event");
  });

  it("create with a filter: the secret is shown once, then never again", async () => {
    const secret = await add("Customer service", `${sink.url}/cs`, {
      carriers: ["peddler", "inpost"],
      statuses: ["delivery_failed", "return_to_sender", "delivery_delayed"],
    });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    await shot("dashboard-destination-created", false);
    const created = await byName("Customer service");
    expect(created?.filter?.carriers?.sort()).toEqual(["inpost", "peddler"]);
    expect(created?.filter?.statuses?.sort()).toEqual(["delivery_delayed", "delivery_failed", "return_to_sender"]);

    await page.goto(`${receiver.url}/dashboard/destinations`);
    expect(await page.content()).not.toContain(secret);
    expect(await page.content()).not.toContain("whsec_");
    await page.click(`a:has-text("Customer service")`);
    await page.waitForSelector("#destination");
    expect(await page.content()).not.toContain("whsec_");
    expect((await apiDestinations()).text).not.toContain("whsec_");
  });

  it("pause and resume from the list", async () => {
    await add("Analytics", `${sink.url}/analytics`);
    await page.goto(`${receiver.url}/dashboard/destinations`);
    await row("Analytics").locator('button:has-text("Pause")').click();
    await page.waitForSelector("text=Paused: nothing is sent there");
    expect(await row("Analytics").locator(".health").textContent()).toBe("paused");
    expect((await byName("Analytics"))?.paused).toBe(true);

    await row("Analytics").locator('button:has-text("Resume")').click();
    await page.waitForSelector("text=Resumed:");
    expect(await row("Analytics").locator(".health").textContent()).toBe("up");
    expect((await byName("Analytics"))?.paused).toBe(false);
  });

  it("rotate: a new secret shown once", async () => {
    const old = await add("Warehouse", `${sink.url}/wms`, { carriers: ["swiftpod"] });
    await page.goto(`${receiver.url}/dashboard/destinations`);
    await page.click('a:has-text("Warehouse")');
    await page.click('button:has-text("Rotate secret")');
    await page.waitForSelector("text=Secret rotated");
    const fresh = (await page.textContent("#new-secret code"))?.trim();
    expect(fresh).toMatch(/^whsec_/);
    expect(fresh).not.toBe(old);
    // Opened again (not reloaded: that would send the rotation's POST again), it is not shown.
    await page.goto(page.url());
    expect(await page.content()).not.toContain("whsec_");
  });

  it("delete asks for a confirmation, then the destination is gone", async () => {
    await add("Old CRM", `${sink.url}/crm`);
    await page.goto(`${receiver.url}/dashboard/destinations`);
    await page.click('a:has-text("Old CRM")');
    await page.click("text=Delete this destination");
    await page.waitForSelector("text=This cannot be undone");
    expect(await byName("Old CRM")).toBeDefined();
    await page.click('button:has-text("Delete Old CRM")');
    await page.waitForSelector("text=Deleted: nothing more is sent there");
    expect(await row("Old CRM").count()).toBe(0);
    expect(await byName("Old CRM")).toBeUndefined();
  });

  it("the list: default first, filters, health and counts (screenshot)", async () => {
    // One paused, so the picture shows both states.
    await page.goto(`${receiver.url}/dashboard/destinations`);
    await row("Warehouse").locator('button:has-text("Pause")').click();
    await page.waitForSelector("text=Paused: nothing is sent there");
    await page.goto(`${receiver.url}/dashboard/destinations`);
    const ids = await page.locator("#destinations tbody tr").evaluateAll((rows) => rows.map((r) => r.textContent));
    expect(ids).toHaveLength(4);
    expect(await row("Customer service").textContent()).toContain("statuses:");
    await shot("dashboard-destinations");
  });

  it("asked for nothing from another origin, and no page logged an error", () => {
    expect(requested.length).toBeGreaterThan(5);
    expect(requested.filter((u) => !u.startsWith(receiver.url))).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
