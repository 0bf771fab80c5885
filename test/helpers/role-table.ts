import type { Role } from "../../src/auth/roles";

/** Every role, and (the table, written out here) which roles may do what needs each. */
export const ROLES: Role[] = ["read", "metrics", "operate", "admin"];
export const ENOUGH: Record<Role, Role[]> = {
  read: ["read", "operate", "admin"],
  metrics: ["metrics", "admin"],
  operate: ["operate", "admin"],
  admin: ["admin"],
};

/** The route's path with ids no row has: a handler reached answers 404, and nothing changes. */
export const pathOf = (route: string) =>
  (route.split(" ")[1] as string).replace(":tracking_number", "NOPE0000").replace(/:id\b/, "nope_0000");
