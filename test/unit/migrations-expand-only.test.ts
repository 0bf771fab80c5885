// Migrations newer than the last landed release (migrations/released.json) follow the
// expand/contract rule of docs/deploy.md: the previous release's Workers keep running while they
// are applied. The rule's checker is tried on the migrations that broke that (0007, 0011) as if
// they were not yet released, so it is known to refuse what it must.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import released from "../../migrations/released.json";
import { checkExpandOnly } from "../helpers/check-expand-only";

/** Each migration file's first line (the contract step's "-- Contracts ..." line). */
const headers = Object.fromEntries(
  Object.entries(
    import.meta.glob<string>("../../migrations/*.sql", { query: "?raw", import: "default", eager: true }),
  ).map(([path, text]) => [path.split("/").pop() as string, text.split("\n")[0] ?? ""]),
);
const migrations = env.TEST_MIGRATIONS;

describe("migrations are expand-only after the last release", () => {
  it("released.json names a migration that exists", () => {
    expect(migrations.map((m) => m.name)).toContain(released.through);
  });

  it("no migration newer than the last release drops, renames, backfills or adds a NOT NULL column without a default", () => {
    expect(checkExpandOnly(migrations, released, headers)).toEqual([]);
  });

  it("would have refused 0007's backfill and 0011's rebuilds had they come after 0006", () => {
    const problems = checkExpandOnly(migrations, { through: "0006_destinations.sql" }, headers);
    expect(problems.filter((p) => p.startsWith("0007_"))).toEqual([
      expect.stringContaining("backfills DELIVERIES from EVENTS"),
      expect.stringContaining("rewrites rows of DESTINATIONS"),
      expect.stringContaining("rewrites rows of EVENT_ATTEMPTS"),
    ]);
    const of0011 = problems.filter((p) => p.startsWith("0011_")).map((p) => p.split(": ")[1]);
    expect(of0011).toEqual(
      expect.arrayContaining([
        "backfills SHIPMENTS_COMPACT from SHIPMENTS, which the previous release is still changing",
        "drops a table",
        "renames",
        "deletes rows of DELIVERIES, which the previous release uses",
      ]),
    );
  });

  const check = (sql: string[], name = "0099_next.sql", first = "-- Next") =>
    checkExpandOnly([...migrations, { name, queries: sql }], released, { ...headers, [name]: first });

  it("refuses each kind of break in a new migration, and lets additions through", () => {
    expect(check(["ALTER TABLE events DROP COLUMN swept_at"])).toEqual([expect.stringContaining("drops a column")]);
    expect(check(["alter table events rename column swept_at to sent_at"])).toEqual([
      expect.stringContaining("renames"),
    ]);
    expect(check(["DROP TABLE rejections"])).toEqual([expect.stringContaining("drops a table")]);
    expect(check(["ALTER TABLE events ADD COLUMN lane INTEGER NOT NULL"])).toEqual([
      expect.stringContaining("NOT NULL column without a default"),
    ]);
    expect(check(["UPDATE events SET state = 'queued' WHERE state = 'held'"])).toEqual([
      expect.stringContaining("rewrites rows of EVENTS"),
    ]);
    expect(
      check([
        "CREATE TABLE lanes (event_seq INTEGER NOT NULL, lane INTEGER NOT NULL)",
        "INSERT INTO lanes SELECT seq, 0 FROM events",
      ]),
    ).toEqual([expect.stringContaining("backfills LANES from EVENTS")]);
    expect(
      check([
        "ALTER TABLE events ADD COLUMN lane INTEGER NOT NULL DEFAULT 0 -- not null, with a default",
        "CREATE TABLE lanes (no INTEGER PRIMARY KEY, name TEXT NOT NULL)",
        "INSERT INTO lanes (no, name) VALUES (1, 'default')",
        "CREATE INDEX events_lane ON events (lane)",
        "DROP INDEX events_received",
      ]),
    ).toEqual([]);
  });

  it("lets a backfill through only when the same migration's triggers keep it in step on insert, update and delete", () => {
    const table = "CREATE TABLE lane_counts (lane INTEGER PRIMARY KEY, n INTEGER NOT NULL)";
    const backfill = "INSERT INTO lane_counts (lane, n) SELECT destination_no, count(*) FROM deliveries GROUP BY 1";
    const trigger = (on: string, body: string) =>
      `CREATE TRIGGER lane_counts_${on.split(" ")[0]} AFTER ${on} ON deliveries\nBEGIN\n  ${body};\nEND`;
    const insert = trigger(
      "INSERT",
      "INSERT INTO lane_counts (lane, n) VALUES (new.destination_no, 1) ON CONFLICT (lane) DO UPDATE SET n = n + 1",
    );
    const update = trigger(
      "UPDATE OF destination_no",
      "UPDATE lane_counts SET n = n - 1 WHERE lane = old.destination_no",
    );
    const remove = trigger("DELETE", "UPDATE lane_counts SET n = n - 1 WHERE lane = old.destination_no");
    expect(check([table, insert, update, remove, backfill])).toEqual([]);
    expect(check([table, insert, remove, backfill])).toEqual([
      expect.stringContaining("backfills LANE_COUNTS from DELIVERIES"),
    ]);
  });

  it("lets a contract step drop what a landed release stopped using, and only that", () => {
    expect(
      check(
        ["ALTER TABLE events DROP COLUMN swept_at"],
        "0099_contract_swept_at.sql",
        "-- Contracts 0007_deliveries_data.sql",
      ),
    ).toEqual([]);
    expect(check(["DROP TABLE downstream"], "0099_contract_downstream.sql", "-- Drops downstream")).toEqual([
      expect.stringContaining('first line must be "-- Contracts NNNN_<expand>.sql"'),
    ]);
    expect(
      check(["DROP TABLE downstream"], "0099_contract_downstream.sql", "-- Contracts 0098_not_released.sql"),
    ).toEqual([expect.stringContaining("which no landed release has applied yet")]);
  });
});
