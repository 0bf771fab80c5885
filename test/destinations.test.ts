import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { STATE_CODE } from "../src/delivery/delivery-state";
import { forgetDestinations, loadDestinations, readDestinations, webhookSigner } from "../src/destinations";
import { listDestinationEventsSql } from "../src/operator/db/list-destination-events";
import { peddlerOutForDelivery } from "./fixtures/peddler";
import { callWith } from "./helpers/call-with";
import { call } from "./helpers/post-webhook";

const admin = { authorization: "Bearer test-admin-token-0123456789abcdef0123" };
const FORWARD_URL = "https://erp.example/parcel-hook";
const OTHER_KEY = "another-destinations-key-32-chars-long!!";

interface ApiDestination {
  id: string;
  name: string;
  url: string;
  filter: { carriers?: string[]; statuses?: string[]; types?: string[] } | null;
  paused: boolean;
  health: string;
  counts: Record<string, number>;
  last_success_at: string | null;
  last_failure: { at: string; http_status: number | null; error: string | null } | null;
}
interface ErrorBody {
  error: { code: string; message: string; issues?: { path: string; message: string }[] };
}

function api(path: string, method = "GET", body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return call(path, body, { method, headers: { ...admin, ...headers } });
}

async function create(body: Record<string, unknown>): Promise<ApiDestination & { secret: string }> {
  const res = await api("/api/destinations", "POST", body);
  expect(res.status, await res.clone().text()).toBe(201);
  expect(res.headers.get("cache-control")).toBe("no-store");
  return res.json();
}

async function errorOf(res: Response, status: number): Promise<ErrorBody["error"]> {
  expect(res.status, await res.clone().text()).toBe(status);
  return (await res.json<ErrorBody>()).error;
}

/** An env whose isolate cache is empty (each object has its own), so loads read D1 now. */
function freshEnv(overrides: Record<string, string> = {}): Env {
  return { ...env, ...overrides } as Env;
}

describe("POST /api/destinations", () => {
  it("creates one with a filter and answers its whsec_ secret once; the list never shows a secret", async () => {
    const created = await create({
      name: "Customer service",
      url: "https://cs.example/hooks",
      filter: { statuses: ["delivery_failed", "return_to_sender", "delivery_failed"], carriers: ["peddler"] },
    });
    expect(created).toMatchObject({
      name: "Customer service",
      url: "https://cs.example/hooks",
      filter: { carriers: ["peddler"], statuses: ["delivery_failed", "return_to_sender"] },
      paused: false,
      health: "up",
      counts: { queued: 0, retrying: 0, held: 0, delivered: 0, dead: 0 },
      last_success_at: null,
      last_failure: null,
    });
    expect(created.id).toMatch(/^dst_[0-9A-Z]{26}$/);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(atob(created.secret.slice(6))).toHaveLength(32);

    const listText = await (await api("/api/destinations")).text();
    const oneText = await (await api(`/api/destinations/${created.id}`)).text();
    for (const text of [listText, oneText]) {
      expect(text).toContain(created.id);
      expect(text).not.toContain("whsec_");
      expect(text).not.toContain(created.secret.slice(6, 30));
      expect(text).not.toContain('"secret"');
    }
    // At rest: sealed, not the secret.
    const row = await env.DB.prepare("SELECT secret FROM destinations WHERE id = ?")
      .bind(created.id)
      .first<{ secret: string }>();
    expect(row?.secret).toMatch(/^v1\./);
    expect(row?.secret).not.toContain(created.secret.slice(6, 30));
  });

  it("takes no filter, null or {} as every event", async () => {
    for (const filter of [undefined, null, {}]) {
      const created = await create({
        name: "ERP",
        url: "http://erp.example/in",
        ...(filter === undefined ? {} : { filter }),
      });
      expect(created.filter).toBeNull();
    }
  });

  it.each([
    ["a URL that is not http(s)", { name: "x", url: "ftp://example.com/in" }, "url"],
    ["not a URL", { name: "x", url: "hooks.example" }, "url"],
    ["a javascript: URL", { name: "x", url: "javascript:alert(1)" }, "url"],
    ["an empty name", { name: " ", url: "https://a.example" }, "name"],
    ["an unknown carrier", { name: "x", url: "https://a.example", filter: { carriers: ["dhl"] } }, "filter.carriers.0"],
    ["an unknown status", { name: "x", url: "https://a.example", filter: { statuses: ["lost"] } }, "filter.statuses.0"],
    ["an unknown type", { name: "x", url: "https://a.example", filter: { types: ["parcel.eaten"] } }, "filter.types.0"],
    ["an unknown filter key", { name: "x", url: "https://a.example", filter: { tracking: ["1"] } }, "filter.tracking"],
    ["an empty list", { name: "x", url: "https://a.example", filter: { carriers: [] } }, "filter.carriers"],
    ["an unknown field", { name: "x", url: "https://a.example", secret: "whsec_AAAA" }, "secret"],
    ["no url", { name: "x" }, "url"],
  ])("answers 400 invalid_request for %s", async (_what, body, path) => {
    const error = await errorOf(await api("/api/destinations", "POST", body), 400);
    expect(error.code).toBe("invalid_request");
    expect(error.issues?.map((i) => i.path)).toContain(path);
  });

  it("refuses a body not sent as JSON", async () => {
    const res = await api("/api/destinations", "POST", JSON.stringify({ name: "x", url: "https://a.example" }), {
      "content-type": "text/plain",
    });
    expect((await errorOf(res, 400)).code).toBe("invalid_request");
  });

  it("answers 503 destinations_not_configured without DESTINATIONS_KEY (a secret is never stored in the clear)", async () => {
    const before = await env.DB.prepare("SELECT COUNT(*) AS n FROM destinations").first<{ n: number }>();
    const res = await callWith("/api/destinations", { DESTINATIONS_KEY: "" } as Partial<Env>, {
      method: "POST",
      headers: { ...admin, "content-type": "application/json" },
      body: JSON.stringify({ name: "x", url: "https://a.example" }),
    });
    expect((await errorOf(res, 503)).code).toBe("destinations_not_configured");
    const after = await env.DB.prepare("SELECT COUNT(*) AS n FROM destinations").first<{ n: number }>();
    expect(after?.n).toBe(before?.n);
  });
});

