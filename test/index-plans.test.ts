import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import schemaDoc from "../docs/schema.md?raw";
import { CARRIERS } from "../src/carriers";
import { STATE_CODE } from "../src/delivery/delivery-state";
import { indexCases, seekCases } from "./helpers/index-queries";

// Every index of events, shipments, deliveries and event_attempts earns its place (issue 15): each
// serves named query functions, whose plan uses it, and whose plan without it (DROP INDEX, then
// the index is made again) reads the table or sorts it instead. Real local D1 with every
// migration. `npm run bench:indexes` times the same queries with and without each index.

const TABLES = ["events", "shipments", "deliveries", "event_attempts"];
const cases = indexCases({ now: new Date(), carriers: CARRIERS, trackingNumber: "TN1" });

// D1 keeps prepared statements by their text: `again` makes the text new after a DROP INDEX.
async function plan(sql: string, params: unknown[], again = ""): Promise<string> {
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}${again}`)
    .bind(...params)
    .all<{ detail: string }>();
  return results.map((r) => r.detail).join("; ");
}

/** The index names of docs/schema.md's table "What each index costs" (first column). */
function documentedIndexes(): string[] {
  const section = schemaDoc.split("## What each index costs")[1]?.split("\n## ")[0] ?? "";
  return [...section.matchAll(/^\| `([a-z_0-9]+)`/gm)]
    .map((m) => m[1] as string)
    .filter((name) => !name.startsWith("sqlite_autoindex_"));
}

describe("indexes", () => {
  it("are exactly the ones docs/schema.md names, each with the query it serves", async () => {
    const { results } = await env.DB.prepare(
      `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN (SELECT value FROM json_each(?1))
         AND name NOT LIKE 'sqlite_autoindex_%'`,
    )
      .bind(JSON.stringify(TABLES))
      .all<{ name: string }>();
    const actual = results.map((r) => r.name).sort();
    expect(actual).toEqual(Object.keys(cases).sort());
    expect(documentedIndexes().sort()).toEqual(actual);
  });

  for (const [index, list] of Object.entries(cases)) {
    it(`${index}: its queries use it, and without it they scan or sort (EXPLAIN QUERY PLAN)`, async () => {
      const create = await env.DB.prepare("SELECT sql FROM sqlite_master WHERE name = ?1")
        .bind(index)
        .first<{ sql: string }>();
      expect(create?.sql).toBeTruthy();
      const before: string[] = [];
      for (const c of list) {
        const p = await plan(c.sql, c.params);
        expect(p, c.query).toMatch(c.uses);
        before.push(p);
      }
      await env.DB.prepare(`DROP INDEX ${index}`).run();
      try {
        for (const [i, c] of list.entries()) {
          const p = await plan(c.sql, c.params, " ").catch((err: Error) => `error: ${err.message}`);
          expect(p, c.query).not.toMatch(new RegExp(`INDEX ${index}\\b`));
          // What dropping it costs: a read of a whole table or index, a sort, or (INDEXED BY) an error.
          expect(p, `${c.query}: ${before[i]} -> ${p}`).toMatch(
            /SCAN (events|shipments|d\b|deliveries|event_attempts)|TEMP B-TREE|error: .*no such index|SEARCH .* USING (COVERING )?INDEX (events_received|shipments_last_event|deliveries_owed\w*)/,
          );
        }
      } finally {
        await env.DB.prepare(create?.sql as string).run();
      }
    });
  }
});

describe("reads of a destination's deliveries (issue 18)", () => {
  it("are each a seek keyed by the destination: SEARCH by an index or primary key, never a SCAN of deliveries or events (EXPLAIN QUERY PLAN)", async () => {
    for (const c of await seekCases({ now: new Date(), carrier: CARRIERS[0] as string })) {
      const p = await plan(c.sql, c.params);
      expect.soft(p, c.query).toMatch(/SEARCH \w+ (EXISTS )?USING (COVERING )?(INDEX|PRIMARY KEY|INTEGER PRIMARY KEY)/);
      const scanned = [...p.matchAll(/\bSCAN (\w+)/g)].map((m) => m[1]);
      expect.soft(scanned, `${c.query}: ${p}`).toEqual(scanned.filter((t) => c.scans.includes(t as string)));
      expect.soft(p, c.query).not.toMatch(/SCAN (deliveries|events)\b/);
      expect.soft(p, c.query).toMatch(c.seeks);
    }
  });
});

describe("the partial indexes of deliveries", () => {
  // A partial index whose WHERE lets every row in (0010 compared the state code with 'delivered')
  // still gives the plans above. What it costs shows in what a read of the whole index reads.
  it("hold no delivered delivery: a read of the whole index reads no more rows than are not delivered (D1's rows_read)", async () => {
    const DELIVERED = 300;
    await env.DB.prepare(
      `INSERT INTO deliveries (event_seq, destination_no, state, attempts, gen, updated_at)
       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
       SELECT 900000000 + i, 999, ${STATE_CODE.delivered}, 1, 0, 0 FROM n`,
    )
      .bind(DELIVERED)
      .run();
    try {
      const notDelivered = await env.DB.prepare(
        `SELECT count(*) AS n FROM deliveries NOT INDEXED WHERE state <> ${STATE_CODE.delivered}`,
      ).first<{ n: number }>();
      const { results } = await env.DB.prepare(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'deliveries' AND sql LIKE '% WHERE %'",
      ).all<{ name: string; sql: string }>();
      expect(results.map((r) => r.name).sort()).toEqual([
        "deliveries_dropped",
        "deliveries_held_moved",
        "deliveries_owed",
        "deliveries_owed_moved",
        "deliveries_unsettled",
      ]);
      for (const { name, sql } of results) {
        const where = sql.slice(sql.lastIndexOf(" WHERE ") + " WHERE ".length);
        const read = await env.DB.prepare(
          `SELECT count(*) AS n FROM deliveries INDEXED BY ${name} WHERE ${where}`,
        ).all();
        const rowsRead = (read.meta as { rows_read: number }).rows_read;
        // A few reads of slack: an IN list is a seek per value, each counted.
        expect(rowsRead, `${name}: ${sql}`).toBeLessThanOrEqual((notDelivered?.n ?? 0) + 10);
      }
    } finally {
      await env.DB.prepare("DELETE FROM deliveries WHERE destination_no = 999").run();
    }
  });
});
