import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Role } from "../src/auth/roles";
import { ROUTE_ROLES } from "../src/auth/route-roles";
import { accessEnv, accessToken, callVars as callWith, localAccessKey, TEAM } from "./helpers/access-jwt";
import { ENOUGH, pathOf, ROLES } from "./helpers/role-table";

const b64url = (o: unknown) => btoa(JSON.stringify(o)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

describe("Cloudflare Access sign-in (a JWT signed with a local key, its certs pinned in ACCESS_CERTS)", () => {
  let key: CryptoKey;
  let vars: Partial<Env>;
  beforeAll(async () => {
    const local = await localAccessKey();
    key = local.privateKey;
    vars = accessEnv(local.certs, {
      "reader@example.com": ["read"],
      "Boss@Example.com": ["admin"],
      "group:ops": ["operate"],
      "scraper.access": ["metrics"],
    });
  });
  const asJwt = (path: string, jwt: string, init: RequestInit = {}, extra: Partial<Env> = {}) =>
    callWith(path, { ...vars, ...extra }, { ...init, headers: { "cf-access-jwt-assertion": jwt, ...init.headers } });

  it("takes a good token: the email is the actor, its roles from ACCESS_ROLES", async () => {
    const jwt = await accessToken(key, { email: "reader@example.com" });
    expect((await asJwt("/api/events", jwt)).status).toBe(200);
    const replay = await asJwt("/api/replay", jwt, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(replay.status).toBe(403);
    expect((await replay.json<{ error: { required_role: string } }>()).error.required_role).toBe("operate");
    // The dashboard needs no sign-in form behind Access.
    const page = await asJwt("/dashboard", jwt);
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain('action="/dashboard/sign-in"');
  });

  it("matches emails without regard to case, and groups from the token's `groups` claim", async () => {
    const boss = await accessToken(key, { email: "boss@example.com" });
    expect((await asJwt("/api/keys", boss)).status).toBe(200);
    const ops = await accessToken(key, { email: "someone@example.com", groups: ["ops"] });
    const replay = await asJwt("/api/replay", ops, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(replay.status).toBe(400); // past the door: operate may replay, the empty filter is refused
    const nobody = await accessToken(key, { email: "stranger@example.com" });
    expect((await asJwt("/api/events", nobody)).status).toBe(403);
    const service = await accessToken(key, { common_name: "scraper.access" });
    expect((await asJwt("/metrics", service)).status).toBe(200);
  });

  it("records the person as the actor in the audit log", async () => {
    const boss = await accessToken(key, { email: "boss@example.com" });
    const created = await asJwt("/api/keys", boss, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "made by boss", roles: ["read"] }),
    });
    expect(created.status).toBe(201);
    const audit = await asJwt("/api/audit?action=key.create&limit=1", boss);
    const { entries } = await audit.json<{ entries: { actor: string; actor_name: string }[] }>();
    expect(entries[0]).toMatchObject({ actor: "access:boss@example.com", actor_name: "boss@example.com" });
  });

  for (const [what, make] of [
    ["expired", (k: CryptoKey) => accessToken(k, { email: "boss@example.com" }, { expiresIn: -30 })],
    [
      "for another application (aud)",
      (k: CryptoKey) => accessToken(k, { email: "boss@example.com" }, { audience: "other-app" }),
    ],
    [
      "from another issuer",
      (k: CryptoKey) => accessToken(k, { email: "boss@example.com" }, { issuer: "https://evil.cloudflareaccess.com" }),
    ],
    [
      "with alg none",
      async () =>
        `${b64url({ alg: "none", typ: "JWT" })}.${b64url({ email: "boss@example.com", aud: ["x"], iss: `https://${TEAM}`, exp: 9e9, iat: 1 })}.`,
    ],
    [
      "signed by another key",
      async () => accessToken((await localAccessKey()).privateKey, { email: "boss@example.com" }),
    ],
  ] as const) {
    it(`refuses a token ${what}: 401 on the API and the dashboard`, async () => {
      const jwt = await make(key);
      const res = await asJwt("/api/events", jwt);
      expect(res.status).toBe(401);
      expect((await res.json<{ error: { code: string } }>()).error.code).toBe("unauthorized");
      expect((await asJwt("/dashboard", jwt)).status).toBe(401);
    });
  }

  it("answers 503 when the team's certs cannot be reached, never an open door, and tries them at most once a minute (fault: the certs URL refuses connections)", async () => {
    const jwt = await accessToken(
      key,
      { email: "boss@example.com" },
      { issuer: "https://unreachable.cloudflareaccess.com" },
    );
    const offline = { ACCESS_CERTS: "", ACCESS_TEAM_DOMAIN: "unreachable.cloudflareaccess.com" } as Partial<Env>;
    const refused = vi.spyOn(globalThis, "fetch").mockRejectedValue(new TypeError("connection refused"));
    try {
      for (const path of ["/api/events", "/dashboard", "/api/events", "/dashboard"]) {
        const res = await asJwt(path, jwt, {}, offline);
        expect(res.status, path).toBe(503);
        expect((await res.json<{ error: { code: string } }>()).error.code).toBe("access_unavailable");
      }
      expect(refused).toHaveBeenCalledTimes(1);
    } finally {
      refused.mockRestore();
    }
  });

  it("fetches the team's certs once per isolate and keeps them; a made-up key id does not fetch them again within the minute (fetch replaced: the certs URL is answered here)", async () => {
    const local = await localAccessKey();
    const team = `fetched-${crypto.randomUUID().slice(0, 8)}.cloudflareaccess.com`;
    const certsUrl = `https://${team}/cdn-cgi/access/certs`;
    let served = 0;
    const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
      if (String(input) !== certsUrl) throw new TypeError("unexpected fetch");
      served++;
      return new Response(local.certs, { headers: { "content-type": "application/json" } });
    });
    try {
      const online = { ACCESS_CERTS: "", ACCESS_TEAM_DOMAIN: team } as Partial<Env>;
      const jwt = await accessToken(local.privateKey, { email: "reader@example.com" }, { issuer: `https://${team}` });
      for (let i = 0; i < 5; i++) expect((await asJwt("/api/events", jwt, {}, online)).status).toBe(200);
      expect(served).toBe(1);
      // A made-up key id asks for a refresh: not within the minute.
      const forged = await accessToken(
        (await localAccessKey()).privateKey,
        { email: "boss@example.com" },
        { issuer: `https://${team}` },
      );
      expect((await asJwt("/api/events", forged, {}, online)).status).toBe(401);
      expect(served).toBe(1);
    } finally {
      spy.mockRestore();
    }
  });

  it("leaves Access off, and names the problem in /health, for a half-set or unreadable configuration", async () => {
    for (const [bad, name] of [
      [{ ACCESS_AUD: "" }, "ACCESS_AUD"],
      [{ ACCESS_ROLES: "{not json" }, "ACCESS_ROLES"],
      [{ ACCESS_ROLES: JSON.stringify({ "a@b.c": ["root"] }) }, "ACCESS_ROLES"],
      [{ ACCESS_CERTS: "[]" }, "ACCESS_CERTS"],
    ] as const) {
      const health = await callWith("/health", { ...vars, ...bad } as Partial<Env>);
      const body = await health.json<{ config_problems: { name: string }[] }>();
      expect(body.config_problems.map((p) => p.name)).toContain(name);
      const jwt = await accessToken(key, { email: "boss@example.com" });
      expect((await asJwt("/api/events", jwt, {}, bad as Partial<Env>)).status).toBe(401);
    }
  });

  it("lets the bootstrap ADMIN_TOKEN stay optional once Access is on", async () => {
    const jwt = await accessToken(key, { email: "reader@example.com" });
    expect((await asJwt("/api/events", jwt, {}, { ADMIN_TOKEN: "" } as Partial<Env>)).status).toBe(200);
    expect((await callWith("/api/events", { ADMIN_TOKEN: "" } as Partial<Env>)).status).toBe(503);
  });
});

