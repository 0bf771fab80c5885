import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { ping } from "../db/ping";
import { ApiError } from "../errors/api-error";

/** 200 when the Worker and D1 answer; 503 when D1 does not. */
export async function health(c: Context<AppEnv>): Promise<Response> {
  try {
    await ping(c.env.DB);
  } catch {
    throw new ApiError("storage_unavailable");
  }
  return c.json({ status: "ok", d1: "ok" });
}
