import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { COUNT_DELIVERIES_SQL, countDeliveries, type DeliveryCounts } from "../src/delivery/db/count-deliveries";
import { dropDeleted, markCaughtUp } from "../src/delivery/db/held-deliveries";
import { writeReplay } from "../src/delivery/db/replay-deliveries";
import { STATE_CODE } from "../src/delivery/delivery-state";
import { deleteDestination } from "../src/destinations/db/delete-destination";
import { deleteExpiredEvents } from "../src/retention/db/delete-expired-events";
import { createDestination } from "./helpers/destinations";
import { storeEvents } from "./helpers/store-events";

// delivery_counts (migrations/0013) is kept by triggers on `deliveries`, never by the writers:
// these tests move deliveries the ways the code does (plain inserts and state updates as the
// consumer's batch writes them, the replay's upsert, the catch-up, a deleted destination's drop,
// retention's deletes) against the real local D1, and after each step the counts must equal both
// what the step decided and a count of the deliveries themselves.

const { queued, retrying, held, delivered, dead, dropped } = STATE_CODE;

function insert(seqs: number[], no: number, state: number): D1PreparedStatement {
  return env.DB.prepare(
    `INSERT INTO deliveries (event_seq, destination_no, state, attempts, gen, updated_at)
     SELECT value, ?2, ?3, 0, 0, 0 FROM json_each(?1)`,
  ).bind(JSON.stringify(seqs), no, state);
}

function move(seqs: number[], no: number, state: number): D1PreparedStatement {
  return env.DB.prepare(
    `UPDATE deliveries SET state = ?3, attempts = attempts + 1
     WHERE destination_no = ?2 AND event_seq IN (SELECT value FROM json_each(?1))`,
  ).bind(JSON.stringify(seqs), no, state);
}

/** delivery_counts against a count of the deliveries themselves (read NOT INDEXED: the truth). */
async function expectCountsTrue(): Promise<void> {
  const [truth, kept] = await env.DB.batch<{ no: number; state: number; n: number }>([
    env.DB.prepare(
      "SELECT destination_no AS no, state, count(*) AS n FROM deliveries NOT INDEXED GROUP BY 1, 2 ORDER BY 1, 2",
    ),
    env.DB.prepare("SELECT destination_no AS no, state, n FROM delivery_counts WHERE n <> 0 ORDER BY 1, 2"),
  ]);
  expect(kept?.results).toEqual(truth?.results);
}

const zero: DeliveryCounts = { queued: 0, retrying: 0, held: 0, delivered: 0, dead: 0 };
const countsOf = async (no: number) => (await countDeliveries(env.DB)).get(no);