// The dashboard's half of the role table (the API's is test/route-roles.test.ts): every dashboard
// route the app answers, called as a person with each role, through Access.
const DASHBOARD: Record<string, { role: Role | "any"; status: number }> = {
  "POST /dashboard/sign-out": { role: "any", status: 303 },
  "GET /dashboard": { role: "read", status: 200 },
  "POST /dashboard/replay": { role: "operate", status: 400 },
  "GET /dashboard/events/:id": { role: "read", status: 404 },
  "POST /dashboard/events/:id/replay": { role: "operate", status: 404 },
  "GET /dashboard/shipments": { role: "read", status: 200 },
  "GET /dashboard/shipments.csv": { role: "read", status: 200 },
  "GET /dashboard/shipments/:tracking_number": { role: "read", status: 404 },
  "GET /dashboard/quarantine": { role: "read", status: 200 },
  "POST /dashboard/quarantine/:id/retry": { role: "operate", status: 404 },
  "GET /dashboard/destinations": { role: "read", status: 200 },
  "POST /dashboard/destinations": { role: "admin", status: 400 },
  "GET /dashboard/destinations/:id": { role: "read", status: 404 },
  "POST /dashboard/destinations/:id": { role: "admin", status: 404 },
  "POST /dashboard/destinations/:id/pause": { role: "operate", status: 404 },
  "POST /dashboard/destinations/:id/resume": { role: "operate", status: 404 },
  "POST /dashboard/destinations/:id/rotate-secret": { role: "admin", status: 404 },
  "GET /dashboard/destinations/:id/delete": { role: "admin", status: 404 },
  "POST /dashboard/destinations/:id/delete": { role: "admin", status: 404 },
  "POST /dashboard/destinations/:id/replay": { role: "operate", status: 404 },
  "GET /dashboard/keys": { role: "admin", status: 200 },
  "POST /dashboard/keys": { role: "admin", status: 400 },
  "POST /dashboard/keys/:id/revoke": { role: "admin", status: 404 },
  "GET /dashboard/audit": { role: "admin", status: 200 },
};

