import { Hono } from "hono/tiny";
import type { AppEnv } from "../app-env";
import { actorOf } from "../auth/actor-of";
import { ApiError } from "../errors/api-error";
import { auditPage, createKey, listKeys, revokeKey, signInFailures } from "../operator";
import { parseInput } from "../operator/parse-input";
import { auditQuery, createKeyBody } from "../operator/team-schemas";
import { AuditPage } from "./audit-page";
import { KeysPage } from "./keys-page";

/** The dashboard's keys and audit pages, mounted at /dashboard behind the door (`admin`). */
export const teamPages = new Hono<AppEnv>();

teamPages.get("/keys", async (c) => {
  const notice = c.req.query("notice") === "revoked" ? "Key revoked." : undefined;
  return c.html(KeysPage({ keys: (await listKeys(c.env.DB)).keys, notice }));
});

teamPages.post("/keys", async (c) => {
  const form = await c.req.parseBody({ all: true });
  const roles = [form.roles ?? []].flat().filter((r): r is string => typeof r === "string");
  const name = typeof form.name === "string" ? form.name : "";
  try {
    const created = await createKey(c.env, parseInput(createKeyBody, { name, roles }), actorOf(c));
    // The key is in this page only: never in a URL, a redirect or a later page.
    return c.html(KeysPage({ keys: (await listKeys(c.env.DB)).keys, created }), 201);
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== "invalid_request") throw err;
    return c.html(KeysPage({ keys: (await listKeys(c.env.DB)).keys, issues: err.issues }), 400);
  }
});

teamPages.post("/keys/:id/revoke", async (c) => {
  await revokeKey(c.env, c.req.param("id"), actorOf(c));
  return c.redirect("/dashboard/keys?notice=revoked", 303);
});

teamPages.get("/audit", async (c) => {
  const query = Object.fromEntries([...new URL(c.req.url).searchParams].filter(([, v]) => v !== ""));
  const failures = (await signInFailures(c.env.DB)).hours;
  try {
    const page = await auditPage(c.env.DB, parseInput(auditQuery, query));
    return c.html(AuditPage({ entries: page.entries, query, nextCursor: page.next_cursor, failures }));
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== "invalid_request") throw err;
    return c.html(AuditPage({ entries: [], query, nextCursor: null, failures, issues: err.issues }), 400);
  }
});
