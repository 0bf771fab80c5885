// `npm run storage`'s retention figure: the retention job run to the end over a local D1 the
// simulator filled, with `now` moved past RETENTION_DAYS, timed between D1 round trips. Served by
// a `wrangler dev` of a copy of wrangler.toml with this as `main` (the same local D1). Never deployed.
import { readConfig } from "../src/config";
import { applyRetention } from "../src/retention";

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/health") return Response.json({ ok: true });
    const days = readConfig(env).retentionDays + 1;
    const now = new Date(Date.now() + days * 86_400_000);
    const totals = { runs: 0, events: 0, attempts: 0, shipments: 0, quarantine: 0, rejections: 0, statements: 0 };
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
      if (r.done) break;
    }
    // Workers time advances across I/O, so this is the wall time of the D1 round trips.
    return Response.json({ ...totals, ms: Date.now() - started });
  },
} satisfies ExportedHandler<Env>;
