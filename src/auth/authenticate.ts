import type { Context } from "hono";
import { accessRoles } from "../access/access-roles";
import { verifyAccessJwt } from "../access/verify-access-jwt";
import type { AppEnv } from "../app-env";
import { readConfig } from "../config";
import { ApiError } from "../errors/api-error";
import { findApiKey } from "../keys/find-api-key";
import { API_KEY_PREFIX } from "../keys/new-api-key";
import { matchesAnySecret } from "../security/matches-any-secret";
import { type Actor, ADMIN_TOKEN_ACTOR } from "./actor";
import { checkOperatorConfig } from "./check-operator-config";
import { countOperatorRefusal } from "./count-operator-refusal";

// RFC 6750's `Bearer <token68>`, the scheme case-insensitive (as Hono's bearerAuth reads it).
const BEARER = /^bearer +([A-Za-z0-9._~+/-]+=*)$/i;

/**
 * Who is calling: `Authorization: Bearer` with ADMIN_TOKEN or an API key (an explicit credential
 * wins), else Cloudflare Access's `Cf-Access-Jwt-Assertion` when Access is configured. 401 for
 * anything else, counted (never logged) as a refused operator credential.
 */
export async function authenticate(c: Context<AppEnv>): Promise<Actor> {
  checkOperatorConfig(c.env);
  const config = readConfig(c.env);
  const header = c.req.header("Authorization");
  if (header !== undefined) {
    const token = BEARER.exec(header)?.[1];
    if (matchesAnySecret(token, config.adminTokens)) return ADMIN_TOKEN_ACTOR;
    if (token?.startsWith(API_KEY_PREFIX)) {
      const check = await findApiKey(c.env.DB, token);
      if (check.ok) return check.actor;
      countOperatorRefusal(c, check.reason);
      throw new ApiError("unauthorized");
    }
    countOperatorRefusal(c, "unauthorized");
    throw new ApiError("unauthorized");
  }
  const access = await accessActorOf(c);
  if (access) return access;
  countOperatorRefusal(c, "unauthorized");
  throw new ApiError("unauthorized");
}

/**
 * The Cloudflare Access sign-in of this request, when Access is configured and the request
 * carries `Cf-Access-Jwt-Assertion`: the email (or a service token's name) is the actor, its roles
 * from ACCESS_ROLES. A token that does not verify is 401 (counted as `access_refused`); certs that
 * cannot be reached are 503 `access_unavailable`.
 */
export async function accessActorOf(c: Context<AppEnv>): Promise<Actor | null> {
  const access = readConfig(c.env).access;
  const token = c.req.header("Cf-Access-Jwt-Assertion");
  if (access === null || !token) return null;
  const check = await verifyAccessJwt(token, access);
  if (!check.ok) {
    if (check.reason === "unavailable") {
      console.error(JSON.stringify({ msg: "access_certs_unavailable", url: access.certsUrl, error: check.detail }));
      throw new ApiError("access_unavailable");
    }
    countOperatorRefusal(c, "access_refused");
    throw new ApiError("unauthorized");
  }
  const who = check.claims.email ?? check.claims.common_name ?? check.claims.sub ?? "unknown";
  return { id: `access:${who}`, name: who, roles: accessRoles(access.roles, check.claims) };
}
