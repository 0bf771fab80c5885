// `npm run storage`'s retention figures: the retention job run to the end over a local D1 the
// simulator filled, with `now` moved past RETENTION_DAYS, timed between D1 round trips; first
// `?held=N` of the events are made to owe a delivery (held for `default`, a destination gone for
// good), and one more run shows what every minute's run costs while they stay. Served by a
// `wrangler dev` of a copy of wrangler.toml with this as `main` (the same local D1). Never deployed.
import { readConfig } from "../src/config";
import { STATE_CODE } from "../src/delivery/delivery-state";
import { applyRetention } from "../src/retention";

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/health") return Response.json({ ok: true });
    const held = Number(url.searchParams.get("held") ?? 0);
    if (held > 0) {
      const oldest = `SELECT seq FROM events ORDER BY seq LIMIT ?1`;
      await env.DB.batch([
        env.DB.prepare(`UPDATE events SET state = 'held' WHERE seq IN (${oldest})`).bind(held),
        env.DB.prepare(
          `INSERT INTO deliveries (event_seq, destination_no, state, attempts, gen, updated_at)
           SELECT seq, 1, ${STATE_CODE.held}, 1, 0, 0 FROM events WHERE seq IN (${oldest})
           ON CONFLICT (event_seq, destination_no) DO UPDATE SET state = excluded.state`,
        ).bind(held),
      ]);
    }
    const days = readConfig(env).retentionDays + 1;
    const now = new Date(Date.now() + days * 86_400_000);
    const totals = {
      held,
      runs: 0,
      events: 0,
      attempts: 0,
      shipments: 0,
      quarantine: 0,
      rejections: 0,
      statements: 0,
      rowsRead: 0,
      maxRunRowsRead: 0,
    };
    const started = Date.now();
    for (;;) {
      const r = await applyRetention(env, now);
      totals.runs += 1;
      totals.events += r.events;
      totals.attempts += r.attempts;
      totals.shipments += r.shipments;
      totals.quarantine += r.quarantine;
      totals.rejections += r.rejections;
      totals.statements += r.statements;
      totals.rowsRead += r.rowsRead;
      totals.maxRunRowsRead = Math.max(totals.maxRunRowsRead, r.rowsRead);
      if (r.done || totals.runs > 1000) break;
    }
    // Workers time advances across I/O, so this is the wall time of the D1 round trips.
    const ms = Date.now() - started;
    const idle = await applyRetention(env, now);
    return Response.json({ ...totals, ms, idleRowsRead: idle.rowsRead, idleStatements: idle.statements });
  },
} satisfies ExportedHandler<Env>;
