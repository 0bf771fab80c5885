import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors/api-error";
import type { Actor } from "./actor";

/** The caller the operator door let in; a route reached without it is a wiring fault, never an open door. */
export function actorOf(c: Context<AppEnv>): Actor {
  const actor = c.get("actor");
  if (!actor) throw new ApiError("unauthorized");
  return actor;
}
