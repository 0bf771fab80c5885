// /webhooks/shipengine through the Worker with its real D1: the contract's answers with pinned keys,
// the near misses of the 6.1 vector (a wrong kid, a stale timestamp, a flipped bit), and the JWKS URL
// through a fetch stand-in that counts its calls (the one binding replaced, to inject the JWKS host's
// answers and faults): a flood of unknown kids fetches once, an unreachable set answers 503 and
// /health names it.
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { app } from "../../src/app";
import { about } from "../../src/carriers/shipengine/about";
import { TEST_KID, TEST_PRIVATE_KEY } from "../../src/carriers/shipengine/simulate";
import vector from "../fixtures/carriers/shipengine/vector-delivered.json";
import { itAnswersTheContract, postTo, type RouteCase, storedCounts, untouchedBody } from "../helpers/route-answers";

const JWKS = about.settings.SHIPENGINE_PUBLIC_KEYS.example as string;
const enc = new TextEncoder();
const pinned = { SHIPENGINE_JWKS_URL: "", SHIPENGINE_PUBLIC_KEYS: JWKS };

let privateKey: Promise<CryptoKey> | undefined;
async function rsaSign(message: string): Promise<string> {
  privateKey ??= crypto.subtle.importKey(
    "pkcs8",
    Uint8Array.from(atob(TEST_PRIVATE_KEY.replace(/-----[A-Z ]+-----|\s/g, "")), (c) => c.charCodeAt(0)),
    { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const sig = new Uint8Array(await crypto.subtle.sign("RSASSA-PKCS1-v1_5", await privateKey, enc.encode(message)));
  return btoa(String.fromCharCode(...sig));
}

async function signed(body: string, at = new Date(), kid = TEST_KID) {
  const timestamp = at.toISOString();
  return {
    headers: {
      "x-shipengine-rsa-sha256-key-id": kid,
      "x-shipengine-rsa-sha256-signature": await rsaSign(`${timestamp}.${body}`),
      "x-shipengine-timestamp": timestamp,
    },
  };
}

const shipengineCase: RouteCase = {
  carrier: "shipengine",
  settings: pinned,
  unset: { SHIPENGINE_JWKS_URL: "", SHIPENGINE_PUBLIC_KEYS: "" },
  sign: (body) => signed(body),
  body: (id) => vector.request.body.replace("1Z0000000000000000", `1Z-${id}`),
  invalid: { body: '{"resource_type":"TRACK_EVENT_V2","data":{"status_code":"DE"}}', path: "data.tracking_number" },
};

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** A stand-in for the JWKS host (the Worker's `fetch`), counting calls per URL. */
function jwksHost(answer: (url: string) => Response) {
  const calls: string[] = [];
  const real = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (!url.startsWith("https://jwks.test/")) return real(input, init);
    calls.push(url);
    return answer(url);
  });
  return calls;
}

async function health(vars: Record<string, string>) {
  const res = await app.fetch(
    new Request("https://parcelhook.test/health"),
    { ...env, ...vars },
    createExecutionContext(),
  );
  return res.json<{ config_problems: { name: string }[]; carrier_problems: { name: string; message: string }[] }>();
}

describe("/webhooks/shipengine", () => {
  itAnswersTheContract(shipengineCase);

  it("refuses the 6.1 vector's near misses with 401, storing nothing", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-12-01T15:13:30Z"));
    const before = await storedCounts("shipengine");
    const body = vector.request.body;
    const h = vector.request.headers;
    const sig = h["x-shipengine-rsa-sha256-signature"];
    const bytes = Uint8Array.from(atob(sig), (c) => c.charCodeAt(0));
    bytes[100] = (bytes[100] as number) ^ 1;
    const flipped = btoa(String.fromCharCode(...bytes));
    const cases: [string, Record<string, string>, string][] = [
      ["a wrong kid", { ...h, "x-shipengine-rsa-sha256-key-id": "parcelhook-test-2026-11" }, body],
      ["a flipped signature bit", { ...h, "x-shipengine-rsa-sha256-signature": flipped }, body],
      ["another timestamp than was signed", { ...h, "x-shipengine-timestamp": "2026-12-01T15:13:06Z" }, body],
      ["the body alone signed", { ...h, "x-shipengine-rsa-sha256-signature": await rsaSign(body) }, body],
      ["DE changed to IT", h, body.replace('"status_code":"DE"', '"status_code":"IT"')],
      ["a signature cut short", { ...h, "x-shipengine-rsa-sha256-signature": sig.slice(0, 340) }, body],
    ];
    for (const [what, headers, b] of cases) {
      const a = await postTo(shipengineCase, b, { headers }, {}, true);
      expect([what, a.status, a.code]).toEqual([what, 401, "unauthorized"]);
    }
    expect(await storedCounts("shipengine")).toEqual(before);
  });

  it("refuses a timestamp more than 5 minutes off either way, before the body is read", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    for (const clock of ["2026-12-01T15:18:06Z", "2026-12-01T15:08:04Z"]) {
      vi.setSystemTime(new Date(clock));
      const { stream, pulls } = untouchedBody();
      const a = await postTo(shipengineCase, stream, { headers: vector.request.headers }, {}, true);
      expect([clock, a.status, pulls()]).toEqual([clock, 401, 0]);
    }
    vi.setSystemTime(new Date("2026-12-01T15:18:04Z"));
    const a = await postTo(shipengineCase, vector.request.body, vector.request);
    expect(["accepted", "duplicate"]).toContain(a.eventStatus);
  });

  it("refuses an unknown kid of the pinned set before the body is read", async () => {
    const b = shipengineCase.body("unknown-kid");
    const { headers } = await signed(b, new Date(), "some-other-kid");
    const { stream, pulls } = untouchedBody();
    const a = await postTo(shipengineCase, stream, { headers }, {}, true);
    expect([a.status, pulls()]).toEqual([401, 0]);
  });

  it("answers 503 while SHIPENGINE_PUBLIC_KEYS is unreadable, and /health names it", async () => {
    const broken = { SHIPENGINE_JWKS_URL: "https://api.shipengine.com/jwks", SHIPENGINE_PUBLIC_KEYS: "{not json" };
    const b = shipengineCase.body("unreadable");
    const a = await postTo(shipengineCase, b, await signed(b), broken, true);
    expect([a.status, a.code]).toEqual([503, "carrier_not_configured"]);
    expect((await health(broken)).config_problems.map((p) => p.name)).toContain("SHIPENGINE_PUBLIC_KEYS");
  });

  it("with the JWKS URL: fetches the set once, accepts, and fetches at most once for a flood of unknown kids", async () => {
    const calls = jwksHost(() => new Response(JWKS));
    const vars = { SHIPENGINE_JWKS_URL: "https://jwks.test/flood", SHIPENGINE_PUBLIC_KEYS: "" };
    const b = shipengineCase.body("jwks-ok");
    expect((await postTo(shipengineCase, b, await signed(b), vars)).eventStatus).toBe("accepted");
    expect(calls).toHaveLength(1);
    const before = await storedCounts("shipengine");
    for (let i = 0; i < 50; i++) {
      const { headers } = await signed(b, new Date(), `flood-${i}`);
      expect((await postTo(shipengineCase, b, { headers }, vars, true)).status).toBe(401);
    }
    // The first unknown kid could not refetch either: the set was fetched less than a minute before.
    expect(calls).toHaveLength(1);
    expect(await storedCounts("shipengine")).toEqual(before);
  });

  it("with the JWKS URL unreachable: 503 sender_keys_unavailable (never 401), nothing stored, and /health names it", async () => {
    const calls = jwksHost(() => new Response("upstream down", { status: 502 }));
    const vars = { SHIPENGINE_JWKS_URL: "https://jwks.test/down", SHIPENGINE_PUBLIC_KEYS: "" };
    const before = await storedCounts("shipengine");
    const b = shipengineCase.body("jwks-down");
    for (let i = 0; i < 20; i++) {
      const a = await postTo(shipengineCase, b, await signed(b), vars, true);
      expect([a.status, a.code]).toEqual([503, "sender_keys_unavailable"]);
    }
    expect(calls).toHaveLength(1);
    expect(await storedCounts("shipengine")).toEqual(before);
    const h = await health(vars);
    expect(h.carrier_problems).toEqual([{ name: "SHIPENGINE_JWKS_URL", message: expect.stringContaining("HTTP 502") }]);
    expect(calls).toHaveLength(1);
  });

  it("/health fetches a JWKS URL it has not seen, and names nothing when it answers", async () => {
    const calls = jwksHost(() => new Response(JWKS));
    const h = await health({ SHIPENGINE_JWKS_URL: "https://jwks.test/health-ok", SHIPENGINE_PUBLIC_KEYS: "" });
    expect(h.carrier_problems).toEqual([]);
    expect(calls).toEqual(["https://jwks.test/health-ok"]);
  });
});
