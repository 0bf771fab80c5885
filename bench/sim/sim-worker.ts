// The simulation Worker (`npm run sim`; started by scripts/sim.ts in workerd through Miniflare):
// runs schedules on request against its real local D1, emptied between schedules. Never deployed,
// never imported by src/. The virtual clock is installed first, before any module of src/ runs.
import "./virtual-clock";
import "./real-async";
// The consumer Worker's entry: it installs the bundled body dictionaries, as in production.
import "../../src/consumer-worker";
import type { CarrierSim } from "../../scripts/simulate/types";
import { flushRejections } from "../../src/rejections/count-rejection";
import { type RunInput, runSchedule, T0 } from "./run-schedule";
import { clock } from "./virtual-clock";

interface SimEnv {
  DB: D1Database;
  /** Every Worker var and secret (JSON), as the e2e runs use them. */
  SIM_VARS: string;
  /** Every carrier's settings as its sender presents them (JSON). */
  SIM_SETTINGS: string;
}

let initial: { table: string; rows: Record<string, unknown>[] }[] | undefined;

/** The tables as the migrations left them (the `default` destination's row...), kept once. */
async function captureInitial(db: D1Database): Promise<typeof initial> {
  const { results } = await db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations'",
    )
    .all<{ name: string }>();
  const out: NonNullable<typeof initial> = [];
  for (const { name } of results) {
    const rows = await db.prepare(`SELECT * FROM "${name}"`).all<Record<string, unknown>>();
    out.push({ table: name, rows: rows.results });
  }
  return out;
}

/** Empties every table and puts the migrations' rows back, so each schedule starts alike. */
async function resetD1(db: D1Database): Promise<void> {
  initial ??= await captureInitial(db);
  const statements: D1PreparedStatement[] = [];
  for (const { table } of initial ?? []) statements.push(db.prepare(`DELETE FROM "${table}"`));
  statements.push(db.prepare("DELETE FROM sqlite_sequence"));
  for (const { table, rows } of initial ?? []) {
    for (const row of rows) {
      const cols = Object.keys(row);
      statements.push(
        db
          .prepare(
            `INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(", ")}) VALUES (${cols.map((_, i) => `?${i + 1}`).join(", ")})`,
          )
          .bind(...cols.map((c) => row[c] ?? null)),
      );
    }
  }
  await db.batch(statements);
}

let sims: Record<string, CarrierSim> | undefined;

export default {
  async fetch(request: Request, env: SimEnv): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/bench") {
      // How long the scheduler's primitives take here: an event-loop turn and a D1 round trip.
      const t0 = performance.now();
      for (let i = 0; i < 200; i++) await new Promise((r) => setTimeout(r, 0));
      const t1 = performance.now();
      for (let i = 0; i < 200; i++) await env.DB.prepare("SELECT 1").first();
      const t2 = performance.now();
      const ch = new MessageChannel();
      for (let i = 0; i < 200; i++)
        await new Promise<void>((r) => {
          ch.port1.onmessage = () => r();
          ch.port2.postMessage(0);
        });
      const t3 = performance.now();
      return Response.json({ turnMs: (t1 - t0) / 200, d1Ms: (t2 - t1) / 200, channelMs: (t3 - t2) / 200 });
    }
    if (url.pathname !== "/run" || request.method !== "POST") return new Response("POST /run", { status: 404 });
    const { seed, budgetMs } = (await request.json()) as { seed: number; budgetMs: number };
    // The carriers' simulators (node-only modules beside each carrier; bundled here by esbuild).
    sims ??= ((await import("../../scripts/simulate/sims" as string)) as { SIMS: Record<string, CarrierSim> }).SIMS;
    // The request counters are per-isolate module state: flushed at the schedule's start time, so a
    // seed run after others behaves as it does alone (the counters' next flush is 10 s later).
    clock.reset(T0, Math.random);
    await flushRejections(env.DB);
    await resetD1(env.DB);
    const input: RunInput = { seed, vars: JSON.parse(env.SIM_VARS), settings: JSON.parse(env.SIM_SETTINGS) };
    try {
      const result = await runSchedule(input, env.DB, sims, performance.now() + budgetMs);
      return Response.json(result);
    } catch (err) {
      return Response.json(
        { seed, error: err instanceof Error ? `${err.message}\n${err.stack}` : String(err) },
        { status: 500 },
      );
    }
  },
};
