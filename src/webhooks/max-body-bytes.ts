import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors/api-error";

export const DEFAULT_MAX_BODY_BYTES = 524_288;

export function maxBodyBytes(env: Env): number {
  const n = Number(env.MAX_BODY_BYTES);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_MAX_BODY_BYTES;
}

const limiters = new Map<number, MiddlewareHandler>();

/** Hono's body limit, sized from `MAX_BODY_BYTES` (a var, so known only per request). */
export const limitBody: MiddlewareHandler<AppEnv> = (c, next) => {
  const max = maxBodyBytes(c.env);
  let limiter = limiters.get(max);
  if (!limiter) {
    limiter = bodyLimit({
      maxSize: max,
      onError: () => {
        throw new ApiError("payload_too_large");
      },
    });
    limiters.set(max, limiter);
  }
  return limiter(c, next);
};
