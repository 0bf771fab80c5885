import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../src/app";
import type { Role } from "../src/auth/roles";
import { ROUTE_ROLES } from "../src/auth/route-roles";
import { ADMIN, bearer, createKey } from "./helpers/api-keys";
import { call } from "./helpers/post-webhook";
import { ENOUGH, pathOf, ROLES } from "./helpers/role-table";

// The role table of issue 20, written out here (not read from src/auth/route-roles.ts), against the
// app's own route list: a route the app answers that is missing here fails the test, so no operator
// route is added without a role. Each route is called once per role; a role that is enough must get
// past the door to the handler, whose answer is the status given here (ids that do not exist, so
// no call changes anything: 404 proves the handler ran).
type Expected = { role: Role | "any"; status: number; body?: unknown };
const API: Record<string, Expected> = {
  "GET /metrics": { role: "metrics", status: 200 },
  "GET /api/events": { role: "read", status: 200 },
  "GET /api/events/:id": { role: "read", status: 404 },
  "POST /api/events/:id/replay": { role: "operate", status: 404 },
  "POST /api/replay": { role: "operate", status: 400, body: {} },
  "GET /api/quarantine": { role: "read", status: 200 },
  "POST /api/quarantine/:id/retry": { role: "operate", status: 404 },
  "GET /api/shipments": { role: "read", status: 200 },
  "GET /api/shipments/:tracking_number": { role: "read", status: 404 },
  "GET /api/stats": { role: "read", status: 200 },
  "GET /api/destinations": { role: "read", status: 200 },
  "POST /api/destinations": { role: "admin", status: 400, body: { name: "" } },
  "GET /api/destinations/:id": { role: "read", status: 404 },
  // Pausing (only `paused`) is operate's; any other field is admin's (checked below).
  "PATCH /api/destinations/:id": { role: "operate", status: 404, body: { paused: true } },
  "DELETE /api/destinations/:id": { role: "admin", status: 404 },
  "POST /api/destinations/:id/rotate-secret": { role: "admin", status: 404 },
  "POST /api/destinations/:id/replay": { role: "operate", status: 404, body: { state: "dead" } },
  "GET /api/keys": { role: "admin", status: 200 },
  "POST /api/keys": { role: "admin", status: 400, body: { name: "x", roles: [] } },
  "DELETE /api/keys/:id": { role: "admin", status: 404 },
  "GET /api/audit": { role: "admin", status: 200 },
  "GET /api/audit/sign-in-failures": { role: "admin", status: 200 },
};

const operatorRoutes = (prefix: RegExp) => [
  ...new Set(app.routes.filter((r) => r.method !== "ALL" && prefix.test(r.path)).map((r) => `${r.method} ${r.path}`)),
];
const PUBLIC = new Set(["GET /api/openapi.json", "GET /api/docs"]);

describe("role table: every operator route x every role", () => {
  const keys = {} as Record<Role, string>;
  beforeAll(async () => {
    for (const role of ROLES) keys[role] = (await createKey(`table ${role}`, [role])).key;
  });

  it("lists every API route and /metrics the app answers, and none it does not", () => {
    const answered = operatorRoutes(/^\/(api|metrics)/).filter((r) => !PUBLIC.has(r));
    expect(Object.keys(API).sort()).toEqual(answered.sort());
    // And the source's table holds exactly those routes (no stale entry opening something else).
    const declared = Object.keys(ROUTE_ROLES).filter((r) => /^\w+ \/(api|metrics)/.test(r));
    expect(declared.sort()).toEqual(answered.sort());
  });

  for (const [route, expected] of Object.entries(API)) {
    it(`${route}: ${expected.role}`, async () => {
      const [method] = route.split(" ") as [string];
      for (const role of ROLES) {
        const res = await call(pathOf(route), expected.body, { method, headers: bearer(keys[role]) });
        const allowed = expected.role === "any" || ENOUGH[expected.role].includes(role);
        if (allowed) {
          expect(res.status, `${route} as ${role}`).toBe(expected.status);
        } else {
          expect(res.status, `${route} as ${role}`).toBe(403);
          const body = await res.json<{ error: { code: string; required_role: string; message: string } }>();
          expect(body.error.code).toBe("missing_role");
          expect(body.error.required_role).toBe(expected.role);
          expect(body.error.message).toContain(`\`${expected.role}\``);
        }
      }
      // The bootstrap ADMIN_TOKEN is an admin.
      const res = await call(pathOf(route), expected.body, { method, headers: ADMIN });
      expect(res.status, `${route} with ADMIN_TOKEN`).toBe(expected.status);
      // And nobody without a credential gets past the door.
      expect((await call(pathOf(route), expected.body, { method })).status).toBe(401);
    });
  }

  it("PATCH of a destination's name, URL or filter needs admin; only `paused` needs operate", async () => {
    const res = await call(
      "/api/destinations/nope_0000",
      { paused: true, name: "x" },
      { method: "PATCH", headers: bearer(keys.operate) },
    );
    expect(res.status).toBe(403);
    expect((await res.json<{ error: { required_role: string } }>()).error.required_role).toBe("admin");
    const admin = await call(
      "/api/destinations/nope_0000",
      { name: "x" },
      { method: "PATCH", headers: bearer(keys.admin) },
    );
    expect(admin.status).toBe(404);
  });

  it("leaves the webhook routes and /health without any key or Access work", async () => {
    expect(Object.keys(ROUTE_ROLES).some((r) => /^\w+ \/(webhooks|health)/.test(r))).toBe(false);
    const res = await call("/health", undefined, { headers: bearer(keys.metrics) });
    expect(res.status).toBe(200);
  });
});
