// /webhooks/shippo through the Worker with its real D1: the contract's answers with the URL token
// and the HMAC both set, each alone, and the signature's near misses (the fixtures' conformance run
// covers accepted, duplicate, a missing or corrupted credential, and forwarding).
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import vector from "../fixtures/carriers/shippo/vector-track-updated.json";
import { itAnswersTheContract, postTo, type RouteCase, storedCounts, untouchedBody } from "../helpers/route-answers";

const TOKEN = "shippo_test_url_token";
const SECRET = "shippo_test_hmac_secret";
const enc = new TextEncoder();
const now = () => String(Math.floor(Date.now() / 1000));

async function v1(t: string, body: string, secret = SECRET): Promise<string> {
  const k = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", k, enc.encode(`${t}.${body}`)));
  return [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const signed = async (body: string, t = now()) => ({
  query: { token: TOKEN },
  headers: { "shippo-auth-signature": `t=${t},v1=${await v1(t, body)}` },
});

const shippoCase: RouteCase = {
  carrier: "shippo",
  settings: { SHIPPO_WEBHOOK_TOKEN: TOKEN, SHIPPO_HMAC_SECRET: SECRET },
  unset: { SHIPPO_WEBHOOK_TOKEN: "", SHIPPO_HMAC_SECRET: "" },
  sign: (body) => signed(body),
  body: (id) => vector.request.body.replace("a1b2c3d4e5f64a7b8c9d0e1f2a3b4c5d", `route-${id}`),
  invalid: { body: '{"event":"track_updated","data":{"carrier":"usps"}}', path: "data.tracking_number" },
};

afterEach(() => {
  vi.useRealTimers();
});

describe("/webhooks/shippo", () => {
  itAnswersTheContract(shippoCase);

  it("passes the 6.2 vector at its own time, and refuses it 5 minutes and 1 second later, before the body is read", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const hmacOnly = { SHIPPO_WEBHOOK_TOKEN: "", SHIPPO_HMAC_SECRET: SECRET };
    vi.setSystemTime(new Date((1796137985 + 301) * 1000));
    const { stream, pulls } = untouchedBody();
    const stale = await postTo(shippoCase, stream, { headers: vector.request.headers }, hmacOnly, true);
    expect([stale.status, pulls()]).toEqual([401, 0]);
    // As far in the future (a sender's clock ahead of ours) is refused alike.
    vi.setSystemTime(new Date((1796137985 - 301) * 1000));
    expect((await postTo(shippoCase, vector.request.body, vector.request, hmacOnly, true)).status).toBe(401);
    vi.setSystemTime(new Date((1796137985 + 299) * 1000));
    expect((await postTo(shippoCase, vector.request.body, vector.request, hmacOnly)).eventStatus).toMatch(
      /accepted|duplicate/,
    );
  });

  it("refuses the vector's near misses with 401, storing nothing (carriers-next.md 6.2)", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date(1796137985 * 1000));
    const hmacOnly = { SHIPPO_WEBHOOK_TOKEN: "", SHIPPO_HMAC_SECRET: SECRET };
    const before = await storedCounts("shippo");
    const body = vector.request.body;
    const good = vector.request.headers["shippo-auth-signature"];
    const digest = good.slice(good.indexOf("v1=") + 3);
    const flipped = `t=1796137985,v1=${digest[0] === "5" ? "4" : "5"}${digest.slice(1)}`;
    const refused = [
      // HMAC of the body alone (no `t.`)
      "t=1796137985,v1=2052e291002bf8ecf487777cc1be6aab77df799c46070d976394e35ac6605b95",
      flipped,
      `t=1796137985,v1=${digest.toUpperCase()}`,
      `t=1796137986,v1=${digest}`,
      `v1=${digest}`,
      `t=1796137985,v0=${digest}`,
      `t=1796137985,v1=${await v1("1796137985", body, `${SECRET}x`)}`,
      `t=1796137985,t=1796137985,v1=${digest}`,
    ];
    for (const s of refused) {
      const a = await postTo(shippoCase, body, { headers: { "shippo-auth-signature": s } }, hmacOnly, true);
      expect([s, a.status]).toEqual([s, 401]);
    }
    const changed = body.replace("Austin", "Austim");
    expect((await postTo(shippoCase, changed, vector.request, hmacOnly, true)).status).toBe(401);
    expect(await storedCounts("shippo")).toEqual(before);
  });

  it("accepts any v1 of several (Shippo rotating its secret) and any secret of a rotation list", async () => {
    const b = shippoCase.body("rotation");
    const t = now();
    const headers = { "shippo-auth-signature": `t=${t},v1=${"0".repeat(64)},v1=${await v1(t, b, "new-secret")}` };
    const a = await postTo(
      shippoCase,
      b,
      { query: { token: TOKEN }, headers },
      { SHIPPO_HMAC_SECRET: `${SECRET},new-secret` },
    );
    expect(a.eventStatus).toBe("accepted");
  });

  it("with both set, refuses a request that passes only one of them", async () => {
    const b = shippoCase.body("only-one");
    const both = await signed(b);
    expect((await postTo(shippoCase, b, { headers: both.headers }, {}, true)).status).toBe(401);
    expect((await postTo(shippoCase, b, { query: both.query, headers: {} }, {}, true)).status).toBe(401);
    expect((await postTo(shippoCase, b, { query: { token: "wrong" }, headers: both.headers }, {}, true)).status).toBe(
      401,
    );
  });

  it("with the token only, needs no signature; with the HMAC only, needs no token", async () => {
    const b1 = shippoCase.body("token-only");
    expect(
      (await postTo(shippoCase, b1, { query: { token: TOKEN }, headers: {} }, { SHIPPO_HMAC_SECRET: "" })).eventStatus,
    ).toBe("accepted");
    const b2 = shippoCase.body("hmac-only");
    const { headers } = await signed(b2);
    expect((await postTo(shippoCase, b2, { headers }, { SHIPPO_WEBHOOK_TOKEN: "" })).eventStatus).toBe("accepted");
  });

  it("never stores the URL's token", async () => {
    const b = shippoCase.body("stored-url");
    const a = await postTo(shippoCase, b, await signed(b));
    expect(a.eventStatus).toBe("accepted");
    const rows = await env.DB.prepare("SELECT request_url FROM events WHERE carrier = 'shippo'").all<{
      request_url: string;
    }>();
    expect(rows.results.length).toBeGreaterThan(0);
    for (const r of rows.results) expect(r.request_url).not.toContain(TOKEN);
  });
});
