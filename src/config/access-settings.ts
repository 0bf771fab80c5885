import { isRole, type Role } from "../auth/roles";
import { parseJwks, type RsaJwk } from "../carriers/remote-keys";
import type { ConfigProblem } from "./read-config";

/** Cloudflare Access as the operators' sign-in (docs/access.md). */
export interface AccessConfig {
  /** `https://<team>.cloudflareaccess.com`: the tokens' `iss`, and where the certs are. */
  issuer: string;
  certsUrl: string;
  /** Any of these application AUD tags (one per Access application: API, dashboard). */
  audiences: string[];
  /** ACCESS_CERTS: a pinned JWKS by kid (tests, offline); null = fetched from certsUrl and cached. */
  pinnedKeys: Map<string, RsaJwk> | null;
  /** Emails (lower case) and groups to roles; `*` = anyone Access let in. */
  roles: { emails: Map<string, Role[]>; groups: Map<string, Role[]>; anyone: Role[] };
}

type Vars = Record<string, string | undefined>;

/**
 * ACCESS_TEAM_DOMAIN, ACCESS_AUD, ACCESS_CERTS and ACCESS_ROLES, parsed once. Access is on only
 * when the first two are set and every one that is set can be used; a value that cannot is a
 * problem named in /health, and Access stays off (nobody is let in by a half-read setting).
 */
export function parseAccessSettings(vars: Vars, problems: ConfigProblem[]): AccessConfig | null {
  const team = vars.ACCESS_TEAM_DOMAIN?.trim();
  const aud = vars.ACCESS_AUD?.trim();
  if (!team && !aud) return null;
  const before = problems.length;
  if (!team || !aud) {
    problems.push({
      name: team ? "ACCESS_AUD" : "ACCESS_TEAM_DOMAIN",
      message: "Access needs both ACCESS_TEAM_DOMAIN and ACCESS_AUD",
    });
    return null;
  }
  const host = team.replace(/^https:\/\//i, "").replace(/\/+$/, "");
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(host)) {
    problems.push({
      name: "ACCESS_TEAM_DOMAIN",
      message: "must be your team domain, e.g. myteam.cloudflareaccess.com",
    });
  }
  const pinnedKeys = parseCerts(vars.ACCESS_CERTS, problems);
  const roles = parseRoles(vars.ACCESS_ROLES, problems);
  if (problems.length > before) return null;
  return {
    issuer: `https://${host.toLowerCase()}`,
    certsUrl: `https://${host.toLowerCase()}/cdn-cgi/access/certs`,
    audiences: aud
      .split(",")
      .map((a) => a.trim())
      .filter(Boolean),
    pinnedKeys,
    roles,
  };
}

function parseCerts(raw: string | undefined, problems: ConfigProblem[]): Map<string, RsaJwk> | null {
  if (!raw?.trim()) return null;
  const parsed = parseJwks(raw);
  if ("keys" in parsed && parsed.keys.size > 0) return parsed.keys;
  problems.push({
    name: "ACCESS_CERTS",
    message: 'must be the JSON of the team\'s certs URL: { "keys": [ ...RSA JWKs with a kid ] }',
  });
  return null;
}

const ROLES_FORMAT = 'must be JSON like {"alice@example.com": ["admin"], "group:ops": ["operate"], "*": ["read"]}';

function parseRoles(raw: string | undefined, problems: ConfigProblem[]): AccessConfig["roles"] {
  const roles: AccessConfig["roles"] = { emails: new Map(), groups: new Map(), anyone: [] };
  if (!raw?.trim()) {
    problems.push({ name: "ACCESS_ROLES", message: `is not set: nobody would have a role. It ${ROLES_FORMAT}` });
    return roles;
  }
  let map: unknown;
  try {
    map = JSON.parse(raw);
  } catch {}
  if (map === null || typeof map !== "object" || Array.isArray(map)) {
    problems.push({ name: "ACCESS_ROLES", message: ROLES_FORMAT });
    return roles;
  }
  for (const [who, given] of Object.entries(map as Record<string, unknown>)) {
    const list = Array.isArray(given) ? given : [given];
    if (!list.every(isRole)) {
      problems.push({ name: "ACCESS_ROLES", message: `${who}: roles are read, metrics, operate, admin` });
      continue;
    }
    if (who === "*") roles.anyone = list;
    else if (who.startsWith("group:")) roles.groups.set(who.slice(6), list);
    else roles.emails.set(who.toLowerCase(), list);
  }
  return roles;
}
