import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { loadDestinations } from "../src/destinations";
import { peddlerOutForDelivery } from "./fixtures/peddler";
import { call } from "./helpers/post-webhook";

const ORIGIN = "https://parcelhook.test";

/** A browser-like request; a form is a list of fields (a multiple select sends its name once per choice). */
function browser(
  path: string,
  opts: { form?: [string, string][]; cookie?: string; origin?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    headers.origin = opts.origin ?? ORIGIN;
  }
  return exports.default.fetch(`${ORIGIN}${path}`, {
    method: opts.form ? "POST" : "GET",
    headers,
    body: opts.form ? new URLSearchParams(opts.form).toString() : undefined,
    redirect: "manual",
  });
}

let cookie: string;
beforeAll(async () => {
  const res = await browser("/dashboard/sign-in", { form: [["token", "test-admin-token-0123456789abcdef0123"]] });
  cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] as string;
});

const page = async (path: string) => {
  const res = await browser(path, { cookie });
  expect(res.status, path).toBe(200);
  return res.text();
};
const post = (path: string, form: [string, string][]) => browser(path, { cookie, form });

async function createOne(
  name: string,
  extra: [string, string][] = [],
): Promise<{ id: string; secret: string; html: string }> {
  const res = await post("/dashboard/destinations", [["name", name], ["url", `https://${name}.example/in`], ...extra]);
  const html = await res.text();
  expect(res.status, html).toBe(201);
  const secret = /<code>(whsec_[A-Za-z0-9+/=]+)<\/code>/.exec(html)?.[1] as string;
  const id = /<code>(dst_[0-9A-Z]{26})<\/code>/.exec(html)?.[1] as string;
  expect(secret).toBeDefined();
  return { id, secret, html };
}

describe("the destinations pages", () => {
  it("need a session, and the layout links them", async () => {
    const anonymous = await (await browser("/dashboard/destinations")).text();
    expect(anonymous).toContain('action="/dashboard/sign-in"');
    expect(anonymous).not.toContain("Add a destination");
    expect(await page("/dashboard")).toContain('href="/dashboard/destinations"');
    expect((await browser("/dashboard/destinations", { form: [["name", "x"]] })).status).toBe(401);
  });

  it("create with a filter: the secret is on that page once, never in the list or the destination's page", async () => {
    const { id, secret, html } = await createOne("cs", [
      ["carriers", "peddler"],
      ["statuses", "delivery_failed"],
      ["statuses", "return_to_sender"],
    ]);
    expect(html).toContain("shown this once");
    const loaded = (await loadDestinations({ ...env } as Env)).find((d) => d.id === id);
    expect(loaded).toMatchObject({
      filter: { carriers: ["peddler"], statuses: ["delivery_failed", "return_to_sender"] },
      secrets: [secret],
    });
    const list = await page("/dashboard/destinations");
    expect(list).toContain(id);
    expect(list).toContain("carriers: peddler · statuses: delivery_failed, return_to_sender");
    for (const text of [list, await page(`/dashboard/destinations/${id}`)]) {
      expect(text).not.toContain("whsec_");
    }
  });

  it("a bad URL or filter comes back as the list with the issue (400), and nothing is created", async () => {
    const before = (await loadDestinations({ ...env } as Env)).length;
    const res = await post("/dashboard/destinations", [
      ["name", "bad"],
      ["url", "ftp://bad.example"],
    ]);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Expected an http or https URL.");
    const unknown = await post("/dashboard/destinations", [
      ["name", "bad"],
      ["url", "https://bad.example"],
      ["carriers", "dhl"],
    ]);
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("filter.carriers.0");
    expect((await loadDestinations({ ...env } as Env)).length).toBe(before);
  });

  it("refuses a form from another origin (CSRF)", async () => {
    const res = await browser("/dashboard/destinations", {
      cookie,
      origin: "https://evil.example",
      form: [
        ["name", "evil"],
        ["url", "https://evil.example"],
      ],
    });
    expect(res.status).toBe(403);
  });

  it("pause and resume, from the list and from the destination's page", async () => {
    const { id } = await createOne("pausing");
    const paused = await post(`/dashboard/destinations/${id}/pause`, [["back", "list"]]);
    expect(paused.status).toBe(303);
    expect(paused.headers.get("location")).toBe("/dashboard/destinations?notice=paused");
    expect((await loadDestinations({ ...env } as Env)).find((d) => d.id === id)?.paused).toBe(true);
    expect(await page("/dashboard/destinations?notice=paused")).toContain("Paused: nothing is sent there");
    const resumed = await post(`/dashboard/destinations/${id}/resume`, [["back", "detail"]]);
    expect(resumed.headers.get("location")).toBe(`/dashboard/destinations/${id}?notice=resumed`);
    expect((await loadDestinations({ ...env } as Env)).find((d) => d.id === id)?.paused).toBe(false);
  });

  it("rotate shows the new secret once; the old one still signs", async () => {
    const { id, secret } = await createOne("rotating");
    const res = await post(`/dashboard/destinations/${id}/rotate-secret`, []);
    expect(res.status).toBe(200);
    const fresh = /<code>(whsec_[A-Za-z0-9+/=]+)<\/code>/.exec(await res.text())?.[1];
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(secret);
    expect((await loadDestinations({ ...env } as Env)).find((d) => d.id === id)?.secrets).toEqual([fresh, secret]);
  });

  it("change name, URL and filter", async () => {
    const { id } = await createOne("editing", [["types", "label.created"]]);
    const res = await post(`/dashboard/destinations/${id}`, [
      ["name", "edited"],
      ["url", "https://edited.example/in"],
    ]);
    expect(res.status).toBe(303);
    const loaded = (await loadDestinations({ ...env } as Env)).find((d) => d.id === id);
    expect(loaded).toMatchObject({ name: "edited", url: "https://edited.example/in", filter: null });
  });

  it("delete asks first, then deletes", async () => {
    const { id } = await createOne("deleting");
    const confirm = await page(`/dashboard/destinations/${id}/delete`);
    expect(confirm.replace(/\s+/g, " ")).toContain("This cannot be undone");
    expect((await loadDestinations({ ...env } as Env)).map((d) => d.id)).toContain(id);
    const res = await post(`/dashboard/destinations/${id}/delete`, []);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/dashboard/destinations?notice=deleted");
    expect((await loadDestinations({ ...env } as Env)).map((d) => d.id)).not.toContain(id);
    expect((await browser(`/dashboard/destinations/${id}`, { cookie })).status).toBe(404);
  });

  it("replay to one destination", async () => {
    const tn = `DASHDST${crypto.randomUUID().slice(0, 8)}`;
    const posted = await call(
      "/webhooks/peddler",
      { ...peddlerOutForDelivery, id: `dash-dst-${crypto.randomUUID()}`, carrierTrackingNumber: tn },
      { headers: { "x-webhook-shared-token": "test-peddler" } },
    );
    expect(posted.status).toBe(200);
    const { id } = await createOne("replaying");
    const res = await post(`/dashboard/destinations/${id}/replay`, [
      ["tracking_number", tn],
      ["carrier", ""],
    ]);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/dashboard/destinations/${id}?replayed=1`);
    expect(await page(`/dashboard/destinations/${id}?replayed=1`)).toContain("Replayed 1 event to this destination.");
    const none = await post(`/dashboard/destinations/${id}/replay`, []);
    expect(none.status).toBe(400);
    expect(await none.text()).toContain("Name at least one filter");
  });
});
