import { describe, expect, it } from "vitest";
import { easypostSignature, verifyEasypostSignature } from "../../src/carriers/easypost/easypost-signature";
import { verifyEasypostBody, verifyEasypostSender } from "../../src/carriers/easypost/verify-easypost-sender";
import type { SenderContext } from "../../src/carriers/kit";
import batchCreated from "../fixtures/carriers/easypost/batch-created.json";
import trackerUpdated from "../fixtures/carriers/easypost/tracker-updated.json";

const encoder = new TextEncoder();
// carriers-more.md 6.4: EasyPost/examples official/fixtures/event-body.json without its trailing newline.
const BODY = encoder.encode(trackerUpdated.request.body);
const SIGNATURE = "hmac-sha256-hex=38f3f53c103713df81616a0a186d77141957323ec21d5fe9363db93840f527db";
// `sécret`, written both ways: precomposed é (U+00E9) and e + combining acute (U+0301).
const PRECOMPOSED = "s\u00e9cret";
const DECOMPOSED = "se\u0301cret";
// The signature under the NFC key bytes 73 c3 a9 63 72 65 74: what a receiver that skips NFKD computes.
const NFC_SIGNATURE = "hmac-sha256-hex=7f1669d6699d0b937cc1e69402423bdd2be0a8bcf571d34a8116765f1741219b";
// EasyPost's client-library tests' near miss (the ending changed).
const NEAR_MISS = "hmac-sha256-hex=e93977c8ccb20363d51a62b3fe1fc402b7829be1152da9e88cf9e8d07115aaaa";
// Valid, but for the 2022 batch.created body, not this one.
const OTHER_BODYS = "hmac-sha256-hex=e93977c8ccb20363d51a62b3fe1fc402b7829be1152da9e88cf9e8d07115a46b";

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

describe("EasyPost's vector (carriers-more.md 6.4)", () => {
  it("the fixture's body is the vendor's, byte for byte", async () => {
    expect(BODY.length).toBe(3550);
    expect(await sha256Hex(BODY)).toBe("c312298bbffb5cf2fc1dd9d310b59e687179d65deca3a630671a0a83dbb531b1");
    expect(trackerUpdated.request.headers["x-hmac-signature"]).toBe(SIGNATURE);
    expect(trackerUpdated.settings.EASYPOST_WEBHOOK_SECRET).toBe(PRECOMPOSED);
  });

  it("the NFKD key of `sécret` is 73 65 cc 81 63 72 65 74", () => {
    expect(Array.from(encoder.encode(PRECOMPOSED.normalize("NFKD")))).toEqual([
      0x73, 0x65, 0xcc, 0x81, 0x63, 0x72, 0x65, 0x74,
    ]);
  });

  it("signs to the vendor's value with the secret written either way", async () => {
    expect(await easypostSignature(BODY, PRECOMPOSED)).toBe(SIGNATURE);
    expect(await easypostSignature(BODY, DECOMPOSED)).toBe(SIGNATURE);
    expect(await verifyEasypostSignature(SIGNATURE, BODY, [PRECOMPOSED])).toBe(true);
    expect(await verifyEasypostSignature(SIGNATURE, BODY, [DECOMPOSED])).toBe(true);
  });

  it("refuses the NFC-keyed value and the near misses", async () => {
    for (const header of [NFC_SIGNATURE, NEAR_MISS, OTHER_BODYS]) {
      expect(await verifyEasypostSignature(header, BODY, [PRECOMPOSED])).toBe(false);
    }
  });

  it("the 2022 batch.created fixture verifies with EasyPost's libraries' value", async () => {
    const batch = encoder.encode(batchCreated.request.body);
    expect(batch.length).toBe(539);
    expect(await verifyEasypostSignature(OTHER_BODYS, batch, [PRECOMPOSED])).toBe(true);
    expect(await verifyEasypostSignature(SIGNATURE, batch, [PRECOMPOSED])).toBe(false);
  });

  it("checks the raw bytes: the file with its trailing newline, or one changed byte, fails", async () => {
    const withNewline = encoder.encode(`${trackerUpdated.request.body}\n`);
    expect(await verifyEasypostSignature(SIGNATURE, withNewline, [PRECOMPOSED])).toBe(false);
    const changed = BODY.slice();
    changed[100] = (changed[100] as number) ^ 1;
    expect(await verifyEasypostSignature(SIGNATURE, changed, [PRECOMPOSED])).toBe(false);
    const reformatted = encoder.encode(JSON.stringify(JSON.parse(trackerUpdated.request.body), null, 2));
    expect(await verifyEasypostSignature(SIGNATURE, reformatted, [PRECOMPOSED])).toBe(false);
  });

  it("compares the whole header value: no other prefix, case, encoding, padding or extra text", async () => {
    const hex = SIGNATURE.slice("hmac-sha256-hex=".length);
    const base64 = btoa(String.fromCharCode(...(hex.match(/../g) ?? []).map((h) => Number.parseInt(h, 16))));
    for (const header of [
      hex,
      `hmac-sha256=${hex}`,
      `HMAC-SHA256-HEX=${hex}`,
      `hmac-sha256-hex=${hex.toUpperCase()}`,
      `hmac-sha256-hex=${base64}`,
      `${SIGNATURE}0`,
      `${SIGNATURE},${SIGNATURE}`,
      SIGNATURE.slice(0, -1),
      "hmac-sha256-hex=",
      "",
    ]) {
      expect(await verifyEasypostSignature(header, BODY, [PRECOMPOSED]), header).toBe(false);
    }
    expect(await verifyEasypostSignature(null, BODY, [PRECOMPOSED])).toBe(false);
  });

  it("during a rotation any listed secret passes; a secret not listed does not", async () => {
    expect(await verifyEasypostSignature(SIGNATURE, BODY, ["old-secret", PRECOMPOSED])).toBe(true);
    expect(await verifyEasypostSignature(SIGNATURE, BODY, [PRECOMPOSED, "new-secret"])).toBe(true);
    expect(await verifyEasypostSignature(SIGNATURE, BODY, ["old-secret", "new-secret"])).toBe(false);
    expect(await verifyEasypostSignature(SIGNATURE, BODY, [])).toBe(false);
  });
});

