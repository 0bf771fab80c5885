import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { auditListSql } from "../src/audit/db/list-audit";
import { flushRejections } from "../src/rejections/count-rejection";
import { peddlerOutForDelivery } from "./fixtures/peddler";
import { ADMIN, bearer, createKey, quarantinedPeddler } from "./helpers/api-keys";
import { callWith } from "./helpers/call-with";
import { call } from "./helpers/post-webhook";

interface Row {
  actor: string;
  actor_name: string;
  action: string;
  target: string | null;
  changes: Record<string, unknown> | null;
  outcome: string;
}
const peddlerAuth = { "x-webhook-shared-token": "test-peddler" };

async function audit(query: Record<string, string>): Promise<Row[]> {
  const res = await call(`/api/audit?${new URLSearchParams(query)}`, undefined, { headers: ADMIN });
  expect(res.status).toBe(200);
  return (await res.json<{ entries: Row[] }>()).entries;
}
/** The newest audit row of an action. */
const latest = async (action: string) => (await audit({ action, limit: "1" }))[0];

let n = 0;
async function postEvent(): Promise<string> {
  n += 1;
  const body = { ...peddlerOutForDelivery, id: `audit-${n}-${crypto.randomUUID()}` };
  const res = await call("/webhooks/peddler", body, { headers: peddlerAuth });
  expect(res.status).toBe(200);
  return (await res.json<{ event_id: string }>()).event_id;
}

