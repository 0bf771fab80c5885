import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { findCarrier } from "../carriers";
import { countRejection } from "../rejections/count-rejection";

/**
 * One structured line per webhook delivery (carrier, outcome, event id, duration), never the
 * payload or a secret; rejected requests are also counted for the operator's stats, per isolate and
 * written to D1 now and then (see countRejection), so a flood of junk costs D1 almost nothing.
 */
export const logDelivery: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = Date.now();
  await next();
  // A name from the URL only when it is a carrier we know: random paths must not grow the
  // rejection counts (or the logs) without bound.
  const named = c.req.param("carrier") ?? "";
  const carrier = findCarrier(named) ? named : "unknown";
  const status = c.res.status;
  const outcome = c.get("outcome") ?? (status < 400 ? "ok" : "rejected");
  console.log(
    JSON.stringify({
      msg: "delivery",
      carrier,
      method: c.req.method,
      status,
      outcome,
      code: c.get("errorCode"),
      event_id: c.get("eventId"),
      duration_ms: Date.now() - started,
    }),
  );
  const code = c.get("errorCode");
  if (status >= 400 && code && code !== "storage_unavailable") {
    const ctx = c.executionCtx;
    countRejection(c.env.DB, (p) => ctx.waitUntil(p), { at: new Date(started), carrier, status, code });
  }
};