function ctx(signature?: string): SenderContext {
  return {
    url: new URL("https://parcelhook.test/webhooks/easypost"),
    headers: new Headers(signature === undefined ? {} : { "X-Hmac-Signature": signature }),
    clientIp: null,
  };
}

const settings = (...secrets: string[]) => ({ EASYPOST_WEBHOOK_SECRET: secrets });

describe("verifyEasypostSender (before the body is read)", () => {
  it("is not configured without a secret, whatever the request carries", async () => {
    expect(await verifyEasypostSender(ctx(SIGNATURE), settings())).toBe("not_configured");
    expect(await verifyEasypostBody(ctx(SIGNATURE), BODY, settings())).toBe("not_configured");
  });

  it("refuses a missing or malformed header without the body; lets a well-formed one through", async () => {
    expect(await verifyEasypostSender(ctx(), settings(PRECOMPOSED))).toBe("unauthorized");
    expect(await verifyEasypostSender(ctx(""), settings(PRECOMPOSED))).toBe("unauthorized");
    expect(await verifyEasypostSender(ctx(SIGNATURE.toUpperCase()), settings(PRECOMPOSED))).toBe("unauthorized");
    expect(await verifyEasypostSender(ctx(SIGNATURE.slice(16)), settings(PRECOMPOSED))).toBe("unauthorized");
    // The shape says nothing about the key: a forged, well-formed value passes this step only.
    expect(await verifyEasypostSender(ctx(NEAR_MISS), settings(PRECOMPOSED))).toBe("ok");
    expect(await verifyEasypostSender(ctx(SIGNATURE), settings(PRECOMPOSED))).toBe("ok");
  });
});

describe("verifyEasypostBody", () => {
  it("accepts the vendor's vector and refuses the negatives with 401", async () => {
    expect(await verifyEasypostBody(ctx(SIGNATURE), BODY, settings(PRECOMPOSED))).toBe("ok");
    expect(await verifyEasypostBody(ctx(SIGNATURE), BODY, settings(DECOMPOSED))).toBe("ok");
    for (const header of [NFC_SIGNATURE, NEAR_MISS, undefined]) {
      expect(await verifyEasypostBody(ctx(header), BODY, settings(PRECOMPOSED))).toBe("unauthorized");
    }
    expect(await verifyEasypostBody(ctx(SIGNATURE), BODY, settings("sécret-2"))).toBe("unauthorized");
  });
});
