import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, hasChromium, launchChromium } from "./chromium";
import { prepareArtifacts, screenshot } from "./screenshot";
import { type Receiver, startReceiver, TEST_VARS } from "./start-receiver";

// Debian's chromium (CI installs it in .ci/run); without it this test cannot run here.
if (!hasChromium) console.warn(`keys browser test skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

const PORT = 9650;

let receiver: Receiver;
let browser: Browser;
let page: Page;
const shot = (name: string, toDocs = true) => screenshot(page, name, toDocs);
const requested: string[] = [];

const api = (path: string, key: string, init: RequestInit = {}) =>
  fetch(`${receiver.url}${path}`, { ...init, headers: { authorization: `Bearer ${key}`, ...init.headers } });

beforeAll(async () => {
  if (!hasChromium) return;
  prepareArtifacts();
  receiver = await startReceiver({ port: PORT, inspectorPort: PORT + 1 });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("request", (r) => requested.push(r.url()));
  await page.goto(`${receiver.url}/dashboard`);
  await page.fill('input[name="token"]', TEST_VARS.ADMIN_TOKEN as string);
  await page.click('button:has-text("Sign in")');
  await page.waitForSelector("text=Events per hour by carrier");
  // wrangler's first bundle and chromium's start share two cores with the other tests' Workers.
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await receiver?.stop();
});

describe.skipIf(!hasChromium)("the dashboard's keys and audit pages in a browser", () => {
  let key = "";

  it("creates a key with roles, shows it once, and the key works with exactly those roles", async () => {
    await page.click('header a:has-text("Keys")');
    await page.waitForSelector("#create-key");
    const form = page.locator("#create-key");
    await form.locator('input[name="name"]').fill("grafana scraper");
    await form.locator('input[name="roles"][value="read"]').check();
    await form.locator('input[name="roles"][value="metrics"]').check();
    await form.locator('button:has-text("Create key")').click();
    await page.waitForSelector("#new-key");
    key = (await page.textContent("#new-key code"))?.trim() ?? "";
    expect(key).toMatch(/^phk_[A-Za-z0-9_-]{43}$/);
    await shot("dashboard-keys-created", false);
    const listed = page.locator("#keys tbody tr", { hasText: "grafana scraper" });
    await expect(listed.textContent()).resolves.toContain("read, metrics");
    await expect(listed.textContent()).resolves.toContain("never");

    expect((await api("/api/events", key)).status).toBe(200);
    expect((await api("/metrics", key)).status).toBe(200);
    const replay = await api("/api/replay", key, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"state":"dead"}',
    });
    expect(replay.status).toBe(403);
    expect(await replay.json()).toMatchObject({ error: { code: "missing_role", required_role: "operate" } });

    // Shown once: the list page never holds it again, and it shows the use just made.
    await page.goto(`${receiver.url}/dashboard/keys`);
    expect(await page.content()).not.toContain(key);
    const again = page.locator("#keys tbody tr", { hasText: "grafana scraper" });
    await expect(again.textContent()).resolves.not.toContain("never");
    await shot("dashboard-keys");
  });

  it("reads the audit page: the key's creation by ADMIN_TOKEN, then its revocation from the page", async () => {
    await page.click('header a:has-text("Audit")');
    await page.waitForSelector("#audit");
    const created = page.locator("#audit tbody tr", { hasText: "key.create" });
    await expect(created.first().textContent()).resolves.toContain("admin_token");
    await expect(created.first().textContent()).resolves.toContain("grafana scraper");

    await page.goto(`${receiver.url}/dashboard/keys`);
    await page.locator("#keys tbody tr", { hasText: "grafana scraper" }).locator('button:has-text("Revoke")').click();
    await page.waitForSelector("text=Key revoked.");
    expect((await api("/api/events", key)).status).toBe(401);

    await page.goto(`${receiver.url}/dashboard/audit?action=key.revoke`);
    const revoked = page.locator("#audit tbody tr");
    expect(await revoked.count()).toBe(1);
    await expect(revoked.first().textContent()).resolves.toContain("ok");
    await page.goto(`${receiver.url}/dashboard/audit`);
    await shot("dashboard-audit");
    // The pages load nothing from anywhere else.
    expect(requested.every((u) => u.startsWith(receiver.url))).toBe(true);
  });
});
