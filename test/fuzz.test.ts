// Property-based fuzzing of every route with fast-check: random and hostile bodies and headers.
// What must hold for every input: never a 5xx (all carriers are configured in tests), never a row
// in D1 from an unauthenticated request, never a stack trace or a secret in an answer, and every
// error the structured JSON of interface.md. Inputs tried per route are printed at the end
// (run with `--silent=false` to see them). `FUZZ_RUNS=10000 npm run fuzz` tries at least that many
// inputs on every route (vitest.config.ts passes FUZZ_RUNS in as `fuzzRuns`).
import { env, exports } from "cloudflare:workers";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";

import * as inpostFixtures from "./fixtures/inpost";
import * as peddlerFixtures from "./fixtures/peddler";
import * as postmenFixtures from "./fixtures/postmen";
import * as swiftpodFixtures from "./fixtures/swiftpod";

const SECRETS = [
  "test-swiftpod-old",
  "test-swiftpod",
  "test-postmen",
  "test-postmen-hmac",
  "test-peddler",
  "test-admin-token-0123456789abcdef0123",
  "dGVzdC1mb3J3YXJkLXNpZ25pbmcta2V5LTMyYnl0ZXM=",
];
const ERROR_CODES = new Set([
  "malformed_json",
  "invalid_request",
  "unauthorized",
  "forbidden",
  "not_found",
  "method_not_allowed",
  "payload_too_large",
  "invalid_payload",
]);
const LONG = inject("fuzzRuns");
const RUNS = 150;
/** Inputs for one property: its usual share in the quick suite, at least FUZZ_RUNS in a long run. */
const runs = (usual: number) => (LONG > 0 ? Math.max(LONG, usual) : usual);
/** A test's time limit from the inputs it tries (hostile bodies take a few ms each, more on a busy machine). */
const limit = (inputs: number) => 60_000 + inputs * 100;
const tried = new Map<string, { n: number; ms: number }>();

/** Every exported object of a fixtures module, whatever their names: a fixture may change shape. */
function samples(mod: Record<string, unknown>): Record<string, unknown>[] {
  return Object.values(mod).filter(
    (v): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v),
  );
}
const FIXTURES = {
  inpost: samples(inpostFixtures),
  swiftpod: samples(swiftpodFixtures),
  postmen: samples(postmenFixtures),
  peddler: samples(peddlerFixtures),
};

async function hmac(body: Uint8Array, key: string): Promise<string> {
  const k = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(key),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", k, body));
  return btoa(String.fromCharCode(...mac));
}

async function rowCount(): Promise<number> {
  const a = await env.DB.prepare("SELECT count(*) AS n FROM events").first<{ n: number }>();
  const b = await env.DB.prepare("SELECT count(*) AS n FROM quarantine").first<{ n: number }>();
  return (a?.n ?? 0) + (b?.n ?? 0);
}

/** Sends one request through the Worker and checks what every answer must be. */
async function hit(
  route: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Uint8Array | string,
): Promise<Response & { text: string }> {
  const started = Date.now();
  const res = await exports.default.fetch(`https://parcelhook.test${path}`, {
    method,
    headers,
    body: method === "GET" || method === "HEAD" ? undefined : body,
  });
  const text = await res.text();
  const seen = tried.get(route) ?? { n: 0, ms: 0 };
  tried.set(route, { n: seen.n + 1, ms: seen.ms + (Date.now() - started) });
  const where = `${method} ${path} -> ${res.status} ${text.slice(0, 200)}`;
  expect(res.status, where).toBeLessThan(500);
  for (const secret of SECRETS) expect(text.includes(secret), `secret in answer: ${where}`).toBe(false);
  expect(/\n\s+at\s|Error:|\.ts:\d+/.test(text), `stack trace in answer: ${where}`).toBe(false);
  if (method !== "HEAD") {
    expect(res.headers.get("content-type") ?? "", where).toMatch(/json/);
    const json = JSON.parse(text);
    if (res.status >= 400) {
      expect(Object.keys(json), where).toEqual(["error"]);
      expect(ERROR_CODES.has(json.error.code), where).toBe(true);
      expect(typeof json.error.message, where).toBe("string");
      if (res.status === 422) expect(Array.isArray(json.error.issues), where).toBe(true);
      else expect(json.error.issues, where).toBeUndefined();
    }
  }
  return Object.assign(res, { text });
}

