import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { findCarrier } from "../carriers";
import type { AnyCarrier, SenderContext, SenderVerdict } from "../carriers/kit";
import { isPullSource } from "../carriers/pull-kit";
import { readConfig } from "../config";
import { ApiError, type ErrorCode } from "../errors/api-error";

const VERDICT_ERRORS: Record<Exclude<SenderVerdict, "ok">, ErrorCode> = {
  unauthorized: "unauthorized",
  forbidden: "forbidden",
  not_configured: "carrier_not_configured",
  unavailable: "sender_keys_unavailable",
};

/** Throws the public answer for a failed sender check. */
export function refuseUnlessOk(verdict: SenderVerdict): void {
  if (verdict !== "ok") throw new ApiError(VERDICT_ERRORS[verdict]);
}

/** The request as a sender check sees it: `CF-Connecting-IP` is the only client address. */
export function senderContext(c: Context<AppEnv>): SenderContext {
  return { url: new URL(c.req.url), headers: c.req.raw.headers, clientIp: c.req.header("cf-connecting-ip") ?? null };
}

/** A carrier's parsed settings in this env (src/config parses every carrier's, once per env). */
// biome-ignore lint/suspicious/noExplicitAny: the settings of whichever carrier the route named
export function carrierSettings(env: object, carrier: AnyCarrier): any {
  return readConfig(env).carriers[carrier.name];
}

/**
 * The carrier's checks that need no body, before the body limit and the handler: a request that
 * fails them is answered without a byte of its body read, however large, slow or broken it is.
 */
export const checkSender: MiddlewareHandler<AppEnv> = async (c, next) => {
  const carrier = findCarrier(c.req.param("carrier") ?? "");
  // A pull source is read by the cron job, never posted to: it has no webhook route.
  if (!carrier || isPullSource(carrier)) throw new ApiError("not_found");
  refuseUnlessOk(await carrier.verifySender(senderContext(c), carrierSettings(c.env, carrier)));
  await next();
};