describe("unknown ids", () => {
  it.each([
    ["GET", "/api/destinations/dst_NOPE", undefined],
    ["PATCH", "/api/destinations/dst_NOPE", { paused: true }],
    ["DELETE", "/api/destinations/dst_NOPE", undefined],
    ["POST", "/api/destinations/dst_NOPE/rotate-secret", undefined],
    ["POST", "/api/destinations/dst_NOPE/replay", { since: "2020-01-01T00:00:00Z" }],
    ["POST", "/api/events/evt_nope/replay", undefined],
  ])("%s %s answers 404 not_found", async (method, path, body) => {
    expect((await errorOf(await api(path, method, body), 404)).code).toBe("not_found");
  });

  it("a deleted destination is gone for every route", async () => {
    const d = await create({ name: "Old", url: "https://old.example" });
    expect((await api(`/api/destinations/${d.id}`, "DELETE")).status).toBe(204);
    expect((await api(`/api/destinations/${d.id}`, "DELETE")).status).toBe(404);
    expect((await api(`/api/destinations/${d.id}`)).status).toBe(404);
    expect((await api(`/api/destinations/${d.id}`, "PATCH", { paused: true })).status).toBe(404);
    expect((await api(`/api/destinations/${d.id}/rotate-secret`, "POST")).status).toBe(404);
  });
});

describe("PATCH /api/destinations/{id}", () => {
  it("changes name, url, filter and paused, each alone", async () => {
    const d = await create({ name: "Analytics", url: "https://a.example/in", filter: { types: ["label.created"] } });
    const patch = async (body: unknown) => {
      const res = await api(`/api/destinations/${d.id}`, "PATCH", body);
      expect(res.status, await res.clone().text()).toBe(200);
      return res.json<ApiDestination>();
    };
    expect(await patch({ name: "Warehouse" })).toMatchObject({ name: "Warehouse", url: "https://a.example/in" });
    expect(await patch({ url: "https://b.example/in" })).toMatchObject({
      name: "Warehouse",
      url: "https://b.example/in",
    });
    expect((await patch({ filter: { carriers: ["inpost"] } })).filter).toEqual({ carriers: ["inpost"] });
    expect((await patch({ paused: true })).paused).toBe(true);
    expect(await patch({ paused: false, filter: null })).toMatchObject({ paused: false, filter: null });
    expect(await patch({})).toMatchObject({ name: "Warehouse", url: "https://b.example/in", filter: null });
  });

  it("validates as create does", async () => {
    const d = await create({ name: "V", url: "https://v.example" });
    for (const body of [
      { url: "ftp://v.example" },
      { filter: { carriers: ["ups"] } },
      { paused: "yes" },
      { id: "x" },
    ]) {
      expect((await errorOf(await api(`/api/destinations/${d.id}`, "PATCH", body), 400)).code).toBe("invalid_request");
    }
  });
});