// Hostile bodies: any JSON, malformed text, deep nesting, huge strings, prototype keys, bad bytes,
// and the carriers' real payloads with fields swapped for anything.
const deepJson = fc.integer({ min: 1, max: 20_000 }).map((n) => `${"[".repeat(n)}${"]".repeat(n)}`);
const deepObject = fc.integer({ min: 1, max: 5_000 }).map((n) => `${'{"a":'.repeat(n)}1${"}".repeat(n)}`);
const protoKeys = fc
  .record({
    key: fc.constantFrom("__proto__", "constructor", "prototype", "toString", "hasOwnProperty"),
    value: fc.jsonValue(),
  })
  .map(({ key, value }) => `{"${key}": ${JSON.stringify(value) ?? "null"}, "__proto__": {"polluted": true}}`);
const hugeString = fc
  .integer({ min: 10_000, max: 200_000 })
  .map((n) => JSON.stringify({ id: "x".repeat(n), ts: "y".repeat(n) }));
const mutated = (fixtures: Record<string, unknown>[]) =>
  fc
    .record({
      base: fc.constantFrom(...(fixtures.length ? fixtures : [{}])),
      path: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
      value: fc.oneof(fc.anything(), fc.constant("__proto__"), fc.string({ maxLength: 2000 })),
    })
    .map(({ base, path, value }) => JSON.stringify(setAt(structuredClone(base), path, value)));
const bodyText = (fixtures: Record<string, unknown>[]) =>
  fc.oneof(
    fc.jsonValue().map((v) => JSON.stringify(v) ?? "null"),
    fc.string({ maxLength: 300 }),
    deepJson,
    deepObject,
    protoKeys,
    hugeString,
    mutated(fixtures),
    mutated(fixtures),
  );
const bodyBytes = (fixtures: Record<string, unknown>[]) =>
  fc.oneof(
    { weight: 6, arbitrary: bodyText(fixtures).map((t) => new TextEncoder().encode(t)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 500 }) },
  );

/** Replaces a value somewhere inside `obj`, walking by key index. */
function setAt(obj: unknown, path: number[], value: unknown): unknown {
  if (typeof obj !== "object" || obj === null) return value;
  const keys = Object.keys(obj);
  if (keys.length === 0) return value;
  const key = keys[(path[0] ?? 0) % keys.length] as string;
  const rest = path.slice(1);
  const target = obj as Record<string, unknown>;
  target[key] = rest.length ? setAt(target[key], rest, value) : value;
  return obj;
}

