import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { findCarrier } from "../carriers";
import { countRequest } from "../rejections/count-rejection";

/**
 * One structured line per webhook delivery (carrier, outcome, event id, duration), never the
 * payload or a secret; every request is also counted for the operator's stats and /metrics, per
 * isolate and written to D1 now and then (see countRequest), so a flood of junk costs D1 almost nothing.
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
  const code = c.get("errorCode") ?? "";
  const counted = c.get("outcome") ?? (status >= 400 && code && code !== "storage_unavailable" ? "rejected" : null);
  if (counted) {
    const ctx = c.executionCtx;
    countRequest(c.env.DB, (p) => ctx.waitUntil(p), { at: new Date(started), carrier, outcome: counted, status, code });
  }
};
