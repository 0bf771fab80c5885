import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN_ACTOR } from "../src/auth/actor";
import { findApiKey, KEY_CACHE_MS, keyCheckReads } from "../src/keys/find-api-key";
import {
  bulkReplay,
  changeDestination,
  createDestination,
  createKey,
  removeDestination,
  replayOne,
  replayToDestination,
  retryQuarantined,
  revokeKey,
  rotateDestinationSecret,
} from "../src/operator";
import { peddlerOutForDelivery } from "./fixtures/peddler";
import { quarantinedPeddler } from "./helpers/api-keys";
import { call } from "./helpers/post-webhook";

// Statement counts are deterministic: what the targets are checked with (not timed).

/** D1 wrapped to count its round trips (a batch or a single statement) and the statements in each. */
function countingDb(db: D1Database) {
  const trips: string[][] = [];
  const wrapped = new Proxy(db, {
    get(target, prop) {
      if (prop === "batch") {
        return (stmts: D1PreparedStatement[]) => {
          trips.push(stmts.map((s) => (s as unknown as { sql?: string }).sql ?? String(s)));
          return target.batch(stmts);
        };
      }
      if (prop === "prepare") {
        return (sql: string) => {
          const stmt = target.prepare(sql);
          const tag = (s: D1PreparedStatement): D1PreparedStatement =>
            new Proxy(s, {
              get(t, p) {
                if (p === "sql") return sql;
                if (p === "bind") return (...args: unknown[]) => tag(t.bind(...args));
                if (p === "run" || p === "first" || p === "all" || p === "raw") {
                  return (...args: unknown[]) => {
                    trips.push([sql]);
                    return (t[p] as (...a: unknown[]) => unknown).apply(t, args);
                  };
                }
                const v = Reflect.get(t, p, t);
                return typeof v === "function" ? v.bind(t) : v;
              },
            });
          return tag(stmt);
        };
      }
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
  return { db: wrapped, trips };
}

const isAudit = (sql: string) => /INSERT INTO audit_log/.test(sql);

describe("what operator auth costs D1", () => {
  it("a key check: at most one D1 statement per isolate per key per minute, which also records its use", async () => {
    const { key } = await createKey(env, { name: "bench", roles: ["read"] }, ADMIN_TOKEN_ACTOR);
    const t0 = Date.now();
    const before = keyCheckReads();
    for (let i = 0; i < 1000; i++) expect((await findApiKey(env.DB, key, t0 + i * 50)).ok).toBe(true);
    const inOneMinute = keyCheckReads() - before; // 1,000 checks over 50 s
    await findApiKey(env.DB, key, t0 + KEY_CACHE_MS + 1);
    const afterTheMinute = keyCheckReads() - before;
    console.log(
      `key check: 1000 checks in 50 s -> ${inOneMinute} D1 statement(s); the next minute -> ${afterTheMinute - inOneMinute}`,
    );
    expect(inOneMinute).toBe(1);
    expect(afterTheMinute).toBe(2);
  });

  it("a revocation made elsewhere (another isolate) reaches this isolate within KEY_CACHE_MS", async () => {
    const { id, key } = await createKey(env, { name: "leaver", roles: ["read"] }, ADMIN_TOKEN_ACTOR);
    const t0 = Date.now();
    expect((await findApiKey(env.DB, key, t0)).ok).toBe(true);
    // Revoked in D1 only, as another isolate's DELETE /api/keys/{id} does: this isolate's cache is untouched.
    await env.DB.prepare("UPDATE api_keys SET revoked_at = ?2 WHERE id = ?1")
      .bind(id, new Date(t0).toISOString())
      .run();
    expect((await findApiKey(env.DB, key, t0 + KEY_CACHE_MS - 1)).ok).toBe(true);
    expect(await findApiKey(env.DB, key, t0 + KEY_CACHE_MS)).toEqual({ ok: false, reason: "key_revoked" });
  });

  it("an audited action: its audit row rides in the action's own batch (one statement more, no round trip more)", async () => {
    const { db, trips } = countingDb(env.DB);
    const e = { ...env, DB: db } as Env;
    const figures: string[] = [];
    const measure = async (name: string, action: () => Promise<unknown>) => {
      trips.length = 0;
      await action();
      const withAudit = trips.filter((t) => t.some(isAudit));
      expect(withAudit, name).toHaveLength(1);
      // Never alone: the insert shares its round trip with the action's write.
      expect(withAudit[0]?.length, name).toBeGreaterThan(1);
      expect(withAudit[0]?.filter(isAudit), name).toHaveLength(1);
      figures.push(`${name}: ${trips.length} round trips, audit in a batch of ${withAudit[0]?.length}`);
    };
    let id = "";
    await measure("destination.create", async () => {
      id = (
        await createDestination(e, { name: "cost", url: "https://cost.example/h", filter: null }, ADMIN_TOKEN_ACTOR)
      ).id;
    });
    await measure("destination.update", () => changeDestination(e, id, { name: "cost-2" }, ADMIN_TOKEN_ACTOR));
    await measure("destination.pause", () => changeDestination(e, id, { paused: true }, ADMIN_TOKEN_ACTOR));
    await measure("destination.rotate_secret", () => rotateDestinationSecret(e, id, ADMIN_TOKEN_ACTOR));
    const posted = await call(
      "/webhooks/peddler",
      { ...peddlerOutForDelivery, id: `cost-${crypto.randomUUID()}` },
      {
        headers: { "x-webhook-shared-token": "test-peddler" },
      },
    );
    const eventId = (await posted.json<{ event_id: string }>()).event_id;
    await measure("event.replay", () => replayOne(e, eventId, ADMIN_TOKEN_ACTOR));
    await measure("events.replay", () => bulkReplay(e, { carrier: "peddler", limit: 500 }, ADMIN_TOKEN_ACTOR));
    await measure("destination.replay", () =>
      replayToDestination(e, id, { carrier: "peddler", limit: 500 }, ADMIN_TOKEN_ACTOR),
    );
    const quarantined = await quarantinedPeddler({ ...peddlerOutForDelivery, id: `cost-q-${crypto.randomUUID()}` });
    const ctx = createExecutionContext();
    await measure("quarantine.retry", () => retryQuarantined(e, ctx, quarantined, ADMIN_TOKEN_ACTOR));
    await waitOnExecutionContext(ctx);
    await measure("destination.delete", () => removeDestination(e, id, ADMIN_TOKEN_ACTOR));
    let keyId = "";
    await measure("key.create", async () => {
      keyId = (await createKey(e, { name: "cost", roles: ["read"] }, ADMIN_TOKEN_ACTOR)).id;
    });
    await measure("key.revoke", () => revokeKey(e, keyId, ADMIN_TOKEN_ACTOR));
    console.log(figures.join("\n"));
  });
});
