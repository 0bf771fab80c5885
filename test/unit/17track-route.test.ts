// /webhooks/17track through the Worker with its real D1: the contract's answers, and the near misses
// of the sign rule (the fixtures' conformance run covers accepted, duplicate, a missing or corrupted
// sign, and forwarding).
import { describe, expect, it } from "vitest";
import vector from "../fixtures/carriers/17track/vector-delivered.json";
import { itAnswersTheContract, postTo, type RouteCase, storedCounts } from "../helpers/route-answers";

const KEY = "17track_test_security_key";
const enc = new TextEncoder();
const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
const sha256Hex = async (text: string) => hex(await crypto.subtle.digest("SHA-256", enc.encode(text)));

const track17Case: RouteCase = {
  carrier: "17track",
  settings: { TRACK17_SECURITY_KEY: KEY },
  unset: { TRACK17_SECURITY_KEY: "" },
  sign: async (body) => ({ headers: { sign: await sha256Hex(`${body}/${KEY}`) } }),
  body: (id) => vector.request.body.replace("RR123456789CN", `RR${id}CN`),
  invalid: { body: '{"event":"TRACKING_UPDATED","data":{"number":"","carrier":3011}}', path: "data.number" },
};

describe("/webhooks/17track", () => {
  itAnswersTheContract(track17Case);

  it("refuses the vector's near misses with 401, storing nothing (carriers-next.md 6.3)", async () => {
    const before = await storedCounts("17track");
    const body = vector.request.body;
    const sign = vector.request.headers.sign;
    const flipped = (sign[0] === "b" ? "c" : "b") + sign.slice(1);
    const refused = [
      // HMAC-SHA256(key, body): the reading two other third parties use
      "78710f0b9ebe078b42a6560683a60bfd4a5be51b3553c8e377ff1a4c37f127c4",
      sign.toUpperCase(),
      flipped,
      await sha256Hex(`${body}/${KEY}x`),
      await sha256Hex(`${KEY}/${body}`),
      await sha256Hex(body),
    ];
    for (const s of refused) {
      const a = await postTo(track17Case, body, { headers: { sign: s } }, {}, true);
      expect([s, a.status, a.code]).toEqual([s, 401, "unauthorized"]);
    }
    const changed = body.replace("WARSZAWA", "WARSZAWB");
    expect((await postTo(track17Case, changed, { headers: { sign } }, {}, true)).status).toBe(401);
    expect(await storedCounts("17track")).toEqual(before);
  });

  it("accepts with any key of a rotation list", async () => {
    const b = track17Case.body("ROTATION");
    const a = await postTo(track17Case, b, await track17Case.sign(b), { TRACK17_SECURITY_KEY: `old-key,${KEY}` });
    expect(a.eventStatus).toBe("accepted");
  });
});
