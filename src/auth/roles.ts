/**
 * The operator roles. `admin` holds every other; `operate` holds `read`; `metrics` is only
 * /metrics, so a scraper's key opens nothing else.
 */
export const ROLES = ["read", "metrics", "operate", "admin"] as const;
export type Role = (typeof ROLES)[number];

const IMPLIES: Record<Role, readonly Role[]> = {
  read: ["read"],
  metrics: ["metrics"],
  operate: ["operate", "read"],
  admin: ROLES,
};

/** Whether a holder of `roles` may do what needs `needed`. */
export function grants(roles: readonly Role[], needed: Role): boolean {
  return roles.some((r) => IMPLIES[r].includes(needed));
}

export const isRole = (s: unknown): s is Role => typeof s === "string" && (ROLES as readonly string[]).includes(s);
