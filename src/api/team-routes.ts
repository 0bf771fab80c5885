import { Hono } from "hono/tiny";
import type { AppEnv } from "../app-env";
import { actorOf } from "../auth/actor-of";
import { auditPage, createKey, listKeys, revokeKey, signInFailures } from "../operator";
import { auditQuery, createKeyBody, signInFailuresQuery } from "../operator/team-schemas";
import { requireJson, validate } from "./validate";

/** API keys and the audit log (issue 20): `admin` only (src/auth/route-roles.ts). */
export const teamRoutes = new Hono<AppEnv>()
  .get("/keys", async (c) => c.json(await listKeys(c.env.DB)))
  // The answer holds the key, shown this once: never to be kept by a cache on the way.
  .post("/keys", requireJson, validate("json", createKeyBody), async (c) =>
    c.json(await createKey(c.env, c.req.valid("json"), actorOf(c)), 201, { "Cache-Control": "no-store" }),
  )
  .delete("/keys/:id", async (c) => {
    await revokeKey(c.env, c.req.param("id"), actorOf(c));
    return c.body(null, 204);
  })
  .get("/audit", validate("query", auditQuery), async (c) => c.json(await auditPage(c.env.DB, c.req.valid("query"))))
  .get("/audit/sign-in-failures", validate("query", signInFailuresQuery), async (c) =>
    c.json(await signInFailures(c.env.DB, c.req.valid("query").since)),
  );
