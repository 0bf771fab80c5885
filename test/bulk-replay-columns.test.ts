import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SYSTEM_ACTOR } from "../src/auth/actor";
import { bulkReplay } from "../src/operator/bulk-replay";

// A bulk replay needs only the listed events' ids (and the cursor's key): it must not read `data`
// and `raw_body` (the stored bodies, most of a row's bytes) of up to 500 rows to get them.
function recordingSql(db: D1Database): { db: D1Database; sql: string[] } {
  const sql: string[] = [];
  const wrapped = new Proxy(db, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop === "prepare") {
        return (text: string) => {
          sql.push(text);
          return target.prepare(text);
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db: wrapped, sql };
}

describe("bulk replay (D1 wrapped to record the SQL it is sent)", () => {
  it("lists the events to replay by id only, never their stored bodies", async () => {
    const recorded = recordingSql(env.DB);
    await bulkReplay(
      { ...env, DB: recorded.db } as Env,
      {
        state: "dead",
        limit: 500,
      } as Parameters<typeof bulkReplay>[1],
      SYSTEM_ACTOR,
    );
    const listing = recorded.sql.filter((s) => /FROM events\b/.test(s) && /ORDER BY received_at DESC/.test(s));
    expect(listing).toHaveLength(1);
    const columns = (listing[0] ?? "").replace(/\s+/g, " ").match(/^SELECT (.*?) FROM events/)?.[1] ?? "";
    expect(columns.split(",").map((c) => c.trim())).toEqual(["seq", "id", "received_at"]);
  });
});
