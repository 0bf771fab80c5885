import type { Context } from "hono";
import type { Role } from "./roles";

/** What a route needs: a role, or (PATCH of a destination) a role that depends on the body. */
export type RouteRole = Role | "signed_in" | ((c: Context) => Promise<Role>);

/**
 * PATCH /api/destinations/{id}: pausing and resuming are `operate`; any other field (name, url,
 * filter) is `admin`. A body that cannot be read as JSON is `admin`'s to be told about.
 */
async function patchDestinationRole(c: Context): Promise<Role> {
  if (!/^application\/json\b/i.test(c.req.header("content-type") ?? "")) return "admin";
  try {
    const body: unknown = await c.req.json();
    const keys = body !== null && typeof body === "object" ? Object.keys(body) : [];
    return keys.length > 0 && keys.every((k) => k === "paused") ? "operate" : "admin";
  } catch {
    return "admin";
  }
}

/**
 * The role each operator route needs, by method and route pattern as the app registers it
 * (`routePath`). A route missing here needs `admin` (refused, never opened), and the role table
 * test (test/route-roles.test.ts) walks the app's own route list, so a new route without an entry
 * fails it. `signed_in`: any operator (signing out).
 */
export const ROUTE_ROLES: Readonly<Record<string, RouteRole>> = {
  "GET /metrics": "metrics",

  "GET /api/events": "read",
  "GET /api/events/:id": "read",
  "POST /api/events/:id/replay": "operate",
  "POST /api/replay": "operate",
  "GET /api/quarantine": "read",
  "POST /api/quarantine/:id/retry": "operate",
  "GET /api/shipments": "read",
  "GET /api/shipments/:tracking_number": "read",
  "GET /api/stats": "read",
  "GET /api/destinations": "read",
  "POST /api/destinations": "admin",
  "GET /api/destinations/:id": "read",
  "PATCH /api/destinations/:id": patchDestinationRole,
  "DELETE /api/destinations/:id": "admin",
  "POST /api/destinations/:id/rotate-secret": "admin",
  "POST /api/destinations/:id/replay": "operate",
  "GET /api/keys": "admin",
  "POST /api/keys": "admin",
  "DELETE /api/keys/:id": "admin",
  "GET /api/audit": "admin",
  "GET /api/audit/sign-in-failures": "admin",

  "POST /dashboard/sign-out": "signed_in",
  "GET /dashboard": "read",
  "POST /dashboard/replay": "operate",
  "GET /dashboard/events/:id": "read",
  "POST /dashboard/events/:id/replay": "operate",
  "GET /dashboard/shipments": "read",
  "GET /dashboard/shipments.csv": "read",
  "GET /dashboard/shipments/:tracking_number": "read",
  "GET /dashboard/quarantine": "read",
  "POST /dashboard/quarantine/:id/retry": "operate",
  "GET /dashboard/destinations": "read",
  "POST /dashboard/destinations": "admin",
  "GET /dashboard/destinations/:id": "read",
  "POST /dashboard/destinations/:id": "admin",
  "POST /dashboard/destinations/:id/pause": "operate",
  "POST /dashboard/destinations/:id/resume": "operate",
  "POST /dashboard/destinations/:id/rotate-secret": "admin",
  "GET /dashboard/destinations/:id/delete": "admin",
  "POST /dashboard/destinations/:id/delete": "admin",
  "POST /dashboard/destinations/:id/replay": "operate",
  "GET /dashboard/keys": "admin",
  "POST /dashboard/keys": "admin",
  "POST /dashboard/keys/:id/revoke": "admin",
  "GET /dashboard/audit": "admin",
};
