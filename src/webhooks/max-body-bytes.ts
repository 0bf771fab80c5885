import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../app-env";
import { readConfig } from "../config";
import { ApiError } from "../errors/api-error";

const limiters = new Map<number, MiddlewareHandler>();

/** Hono's body limit, sized from `MAX_BODY_BYTES` (a var, so known only per request). */
export const limitBody: MiddlewareHandler<AppEnv> = (c, next) => {
  const max = readConfig(c.env).maxBodyBytes;
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