const contentType = fc.constantFrom(
  "application/json",
  "text/plain",
  "application/x-www-form-urlencoded",
  "",
  "application/json; charset=latin1",
);
const junkHeader = fc.record({
  name: fc.constantFrom("x-anything", "accept", "x-custom"),
  value: fc.string({ maxLength: 50 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
});
const outsideIp = fc.oneof(
  fc.ipV4().filter((ip) => !ip.startsWith("91.216.25.")),
  fc.ipV6(),
  fc.constantFrom("not-an-ip", "", "91.216.25", "91.216.25.1.5", "::ffff:91.216.26.1"),
);
const insideIp = fc.integer({ min: 0, max: 255 }).map((n) => `91.216.25.${n}`);
const wrongSecret = fc.oneof(
  fc.string({ maxLength: 40 }).filter((s) => !SECRETS.includes(s)),
  fc.constantFrom(
    "test-swiftpod ",
    "TEST-PEDDLER",
    "test-postmen\u0000",
    "test-swiftpod-old,test-swiftpod",
    "test-peddle",
  ),
);

describe("fuzz: unauthenticated requests store nothing", () => {
  // The sender is checked before the body is read, so even an oversized body answers 401/403, never 413.
  it("wrong or missing secrets, tokens, signatures and spoofed addresses: 401/403, no row in D1", {
    timeout: limit(4 * runs(RUNS)),
  }, async () => {
    const before = await rowCount();
    await fc.assert(
      fc.asyncProperty(bodyBytes(FIXTURES.peddler), wrongSecret, fc.boolean(), async (body, secret, omit) => {
        const headers: Record<string, string> = { "content-type": "application/json" };
        // A header value is printable and trimmed on the wire: send what a client could send.
        const token = secret.replace(/[^\x20-\x7e]/g, "").trim();
        if (!omit && !SECRETS.includes(token)) headers["x-webhook-shared-token"] = token;
        const res = await hit("POST /webhooks/peddler (bad token)", "POST", "/webhooks/peddler", headers, body);
        expect(res.status).toBe(401);
      }),
      { numRuns: runs(RUNS) },
    );
    await fc.assert(
      fc.asyncProperty(bodyBytes(FIXTURES.swiftpod), wrongSecret, fc.boolean(), async (body, secret, omit) => {
        const query = omit ? "" : `?secret=${encodeURIComponent(secret)}`;
        const res = await hit("POST /webhooks/swiftpod (bad secret)", "POST", `/webhooks/swiftpod${query}`, {}, body);
        expect(res.status).toBe(401);
      }),
      { numRuns: runs(RUNS) },
    );
    await fc.assert(
      fc.asyncProperty(
        bodyBytes(FIXTURES.postmen),
        fc.oneof(wrongSecret, fc.constant("test-postmen")),
        fc.oneof(fc.constant(null), fc.string({ maxLength: 60 }), fc.base64String({ maxLength: 44 })),
        async (body, secret, signature) => {
          const headers: Record<string, string> = {};
          if (signature !== null) headers["am-webhook-signature"] = signature.replace(/[^\x20-\x7e]/g, "");
          const path = `/webhooks/postmen?secret=${encodeURIComponent(secret)}`;
          const res = await hit("POST /webhooks/postmen (bad secret or signature)", "POST", path, headers, body);
          expect(res.status).toBe(401);
        },
      ),
      { numRuns: runs(RUNS) },
    );
    await fc.assert(
      fc.asyncProperty(
        bodyBytes(FIXTURES.inpost),
        fc.option(outsideIp, { nil: undefined }),
        insideIp,
        fc.constantFrom("x-forwarded-for", "x-real-ip", "true-client-ip", "forwarded"),
        async (body, clientIp, spoofed, header) => {
          const headers: Record<string, string> = { [header]: header === "forwarded" ? `for=${spoofed}` : spoofed };
          if (clientIp !== undefined) headers["cf-connecting-ip"] = clientIp;
          const res = await hit(
            "POST /webhooks/inpost (outside range, spoofed)",
            "POST",
            "/webhooks/inpost",
            headers,
            body,
          );
          expect(res.status).toBe(403);
        },
      ),
      { numRuns: runs(RUNS) },
    );
    expect(await rowCount()).toBe(before);
  });
});

describe("fuzz: authenticated hostile bodies", () => {
  const cases: [string, (body: Uint8Array) => Promise<{ path: string; headers: Record<string, string> }>][] = [
    ["peddler", async () => ({ path: "/webhooks/peddler", headers: { "x-webhook-shared-token": "test-peddler" } })],
    ["swiftpod", async () => ({ path: "/webhooks/swiftpod?secret=test-swiftpod", headers: {} })],
    [
      "postmen",
      async (body) => ({
        path: "/webhooks/postmen?secret=test-postmen",
        headers: { "am-webhook-signature": await hmac(body, "test-postmen-hmac") },
      }),
    ],
    ["inpost", async () => ({ path: "/webhooks/inpost", headers: { "cf-connecting-ip": "91.216.25.77" } })],
  ];
  for (const [carrier, auth] of cases) {
    it(`POST /webhooks/${carrier}: 200, 400, 413 or 422, never 5xx, errors structured`, {
      timeout: limit(runs(RUNS * 2)),
    }, async () => {
      await fc.assert(
        fc.asyncProperty(
          bodyBytes(FIXTURES[carrier as keyof typeof FIXTURES]),
          contentType,
          fc.option(junkHeader, { nil: undefined }),
          async (body, type, junk) => {
            const { path, headers } = await auth(body);
            if (type) headers["content-type"] = type;
            if (junk) headers[junk.name] = junk.value;
            const res = await hit(`POST /webhooks/${carrier} (authenticated)`, "POST", path, headers, body);
            expect([200, 400, 413, 422]).toContain(res.status);
          },
        ),
        { numRuns: runs(RUNS * 2) },
      );
    });
  }

  it("a body over MAX_BODY_BYTES answers 413 and stores nothing, on every carrier", async () => {
    const before = await rowCount();
    const big = new TextEncoder().encode(`{"pad":"${"x".repeat(524_288)}"}`);
    for (const [carrier, auth] of cases) {
      const { path, headers } = await auth(big);
      const res = await hit(`POST /webhooks/${carrier} (over the limit)`, "POST", path, headers, big);
      expect(res.status).toBe(413);
    }
    expect(await rowCount()).toBe(before);
  });
});

describe("fuzz: every other route and method", () => {
  const method = fc.constantFrom("GET", "HEAD", "PUT", "OPTIONS", "DELETE", "PATCH", "POST");
  const authz = fc.option(
    fc.oneof(
      fc.string({ maxLength: 30 }).map((s) => `Bearer ${s.replace(/[^\x20-\x7e]/g, "")}`),
      fc.constantFrom("Bearer", "Basic dGVzdA==", "Bearer test-admi"),
    ),
    { nil: undefined },
  );

  it("random methods, paths and headers: never 5xx, errors structured, nothing stored", {
    timeout: limit(runs(RUNS * 2) + runs(RUNS / 2)),
  }, async () => {
    const before = await rowCount();
    const path = fc.oneof(
      fc.constantFrom(
        "/health",
        "/webhooks/inpost",
        "/webhooks/swiftpod",
        "/webhooks/postmen",
        "/webhooks/peddler",
        "/webhooks/dhl",
        "/webhooks/",
        "/webhooks/__proto__",
        "/webhooks/constructor",
        "/webhooks/INPOST",
        "/",
        "/nope",
      ),
      fc
        .webPath()
        .map((p) => p || "/")
        .filter((p) => !p.startsWith("/api")),
    );
    await fc.assert(
      fc.asyncProperty(method, path, authz, bodyText([]), async (m, p, a, body) => {
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (a) headers.authorization = a;
        await hit("any method, any path", m, p, headers, body);
      }),
      { numRuns: runs(RUNS * 2) },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("GET", "HEAD"), fc.option(outsideIp, { nil: undefined }), async (m, ip) => {
        const res = await hit(
          "GET/HEAD /webhooks/inpost (URL probe)",
          m,
          "/webhooks/inpost",
          ip ? { "cf-connecting-ip": ip } : {},
        );
        expect(res.status).toBe(200);
      }),
      { numRuns: runs(RUNS / 2) },
    );
    expect(await rowCount()).toBe(before);
  });

  it("the operator API without a valid token: never 200, never 5xx, errors structured", {
    timeout: limit(runs(RUNS)),
  }, async () => {
    const before = await rowCount();
    const path = fc.oneof(
      fc.constantFrom(
        "/api/events",
        "/api/events/evt_nope",
        "/api/events/evt_nope/replay",
        "/api/replay",
        "/api/quarantine",
        "/api/shipments/123",
        "/api/stats",
      ),
      fc.webPath().map((p) => `/api${p}`),
    );
    await fc.assert(
      fc.asyncProperty(method, path, authz, bodyText([]), async (m, p, a, body) => {
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (a) headers.authorization = a;
        const res = await hit("any method /api/* (no or wrong token)", m, p, headers, body);
        if (p !== "/api/openapi.json" && p !== "/api/docs") expect(res.status).not.toBe(200);
      }),
      { numRuns: runs(RUNS) },
    );
    expect(await rowCount()).toBe(before);
  });
});

// The Worker's one log line per delivery would bury the figures below; answers are what is checked.
beforeAll(() => {
  vi.spyOn(console, "log").mockImplementation(() => {});
  vi.spyOn(console, "warn").mockImplementation(() => {});
});

afterAll(() => {
  vi.restoreAllMocks();
  const lines = [...tried].map(
    ([route, t]) => `  ${String(t.n).padStart(6)}  ${(t.ms / 1000).toFixed(1).padStart(7)} s  ${route}`,
  );
  console.log(`fuzz: inputs tried per route (and time spent in the Worker)\n${lines.join("\n")}`);
});