describe("the destination `default` (FORWARD_URL)", () => {
  const withForward = (path: string, method = "GET", body?: unknown) =>
    callWith(path, { FORWARD_URL } as Partial<Env>, {
      method,
      headers: { ...admin, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it("is listed first with FORWARD_URL, unfiltered, and not at all without it", async () => {
    await create({ name: "Second", url: "https://second.example" });
    const list = await (await withForward("/api/destinations")).json<{ destinations: ApiDestination[] }>();
    expect(list.destinations[0]).toMatchObject({ id: "default", name: "default", url: FORWARD_URL, filter: null });
    expect(list.destinations.length).toBeGreaterThan(1);
    expect(list.destinations.slice(1).map((d) => d.id)).not.toContain("default");

    const without = await (await api("/api/destinations")).json<{ destinations: ApiDestination[] }>();
    expect(without.destinations.map((d) => d.id)).not.toContain("default");
    expect((await api("/api/destinations/default")).status).toBe(404);
    expect((await api("/api/destinations/default", "PATCH", { paused: true })).status).toBe(404);
  });

  it("takes only `paused`: anything else, a deletion or a rotation is 409 managed_by_config", async () => {
    const paused = await withForward("/api/destinations/default", "PATCH", { paused: true });
    expect(paused.status).toBe(200);
    expect(await paused.json()).toMatchObject({ id: "default", paused: true });
    expect((await loadDestinations(freshEnv({ FORWARD_URL })))[0]).toMatchObject({ id: "default", paused: true });
    expect(
      (await (await withForward("/api/destinations/default", "PATCH", { paused: false })).json<ApiDestination>())
        .paused,
    ).toBe(false);

    const renamed = await errorOf(
      await withForward("/api/destinations/default", "PATCH", { name: "x", paused: true }),
      409,
    );
    expect(renamed.code).toBe("managed_by_config");
    expect(renamed.issues?.map((i) => i.path)).toEqual(["name"]);
    for (const body of [{ url: "https://x.example" }, { filter: { carriers: ["inpost"] } }]) {
      expect((await errorOf(await withForward("/api/destinations/default", "PATCH", body), 409)).code).toBe(
        "managed_by_config",
      );
    }
    expect((await errorOf(await withForward("/api/destinations/default", "DELETE"), 409)).code).toBe(
      "managed_by_config",
    );
    expect((await errorOf(await api("/api/destinations/default", "DELETE"), 409)).code).toBe("managed_by_config");
    expect((await errorOf(await withForward("/api/destinations/default/rotate-secret", "POST"), 409)).code).toBe(
      "managed_by_config",
    );
  });
});

describe("DELETE /api/destinations/{id}", () => {
  it("answers 204; it is no longer listed or loaded, and its sealed secrets are dropped", async () => {
    const d = await create({ name: "Gone", url: "https://gone.example" });
    expect((await loadDestinations(freshEnv())).map((x) => x.id)).toContain(d.id);
    const res = await api(`/api/destinations/${d.id}`, "DELETE");
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
    const list = await (await api("/api/destinations")).json<{ destinations: ApiDestination[] }>();
    expect(list.destinations.map((x) => x.id)).not.toContain(d.id);
    expect((await loadDestinations(freshEnv())).map((x) => x.id)).not.toContain(d.id);
    const row = await env.DB.prepare("SELECT deleted_at, secret, previous_secret FROM destinations WHERE id = ?")
      .bind(d.id)
      .first();
    expect(row).toMatchObject({ secret: null, previous_secret: null });
    expect(row?.deleted_at).not.toBeNull();
  });
});

describe("secret rotation", () => {
  const body = JSON.stringify({ id: "evt_1", note: "zażółć" });

  async function signedWith(secrets: string[]) {
    const signer = webhookSigner(secrets);
    if (!("sign" in signer)) throw new Error(signer.error);
    return signer.sign("evt_1", body, new Date());
  }

  it("answers a new secret once; the old one also signs for 24 hours, then only the new one", async () => {
    const d = await create({ name: "Rotating", url: "https://rot.example" });
    const res = await api(`/api/destinations/${d.id}/rotate-secret`, "POST");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const { secret } = await res.json<{ secret: string }>();
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(d.secret);
    expect(await (await api(`/api/destinations/${d.id}`)).text()).not.toContain("whsec_");

    const now = Date.now();
    const loaded = (await readDestinations(freshEnv(), now)).destinations.find((x) => x.id === d.id);
    expect(loaded?.secrets).toEqual([secret, d.secret]);
    const headers = await signedWith(loaded?.secrets ?? []);
    expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
    // A receiver with either key verifies (Standard Webhooks: any v1 signature may match).
    expect(new Webhook(d.secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));

    // Still both a minute before the 24 hours end; only the new one after.
    const almost = (await readDestinations(freshEnv(), now + 24 * 3_600_000 - 60_000)).destinations;
    expect(almost.find((x) => x.id === d.id)?.secrets).toEqual([secret, d.secret]);
    const later = (await readDestinations(freshEnv(), now + 24 * 3_600_000 + 60_000)).destinations;
    const after = later.find((x) => x.id === d.id)?.secrets ?? [];
    expect(after).toEqual([secret]);
    const laterHeaders = await signedWith(after);
    expect(() => new Webhook(d.secret).verify(body, { ...laterHeaders })).toThrow();
    expect(new Webhook(secret).verify(body, { ...laterHeaders })).toEqual(JSON.parse(body));
  });

  it("a second rotation within 24 hours drops the oldest secret", async () => {
    const d = await create({ name: "Twice", url: "https://twice.example" });
    const s2 = (await (await api(`/api/destinations/${d.id}/rotate-secret`, "POST")).json<{ secret: string }>()).secret;
    const s3 = (await (await api(`/api/destinations/${d.id}/rotate-secret`, "POST")).json<{ secret: string }>()).secret;
    const loaded = (await loadDestinations(freshEnv())).find((x) => x.id === d.id);
    expect(loaded?.secrets).toEqual([s3, s2]);
  });
});

describe("sealed secrets and DESTINATIONS_KEY", () => {
  it("a secret that does not decrypt is never used: no secrets (nothing sent unsigned), and /health names it", async () => {
    const d = await create({ name: "Sealed", url: "https://sealed.example" });
    const wrongKey = freshEnv({ DESTINATIONS_KEY: OTHER_KEY });
    const loaded = await readDestinations(wrongKey);
    expect(loaded.destinations.find((x) => x.id === d.id)?.secrets).toEqual([]);
    expect(loaded.problems.map((p) => p.id)).toContain(d.id);
    expect("error" in webhookSigner([], `destination ${d.id}'s secret`)).toBe(true);

    const health = await callWith("/health", { DESTINATIONS_KEY: OTHER_KEY } as Partial<Env>);
    const text = await health.text();
    expect(health.status).toBe(200);
    expect(JSON.parse(text).config_problems).toContainEqual({
      name: `destination ${d.id}`,
      message: expect.stringContaining("does not decrypt"),
    });
    expect(text).not.toContain(OTHER_KEY);
    // With the right key, /health has nothing to say about it.
    const fine = await (await call("/health")).json<{ config_problems: { name: string }[] }>();
    expect(fine.config_problems.map((p) => p.name)).not.toContain(`destination ${d.id}`);
  });

  it("a comma list rotates the key: the first seals, any opens", async () => {
    const d = await create({ name: "Old key", url: "https://oldkey.example" });
    const both = freshEnv({ DESTINATIONS_KEY: `${OTHER_KEY},${env.DESTINATIONS_KEY}` });
    expect((await loadDestinations(both)).find((x) => x.id === d.id)?.secrets).toEqual([d.secret]);
  });

  it("rotating a secret that no longer decrypts repairs the destination at once (the unreadable one is dropped)", async () => {
    const d = await create({ name: "Lost key", url: "https://lost.example" });
    const init = {
      method: "POST",
      headers: { ...admin, "content-type": "application/json" },
    };
    const res = await callWith(
      `/api/destinations/${d.id}/rotate-secret`,
      { DESTINATIONS_KEY: OTHER_KEY } as Partial<Env>,
      init,
    );
    expect(res.status).toBe(200);
    const { secret } = await res.json<{ secret: string }>();
    const loaded = await readDestinations(freshEnv({ DESTINATIONS_KEY: OTHER_KEY }));
    expect(loaded.destinations.find((x) => x.id === d.id)?.secrets).toEqual([secret]);
    expect(loaded.problems.map((p) => p.id)).not.toContain(d.id);
  });

  it("a sealed secret copied onto another destination's row does not decrypt there", async () => {
    const a = await create({ name: "A", url: "https://a.example" });
    const b = await create({ name: "B", url: "https://b.example" });
    await env.DB.prepare(
      "UPDATE destinations SET secret = (SELECT secret FROM destinations WHERE id = ?1) WHERE id = ?2",
    )
      .bind(a.id, b.id)
      .run();
    const loaded = await readDestinations(freshEnv());
    expect(loaded.destinations.find((x) => x.id === b.id)?.secrets).toEqual([]);
    expect(loaded.problems.map((p) => p.id)).toContain(b.id);
    await api(`/api/destinations/${b.id}`, "DELETE");
  });
});

describe("loadDestinations", () => {
  it("default first only with FORWARD_URL (its key FORWARD_SIGNING_SECRET), then the others oldest first", async () => {
    const d = await create({ name: "Loaded", url: "https://loaded.example/in", filter: { carriers: ["inpost"] } });
    const withForward = await loadDestinations(freshEnv({ FORWARD_URL }));
    expect(withForward[0]).toEqual({
      no: 1,
      id: "default",
      name: "default",
      url: FORWARD_URL,
      filter: null,
      paused: false,
      secrets: [env.FORWARD_SIGNING_SECRET],
    });
    const nos = withForward.map((x) => x.no);
    expect(nos).toEqual([...nos].sort((a, b) => a - b));
    expect(withForward.find((x) => x.id === d.id)).toMatchObject({
      name: "Loaded",
      url: "https://loaded.example/in",
      filter: { carriers: ["inpost"] },
      paused: false,
      secrets: [d.secret],
    });
    expect((await loadDestinations(freshEnv())).map((x) => x.id)).not.toContain("default");
  });

  it("reads D1 at most once per 10 seconds per isolate; the API's writes forget the copy at once", async () => {
    const isolate = freshEnv();
    const d = await create({ name: "Cached", url: "https://cached.example" });
    const now = Date.now();
    expect((await readDestinations(isolate, now)).destinations.find((x) => x.id === d.id)?.paused).toBe(false);
    // A change another isolate made: not seen within the 10 s, seen after.
    await env.DB.prepare("UPDATE destinations SET paused = 1 WHERE id = ?").bind(d.id).run();
    expect((await readDestinations(isolate, now + 9_000)).destinations.find((x) => x.id === d.id)?.paused).toBe(false);
    expect((await readDestinations(isolate, now + 10_001)).destinations.find((x) => x.id === d.id)?.paused).toBe(true);
    // forgetDestinations (what the API calls after a write) makes the next read fresh.
    await env.DB.prepare("UPDATE destinations SET paused = 0 WHERE id = ?").bind(d.id).run();
    expect((await readDestinations(isolate, now + 10_002)).destinations.find((x) => x.id === d.id)?.paused).toBe(true);
    forgetDestinations(isolate);
    expect((await readDestinations(isolate, now + 10_003)).destinations.find((x) => x.id === d.id)?.paused).toBe(false);
  });
});

describe("health and counts in the list", () => {
  it("shows the health columns and the deliveries per state", async () => {
    const d = await create({ name: "Counted", url: "https://counted.example" });
    const { no } = (await env.DB.prepare("SELECT no FROM destinations WHERE id = ?")
      .bind(d.id)
      .first<{ no: number }>()) ?? {
      no: 0,
    };
    await env.DB.prepare(
      `UPDATE destinations SET health = 'refusing', last_success_at = '2026-11-30T07:00:00.000Z',
         last_failure_at = '2026-11-30T08:00:00.000Z', last_failure_status = 401, last_failure_error = 'HTTP 401'
       WHERE no = ?`,
    )
      .bind(no)
      .run();
    const at = Math.floor(Date.parse("2026-11-30T08:00:00.000Z") / 1000);
    // A dropped delivery (its destination's events from before a deletion) is not counted.
    const states = ["queued", "held", "held", "delivered", "delivered", "delivered", "dead", "dropped"] as const;
    await env.DB.batch(
      states.map((state, i) =>
        env.DB.prepare(
          "INSERT INTO deliveries (event_seq, destination_no, state, attempts, updated_at) VALUES (?, ?, ?, 1, ?)",
        ).bind(900_000 + i, no, STATE_CODE[state], at),
      ),
    );
    const listed = (
      await (await api("/api/destinations")).json<{ destinations: ApiDestination[] }>()
    ).destinations.find((x) => x.id === d.id);
    expect(listed).toMatchObject({
      health: "refusing",
      counts: { queued: 1, retrying: 0, held: 2, delivered: 3, dead: 1 },
      last_success_at: "2026-11-30T07:00:00.000Z",
      last_failure: { at: "2026-11-30T08:00:00.000Z", http_status: 401, error: "HTTP 401" },
    });
  });
});

describe("replay to one destination", () => {
  async function postPeddler(tn: string): Promise<string> {
    const res = await call(
      "/webhooks/peddler",
      { ...peddlerOutForDelivery, id: `dst-${crypto.randomUUID()}`, carrierTrackingNumber: tn },
      { headers: { "x-webhook-shared-token": "test-peddler" } },
    );
    expect(res.status).toBe(200);
    return (await res.json<{ event_id: string }>()).event_id;
  }

  it("replays the events a filter lists that the destination's own filter takes", async () => {
    const tn = `TNDST${crypto.randomUUID().slice(0, 8)}`;
    const id = await postPeddler(tn);
    const peddlers = await create({
      name: "Peddler only",
      url: "https://p.example",
      filter: { carriers: ["peddler"] },
    });
    const inposts = await create({ name: "InPost only", url: "https://i.example", filter: { carriers: ["inpost"] } });
    const res = await api(`/api/destinations/${peddlers.id}/replay`, "POST", { tracking_number: tn });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ replayed: 1, next_cursor: null });
    const history = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM event_attempts WHERE event_seq = (SELECT seq FROM events WHERE id = ?) AND kind = 'replay'",
    )
      .bind(id)
      .first<{ n: number }>();
    expect(history?.n).toBe(1);
    // Not an event that destination's filter takes.
    const none = await api(`/api/destinations/${inposts.id}/replay`, "POST", { tracking_number: tn });
    expect(await none.json()).toEqual({ replayed: 0, next_cursor: null });
  });

  it("with `state`, it is this destination's delivery state that counts (its deliveries in that state, by index)", async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const dead = await postPeddler(`TNDEAD${crypto.randomUUID().slice(0, 8)}`);
    const fine = await postPeddler(`TNFINE${crypto.randomUUID().slice(0, 8)}`);
    const d = await create({ name: "Per delivery", url: "https://pd.example" });
    const seqOf = async (id: string) =>
      (await env.DB.prepare("SELECT seq FROM events WHERE id = ?").bind(id).first<{ seq: number }>())?.seq;
    const { no } = (await env.DB.prepare("SELECT no FROM destinations WHERE id = ?")
      .bind(d.id)
      .first<{ no: number }>()) ?? {
      no: 0,
    };
    const at = Math.floor(Date.now() / 1000);
    for (const [id, state] of [
      [dead, "dead"],
      [fine, "delivered"],
    ] as const) {
      await env.DB.prepare(
        "INSERT INTO deliveries (event_seq, destination_no, state, attempts, updated_at) VALUES (?, ?, ?, 10, ?)",
      )
        .bind(await seqOf(id), no, STATE_CODE[state], at)
        .run();
    }
    const replays = async (id: string) =>
      (
        await env.DB.prepare(
          "SELECT COUNT(*) AS n FROM event_attempts WHERE event_seq = (SELECT seq FROM events WHERE id = ?) AND kind = 'replay'",
        )
          .bind(id)
          .first<{ n: number }>()
      )?.n;
    const res = await api(`/api/destinations/${d.id}/replay`, "POST", { state: "dead", since });
    expect(await res.json()).toEqual({ replayed: 1, next_cursor: null });
    expect(await replays(dead)).toBe(1);
    expect(await replays(fine)).toBe(0);

    const { sql, params } = listDestinationEventsSql({ state: "dead", carrier: "peddler" }, no, { limit: 10 });
    const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .bind(...params)
      .all<{ detail: string }>();
    const detail = plan.results.map((r) => r.detail).join("\n");
    expect(detail).toMatch(/SEARCH d USING COVERING INDEX deliveries_unsettled \(destination_no=\? AND state=\?\)/);
    expect(detail).not.toMatch(/SCAN (events|deliveries)\b/);
    expect(detail).not.toMatch(/TEMP B-TREE/);
  });

  it("with `state`, pages through that destination's deliveries in that state: each replayed once, none skipped", async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await postPeddler(`TNPAGE${i}${crypto.randomUUID().slice(0, 6)}`));
    const d = await create({ name: "Paged", url: "https://paged.example" });
    const no = (await env.DB.prepare("SELECT no FROM destinations WHERE id = ?").bind(d.id).first<{ no: number }>())
      ?.no as number;
    await env.DB.prepare(
      `INSERT INTO deliveries (event_seq, destination_no, state, attempts, updated_at)
       SELECT seq, ?2, ${STATE_CODE.dead}, 10, 0 FROM events WHERE id IN (SELECT value FROM json_each(?1))`,
    )
      .bind(JSON.stringify(ids), no)
      .run();
    let cursor: string | undefined;
    let replayed = 0;
    for (let page = 0; page < 10; page++) {
      const res = await api(`/api/destinations/${d.id}/replay`, "POST", { state: "dead", since, limit: 2, cursor });
      const body = await res.json<{ replayed: number; next_cursor: string | null }>();
      replayed += body.replayed;
      if (body.next_cursor === null) break;
      cursor = body.next_cursor;
    }
    expect(replayed).toBe(5);
    const { results } = await env.DB.prepare(
      `SELECT e.id, d.state, (SELECT count(*) FROM event_attempts a WHERE a.event_seq = e.seq AND a.kind = 'replay') AS replays
       FROM events e JOIN deliveries d ON d.event_seq = e.seq AND d.destination_no = ?2
       WHERE e.id IN (SELECT value FROM json_each(?1))`,
    )
      .bind(JSON.stringify(ids), no)
      .all<{ id: string; state: number; replays: number }>();
    expect(results).toHaveLength(5);
    // Replayed once each, and no longer dead there (the real consumer may have tried it since).
    for (const r of results) expect([r.state === STATE_CODE.dead, r.replays], r.id).toEqual([false, 1]);
  });

  it("needs a real filter, as the bulk replay does", async () => {
    const d = await create({ name: "R", url: "https://r.example" });
    for (const body of [{}, { limit: 10 }]) {
      expect((await errorOf(await api(`/api/destinations/${d.id}/replay`, "POST", body), 400)).code).toBe(
        "invalid_request",
      );
    }
    expect((await errorOf(await api(`/api/destinations/${d.id}/replay`, "POST", { carrier: "dhl" }), 400)).code).toBe(
      "invalid_request",
    );
  });

  it("POST /api/events/{id}/replay takes an optional destination_id", async () => {
    const id = await postPeddler(`TNONE${crypto.randomUUID().slice(0, 8)}`);
    const d = await create({ name: "One", url: "https://one.example" });
    const res = await api(`/api/events/${id}/replay`, "POST", { destination_id: d.id });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: "queued", event_id: id });
    const unknown = await errorOf(await api(`/api/events/${id}/replay`, "POST", { destination_id: "dst_NOPE" }), 404);
    expect(unknown.message).toContain("destination");
    expect((await errorOf(await api(`/api/events/${id}/replay`, "POST", { destination: d.id }), 400)).code).toBe(
      "invalid_request",
    );
    const text = await api(`/api/events/${id}/replay`, "POST", JSON.stringify({ destination_id: d.id }), {
      "content-type": "text/plain",
    });
    expect((await errorOf(text, 400)).code).toBe("invalid_request");
  });
});
