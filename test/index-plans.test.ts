import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import schemaDoc from "../docs/schema.md?raw";
import { CARRIERS } from "../src/carriers";
import { indexCases } from "./helpers/index-queries";

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