describe("role table: every dashboard route x every role (signed in through Access)", async () => {
  const { app } = await import("../src/app");
  let vars: Partial<Env>;
  const tokens = {} as Record<Role, string>;
  beforeAll(async () => {
    const local = await localAccessKey();
    vars = accessEnv(local.certs, Object.fromEntries(ROLES.map((r) => [`${r}@example.com`, [r]])));
    for (const r of ROLES) tokens[r] = await accessToken(local.privateKey, { email: `${r}@example.com` });
  });

  it("lists every dashboard route the app answers (but the public sign-in), and none it does not", () => {
    const answered = [
      ...new Set(
        app.routes
          .filter((r) => r.method !== "ALL" && r.path.startsWith("/dashboard") && r.path !== "/dashboard/sign-in")
          .map((r) => `${r.method} ${r.path}`),
      ),
    ];
    expect(Object.keys(DASHBOARD).sort()).toEqual(answered.sort());
    const declared = Object.keys(ROUTE_ROLES).filter((r) => /^\w+ \/dashboard/.test(r));
    expect(declared.sort()).toEqual(answered.sort());
  });

  for (const [route, expected] of Object.entries(DASHBOARD)) {
    it(`${route}: ${expected.role}`, async () => {
      const [method] = route.split(" ") as [string];
      const path = pathOf(route);
      for (const role of ROLES) {
        const res = await callWith(path, vars, {
          method,
          redirect: "manual",
          headers: {
            "cf-access-jwt-assertion": tokens[role],
            origin: "https://parcelhook.test",
            ...(method === "POST" ? { "content-type": "application/x-www-form-urlencoded" } : {}),
          },
          ...(method === "POST" ? { body: "" } : {}),
        });
        const allowed = expected.role === "any" || ENOUGH[expected.role].includes(role);
        expect(res.status, `${route} as ${role}`).toBe(allowed ? expected.status : 403);
      }
    });
  }
});