describe("the audit log: one row per operator action, whoever acted", () => {
  let admin: { id: string; key: string };
  let operator: { id: string; key: string };
  beforeAll(async () => {
    admin = await createKey("release bot", ["admin"]);
    operator = await createKey("on-call", ["operate"]);
  });

  it("records key creation by ADMIN_TOKEN, with name and roles, never the key", async () => {
    const row = await latest("key.create");
    expect(row).toMatchObject({
      actor: "admin_token",
      target: operator.id,
      changes: { name: "on-call", roles: ["operate"] },
      outcome: "ok",
    });
    expect(JSON.stringify(await audit({}))).not.toContain(operator.key);
    // Stored as a hash only: the key is nowhere in D1.
    const stored = await env.DB.prepare("SELECT * FROM api_keys WHERE id = ?").bind(operator.id).first();
    expect(JSON.stringify(stored)).not.toContain(operator.key.slice(12));
  });

  it("records a destination's whole life: create, update, pause, resume, rotate, replay, delete", async () => {
    const as = bearer(admin.key);
    const created = await call(
      "/api/destinations",
      { name: "erp", url: "https://erp.example/hook?token=s3cret-in-url" },
      { headers: as },
    );
    expect(created.status).toBe(201);
    const { id, secret } = await created.json<{ id: string; secret: string }>();
    expect(await latest("destination.create")).toMatchObject({
      actor: `key:${admin.id}`,
      actor_name: "release bot",
      target: id,
      changes: { name: "erp", url: "https://erp.example/hook?token=…", filter: null },
      outcome: "ok",
    });

    expect((await call(`/api/destinations/${id}`, { name: "erp-2" }, { method: "PATCH", headers: as })).status).toBe(
      200,
    );
    expect(await latest("destination.update")).toMatchObject({ target: id, changes: { name: "erp-2" }, outcome: "ok" });

    const op = bearer(operator.key);
    for (const [paused, action] of [
      [true, "destination.pause"],
      [false, "destination.resume"],
    ] as const) {
      expect((await call(`/api/destinations/${id}`, { paused }, { method: "PATCH", headers: op })).status).toBe(200);
      expect(await latest(action)).toMatchObject({
        actor: `key:${operator.id}`,
        actor_name: "on-call",
        target: id,
        changes: { paused },
        outcome: "ok",
      });
    }

    const rotated = await call(`/api/destinations/${id}/rotate-secret`, undefined, { method: "POST", headers: as });
    expect(rotated.status).toBe(200);
    const newSecret = (await rotated.json<{ secret: string }>()).secret;
    expect(await latest("destination.rotate_secret")).toMatchObject({ target: id, changes: null, outcome: "ok" });

    const replay = await call(`/api/destinations/${id}/replay`, { state: "dead" }, { headers: op });
    expect(replay.status).toBe(202);
    expect(await latest("destination.replay")).toMatchObject({
      target: id,
      changes: { state: "dead", replayed: 0 },
      outcome: "ok",
    });

    expect((await call(`/api/destinations/${id}`, undefined, { method: "DELETE", headers: as })).status).toBe(204);
    expect(await latest("destination.delete")).toMatchObject({ target: id, outcome: "ok" });

    // Never a secret, in any row.
    const everything = JSON.stringify(await audit({ target: id }));
    for (const s of [secret, newSecret, "s3cret-in-url"]) expect(everything).not.toContain(s);
  });

  it("records refusals with their code: a second delete is not_found, `default` is managed_by_config", async () => {
    const as = bearer(admin.key);
    expect((await call("/api/destinations/dst_gone", undefined, { method: "DELETE", headers: as })).status).toBe(404);
    expect(await latest("destination.delete")).toMatchObject({ target: "dst_gone", outcome: "not_found" });
    const renamed = await call("/api/destinations/default", { name: "x" }, { method: "PATCH", headers: as });
    expect(renamed.status).toBe(409);
    expect(await latest("destination.update")).toMatchObject({ target: "default", outcome: "managed_by_config" });
  });

  it("records a single replay, a bulk replay with its filter and count, and a quarantine retry", async () => {
    const eventId = await postEvent();
    const op = bearer(operator.key);
    expect((await call(`/api/events/${eventId}/replay`, undefined, { method: "POST", headers: op })).status).toBe(202);
    expect(await latest("event.replay")).toMatchObject({ actor: `key:${operator.id}`, target: eventId, outcome: "ok" });

    const bulk = await call("/api/replay", { carrier: "peddler", limit: 500 }, { headers: op });
    expect(bulk.status).toBe(202);
    const { replayed } = await bulk.json<{ replayed: number }>();
    expect(replayed).toBeGreaterThan(0);
    expect(await latest("events.replay")).toMatchObject({
      actor: `key:${operator.id}`,
      target: null,
      changes: { carrier: "peddler", replayed },
      outcome: "ok",
    });

    const id = await quarantinedPeddler({ ...peddlerOutForDelivery, id: `audit-q-${crypto.randomUUID()}` });
    const retried = await call(`/api/quarantine/${id}/retry`, undefined, { method: "POST", headers: op });
    expect(retried.status).toBe(200);
    const newEvent = (await retried.json<{ event: { id: string } }>()).event.id;
    expect(await latest("quarantine.retry")).toMatchObject({
      target: id,
      changes: { event_id: newEvent, duplicate: false },
      outcome: "ok",
    });
  });

  it("records key revocation; the revoked key is refused, counted per hour and reason", async () => {
    const doomed = await createKey("leaver", ["read"]);
    expect((await call("/api/events", undefined, { headers: bearer(doomed.key) })).status).toBe(200);
    const res = await call(`/api/keys/${doomed.id}`, undefined, { method: "DELETE", headers: bearer(admin.key) });
    expect(res.status).toBe(204);
    expect(await latest("key.revoke")).toMatchObject({ actor: `key:${admin.id}`, target: doomed.id, outcome: "ok" });
    // This isolate forgot it at once (the others within KEY_CACHE_MS).
    expect((await call("/api/events", undefined, { headers: bearer(doomed.key) })).status).toBe(401);
    expect((await call("/api/events", undefined, { headers: bearer("phk_made-up") })).status).toBe(401);
    await flushRejections(env.DB);
    const failures = await call("/api/audit/sign-in-failures", undefined, { headers: ADMIN });
    const { hours } = await failures.json<{ hours: { reason: string; count: number }[] }>();
    expect(hours.find((h) => h.reason === "key_revoked")?.count).toBeGreaterThanOrEqual(1);
    expect(hours.find((h) => h.reason === "unknown_key")?.count).toBeGreaterThanOrEqual(1);

    const keys = await (await call("/api/keys", undefined, { headers: ADMIN })).json<{
      keys: { id: string; revoked_at: string | null; last_used_at: string | null }[];
    }>();
    const listed = keys.keys.find((k) => k.id === doomed.id);
    expect(listed?.revoked_at).not.toBeNull();
    expect(listed?.last_used_at).not.toBeNull();
  });

  it("filters by actor, action and target, and pages by cursor", async () => {
    const mine = await audit({ actor: `key:${operator.id}` });
    expect(mine.length).toBeGreaterThan(3);
    expect(mine.every((r) => r.actor === `key:${operator.id}`)).toBe(true);
    const first = await call(`/api/audit?limit=2`, undefined, { headers: ADMIN });
    const page = await first.json<{ entries: (Row & { seq: number })[]; next_cursor: string }>();
    expect(page.entries).toHaveLength(2);
    const second = await call(`/api/audit?limit=2&cursor=${page.next_cursor}`, undefined, { headers: ADMIN });
    const next = await second.json<{ entries: (Row & { seq: number })[] }>();
    expect(next.entries[0]?.seq).toBeLessThan(page.entries[1]?.seq ?? 0);
    expect((await call("/api/audit?since=yesterday", undefined, { headers: ADMIN })).status).toBe(400);
  });

  describe("the bulk replay's alert (fetch replaced: ALERT_URL's request is captured, not sent)", () => {
    afterEach(() => vi.restoreAllMocks());

    it("names who replayed, once per replay (its first page), not per page", async () => {
      await postEvent();
      await postEvent();
      const sent: { alert: string; text: string; details: Record<string, unknown> }[] = [];
      vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
        if (String(input).startsWith("https://alerts.parcelhook.test/")) sent.push(JSON.parse(String(init?.body)));
        return new Response(null, { status: 204 });
      });
      const vars = { ALERT_URL: "https://alerts.parcelhook.test/hook" } as Partial<Env>;
      const replay = (body: unknown) =>
        callWith("/api/replay", vars, {
          method: "POST",
          headers: { ...bearer(operator.key), "content-type": "application/json" },
          body: JSON.stringify(body),
        });
      const first = await replay({ carrier: "peddler", limit: 1 });
      expect(first.status).toBe(202);
      const { next_cursor } = await first.json<{ next_cursor: string }>();
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({
        alert: "bulk_replay",
        details: { actor: `key:${operator.id}`, actor_name: "on-call", more: true, filter: { carrier: "peddler" } },
      });
      expect(sent[0]?.text).toContain(`on-call (key:${operator.id}) replayed 1 events`);
      // The next page is the same replay: no second alert.
      expect((await replay({ carrier: "peddler", limit: 1, cursor: next_cursor })).status).toBe(202);
      expect(sent).toHaveLength(1);
    });
  });

  it("reads each filter along its index, never the whole log (EXPLAIN QUERY PLAN)", async () => {
    const plan = async (sql: string, params: unknown[]) =>
      (
        await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
          .bind(...params)
          .all<{ detail: string }>()
      ).results
        .map((r) => r.detail)
        .join("; ");
    for (const [filter, index] of [
      [{ actor: "admin_token" }, "audit_log_actor"],
      [{ action: "key.create" }, "audit_log_action"],
      [{ target: "dst_x" }, "audit_log_target"],
    ] as const) {
      const { sql, params } = auditListSql({ ...filter, limit: 50 });
      expect(await plan(sql, params), JSON.stringify(filter)).toMatch(new RegExp(`USING INDEX ${index}\\b`));
    }
    const retention = await plan("SELECT seq FROM audit_log WHERE at < ?1 ORDER BY at LIMIT ?2", ["2026-01-01", 10]);
    expect(retention).toMatch(/USING (COVERING )?INDEX audit_log_at\b/);
    const keyCheck = await plan("UPDATE api_keys SET last_used_at = ?2 WHERE hash = ?1", ["x", "y"]);
    expect(keyCheck).toMatch(/USING (COVERING )?INDEX sqlite_autoindex_api_keys_\d/);
  });
});
