// /webhooks/fedex through the Worker with its real D1: the contract's answers, and the wrong
// spellings of a right-looking fdx-signature (the fixtures' conformance run covers accepted,
// duplicate, a missing or corrupted signature, and forwarding).
import { describe, expect, it } from "vitest";
import vector from "../fixtures/carriers/fedex/vector-delivered.json";
import short from "../fixtures/carriers/fedex/vectors/short-vector-6-5.json";
import { itAnswersTheContract, postTo, type RouteCase, storedCounts } from "../helpers/route-answers";

const TOKEN = "fedex_test_security_token";
const enc = new TextEncoder();

async function hmacBase64(body: string, key = TOKEN): Promise<string> {
  const k = await crypto.subtle.importKey("raw", enc.encode(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.sign("HMAC", k, enc.encode(body)))));
}

const fedexCase: RouteCase = {
  carrier: "fedex",
  settings: { FEDEX_SECURITY_TOKEN: TOKEN },
  unset: { FEDEX_SECURITY_TOKEN: "" },
  sign: async (body) => ({ headers: { "fdx-signature": await hmacBase64(body) } }),
  body: (id) => vector.request.body.replaceAll("794843185271", `7948${id.length}${id.replace(/\W/g, "")}`),
  invalid: { body: '{"output":{"completeTrackResults":[]}}', path: "output.completeTrackResults" },
};

describe("/webhooks/fedex", () => {
  itAnswersTheContract(fedexCase);

  it("refuses the vector's near misses with 401, storing nothing (carriers-next.md 6.4)", async () => {
    const before = await storedCounts("fedex");
    const body = vector.request.body;
    const sig = vector.request.headers["fdx-signature"];
    const flipped = String.fromCharCode(sig.charCodeAt(0) ^ 1) + sig.slice(1);
    const refused = [
      // plain SHA-256(token + body), the prose's reading, in base64
      "+DTqjdJyjOefeVVAcV6Q8GFpBj4casWB4EJ54ZehmxU=",
      // the right HMAC in hex
      "c67907623a303101385ecee62b94c3479be957a37172dca99e026daf9932faa6",
      flipped,
      await hmacBase64(body, `${TOKEN}x`),
      await hmacBase64(JSON.stringify(JSON.parse(body), null, 2)),
    ];
    for (const s of refused) {
      const a = await postTo(fedexCase, body, { headers: { "fdx-signature": s } }, {}, true);
      expect([s, a.status, a.code]).toEqual([s, 401, "unauthorized"]);
    }
    // One bit of the body flipped, the signature unchanged.
    const changed = body.replace('"DL"', '"DM"');
    expect((await postTo(fedexCase, changed, { headers: { "fdx-signature": sig } }, {}, true)).status).toBe(401);
    expect(await storedCounts("fedex")).toEqual(before);
  });

  it("accepts with any token of a rotation list", async () => {
    const b = fedexCase.body("rotation");
    const a = await postTo(fedexCase, b, await fedexCase.sign(b), { FEDEX_SECURITY_TOKEN: `old-token,${TOKEN}` });
    expect(a.eventStatus).toBe("accepted");
  });

  it("the short vector (6.5) is authentic but not FedEx's envelope: 422, quarantined", async () => {
    const before = await storedCounts("fedex");
    const a = await postTo(fedexCase, short.request.body, short.request, short.settings);
    expect([a.status, a.code]).toEqual([422, "invalid_payload"]);
    expect(a.issues?.[0]?.path).toBe("output");
    expect(await storedCounts("fedex")).toEqual({ events: before.events, quarantined: before.quarantined + 1 });
  });
});
