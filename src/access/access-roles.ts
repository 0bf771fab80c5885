import type { Role } from "../auth/roles";
import type { AccessConfig } from "../config/access-settings";

/**
 * The roles ACCESS_ROLES gives a signed-in identity: its email (or a service token's
 * `common_name`), each of its groups (a `groups` claim, top level or under `custom`, as an
 * identity provider's OIDC claims put it), and `*`. None: signed in, allowed nothing (403).
 */
export function accessRoles(
  roles: AccessConfig["roles"],
  claims: { email?: string; common_name?: string; groups?: unknown; custom?: unknown },
): Role[] {
  const out = new Set<Role>(roles.anyone);
  const who = (claims.email ?? claims.common_name)?.toLowerCase();
  for (const r of (who && roles.emails.get(who)) || []) out.add(r);
  const custom = claims.custom && typeof claims.custom === "object" ? (claims.custom as { groups?: unknown }) : {};
  const groups = [claims.groups, custom.groups].flatMap((g) => (Array.isArray(g) ? g : []));
  for (const g of groups) {
    const name = typeof g === "string" ? g : g && typeof g === "object" ? (g as { name?: unknown }).name : undefined;
    if (typeof name === "string") for (const r of roles.groups.get(name) ?? []) out.add(r);
  }
  return [...out];
}