describe("delivery_counts", () => {
  it("stays equal to the deliveries across inserts, state moves, upserts, the catch-up, a drop and retention", async () => {
    const a = await createDestination("counta", "https://a.example/hook");
    const b = await createDestination("countb", "https://b.example/hook");
    const events = await storeEvents(6);
    const seq = events.map((e) => e.seq);

    // Deliveries inserted as the consumer's batch inserts them.
    await env.DB.batch([insert(seq, a.no, queued), insert(seq.slice(0, 3), b.no, queued)]);
    expect(await countsOf(a.no)).toEqual({ ...zero, queued: 6 });
    expect(await countsOf(b.no)).toEqual({ ...zero, queued: 3 });
    await expectCountsTrue();

    // State moves as settle writes them; an update that keeps the state counts nothing.
    await env.DB.batch([
      move(seq.slice(0, 2), a.no, delivered),
      move([seq[2] as number], a.no, held),
      move([seq[3] as number], a.no, dead),
      move([seq[4] as number], a.no, retrying),
      move([seq[5] as number], a.no, queued),
    ]);
    expect(await countsOf(a.no)).toEqual({ queued: 1, retrying: 1, held: 1, delivered: 2, dead: 1 });
    await expectCountsTrue();

    // The replay's upsert: a's dead delivery back to queued (DO UPDATE), and b gets one it never had (INSERT).
    await env.DB.batch(
      writeReplay(
        env.DB,
        {
          deliveries: [
            { seq: seq[3] as number, no: a.no, gen: 1 },
            { seq: seq[5] as number, no: b.no, gen: 1 },
          ],
          wholeEvents: [],
          history: [
            { seq: seq[3] as number, no: a.no },
            { seq: seq[5] as number, no: b.no },
          ],
        },
        new Date().toISOString(),
      ),
    );
    expect(await countsOf(a.no)).toEqual({ queued: 2, retrying: 1, held: 1, delivered: 2, dead: 0 });
    expect(await countsOf(b.no)).toEqual({ ...zero, queued: 4 });
    await expectCountsTrue();

    // The catch-up: a's held delivery goes back to queued.
    await env.DB.batch(markCaughtUp(env.DB, [{ id: events[2]?.id as string, d: a.no }], new Date().toISOString()));
    expect(await countsOf(a.no)).toEqual({ queued: 3, retrying: 1, held: 0, delivered: 2, dead: 0 });
    await expectCountsTrue();

    // b deleted: its owed deliveries dropped; a deleted destination is not counted any more.
    expect(await deleteDestination(env.DB, b.id, new Date().toISOString())).toBe(true);
    await env.DB.batch(dropDeleted(env.DB, new Date().toISOString()));
    expect(await countsOf(b.no)).toBeUndefined();
    const bDropped = await env.DB.prepare("SELECT n FROM delivery_counts WHERE destination_no = ?1 AND state = ?2")
      .bind(b.no, dropped)
      .first<{ n: number }>();
    expect(bDropped?.n).toBe(4);
    await expectCountsTrue();
  });

  it("loses what retention deletes (the trigger deleting an expired event's deliveries fires the count's)", async () => {
    const c = await createDestination("countc", "https://c.example/hook");
    const longAgo = new Date(Date.now() - 200 * 86_400_000).toISOString();
    const old = await storeEvents(4, longAgo);
    const fresh = await storeEvents(2);
    await env.DB.batch([
      insert(
        old.map((e) => e.seq),
        c.no,
        delivered,
      ),
      insert(
        fresh.map((e) => e.seq),
        c.no,
        queued,
      ),
      // The event list's state of an event whose deliveries are all delivered.
      env.DB.prepare("UPDATE events SET state = 'delivered' WHERE seq IN (SELECT value FROM json_each(?1))").bind(
        JSON.stringify(old.map((e) => e.seq)),
      ),
    ]);
    expect(await countsOf(c.no)).toEqual({ ...zero, queued: 2, delivered: 4 });
    const cutoff = new Date(Date.now() - 90 * 86_400_000).toISOString();
    let deleted = 0;
    for (let i = 0; i < 20; i++) {
      const run = await deleteExpiredEvents(env.DB, cutoff, 1000);
      deleted += run.events;
      if (run.end) break;
    }
    expect(deleted).toBe(4);
    expect(await countsOf(c.no)).toEqual({ ...zero, queued: 2 });
    await expectCountsTrue();
  });

  it("costs the same with a few deliveries or thousands (D1's rows_read of countDeliveries' statement)", async () => {
    const d = await createDestination("countd", "https://d.example/hook");
    const rowsRead = async () =>
      ((await env.DB.prepare(COUNT_DELIVERIES_SQL).all()).meta as { rows_read: number }).rows_read;
    const before = await rowsRead();
    await env.DB.prepare(
      `INSERT INTO deliveries (event_seq, destination_no, state, attempts, gen, updated_at)
       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
       SELECT 800000000 + i, ?1, ${delivered}, 1, 0, 0 FROM n`,
    )
      .bind(d.no)
      .run();
    // One more counted state of one destination: a row or two more read, never 3,000.
    expect(await rowsRead()).toBeLessThanOrEqual(before + 2);
    expect((await countsOf(d.no))?.delivered).toBe(3000);
    await expectCountsTrue();
    await env.DB.prepare("DELETE FROM deliveries WHERE destination_no = ?1").bind(d.no).run();
    expect(await countsOf(d.no)).toBeUndefined();
  });
});

describe("migration 0013", () => {
  it("counts the deliveries kept before it, in the same migration as the triggers", async () => {
    const e = await createDestination("counte", "https://e.example/hook");
    const events = await storeEvents(5);
    const seq = events.map((x) => x.seq);
    // The schema before 0013: its table, triggers and indexes gone, and it not yet applied.
    const { results } = await env.DB.prepare(
      `SELECT type, name FROM sqlite_master WHERE name IN ('delivery_counts', 'deliveries_count_insert',
         'deliveries_count_update', 'deliveries_count_delete', 'deliveries_held_moved', 'deliveries_dropped')`,
    ).all<{ type: string; name: string }>();
    expect(results).toHaveLength(6);
    const table = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%migrations%' AND name NOT LIKE '_cf_%'",
    ).first<{ name: string }>();
    await env.DB.batch([
      ...results.map((r) => env.DB.prepare(`DROP ${r.type.toUpperCase()} ${r.name}`)),
      env.DB.prepare(`DELETE FROM ${table?.name} WHERE name LIKE '0013_%'`),
    ]);
    // Deliveries written by the previous release, uncounted.
    await env.DB.batch([
      insert(seq.slice(0, 3), e.no, queued),
      insert(seq.slice(3), e.no, dead),
      insert(seq.slice(0, 1), 1, held),
    ]);
    await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
    expect(await countsOf(e.no)).toEqual({ ...zero, queued: 3, dead: 2 });
    await expectCountsTrue();
    // And the triggers count from then on.
    await env.DB.batch([move(seq.slice(0, 1), e.no, delivered)]);
    expect(await countsOf(e.no)).toEqual({ ...zero, queued: 2, delivered: 1, dead: 2 });
    await expectCountsTrue();
  });
});
