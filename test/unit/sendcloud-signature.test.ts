import { describe, expect, it } from "vitest";
import type { SenderContext } from "../../src/carriers/kit";
import { sendcloud } from "../../src/carriers/sendcloud";
import { verifySendcloudSender } from "../../src/carriers/sendcloud/verify-sendcloud-sender";
import { verifySendcloudSignature } from "../../src/carriers/sendcloud/verify-sendcloud-signature";
import { verifyHmacSha256Hex } from "../../src/security/verify-hmac-sha256-hex";

// carriers-more.md 6.2, Sendcloud's documented example, byte for byte (one space after the colon).
const VECTOR_BODY = '{"key": "value"}';
const VECTOR_KEY = "secretkey";
const VECTOR_SIGNATURE = "1eed4b3d41f4653ac64fd56f1bf1cbfd349e4482cbc11dff7134bd93e5da4b0a";
// The same digest in base64: the right HMAC in the wrong encoding.
const VECTOR_BASE64 = "Hu1LPUH0ZTrGT9VvG/HL/TSeRILLwR3/cTS9k+XaSwo=";

const bytes = (s: string) => new TextEncoder().encode(s);
const settings = (...secrets: string[]) => ({ SENDCLOUD_WEBHOOK_SECRET: secrets });

function ctx(signature?: string): SenderContext {
  return {
    url: new URL("https://parcelhook.test/webhooks/sendcloud"),
    headers: new Headers(signature === undefined ? {} : { "Sendcloud-Signature": signature }),
    clientIp: null,
  };
}

async function verdict(signature: string | undefined, body: string, ...secrets: string[]) {
  const s = settings(...secrets);
  const sender = await verifySendcloudSender(ctx(signature), s);
  return sender === "ok" ? verifySendcloudSignature(ctx(signature), bytes(body), s) : sender;
}

describe("Sendcloud's signature vector (carriers-more.md 6.2)", () => {
  it("passes exactly as given, through the hex helper and through the carrier's checks", async () => {
    expect(VECTOR_BODY).toHaveLength(16);
    expect(await verifyHmacSha256Hex(bytes(VECTOR_BODY), VECTOR_SIGNATURE, [VECTOR_KEY])).toBe(true);
    expect(await verdict(VECTOR_SIGNATURE, VECTOR_BODY, VECTOR_KEY)).toBe("ok");
    expect(sendcloud.verifyBody).toBe(verifySendcloudSignature);
    expect(sendcloud.verifySender).toBe(verifySendcloudSender);
  });

  it("fails for the re-serialized body, another key, or a changed digit", async () => {
    expect(await verdict(VECTOR_SIGNATURE, '{"key":"value"}', VECTOR_KEY)).toBe("unauthorized");
    expect(await verdict(VECTOR_SIGNATURE, `${VECTOR_BODY}\n`, VECTOR_KEY)).toBe("unauthorized");
    expect(await verdict(VECTOR_SIGNATURE, VECTOR_BODY, "secretkey ")).toBe("unauthorized");
    expect(await verdict(VECTOR_SIGNATURE, VECTOR_BODY, "SECRETKEY")).toBe("unauthorized");
    const flipped = `${VECTOR_SIGNATURE.slice(0, 63)}b`;
    expect(await verdict(flipped, VECTOR_BODY, VECTOR_KEY)).toBe("unauthorized");
  });

  it("any value of a rotation list passes; a list without the key does not", async () => {
    expect(await verdict(VECTOR_SIGNATURE, VECTOR_BODY, "old", VECTOR_KEY)).toBe("ok");
    expect(await verdict(VECTOR_SIGNATURE, VECTOR_BODY, VECTOR_KEY, "new")).toBe("ok");
    expect(await verdict(VECTOR_SIGNATURE, VECTOR_BODY, "old", "new")).toBe("unauthorized");
  });
});

describe("verifySendcloudSender (before the body is read)", () => {
  it("is not configured while no secret is set, whatever the request carries", async () => {
    expect(await verifySendcloudSender(ctx(VECTOR_SIGNATURE), settings())).toBe("not_configured");
    expect(await verifySendcloudSender(ctx(), settings())).toBe("not_configured");
  });

  it("refuses a missing or malformed header without the body: empty, short, long, uppercase, base64, prefixed", async () => {
    const s = settings(VECTOR_KEY);
    for (const bad of [
      undefined,
      "",
      VECTOR_SIGNATURE.slice(0, 62),
      `${VECTOR_SIGNATURE}00`,
      VECTOR_SIGNATURE.toUpperCase(),
      VECTOR_BASE64,
      `sha256=${VECTOR_SIGNATURE}`,
      `${VECTOR_SIGNATURE.slice(0, 63)}g`,
      `${VECTOR_SIGNATURE},${VECTOR_SIGNATURE}`,
    ]) {
      expect(await verifySendcloudSender(ctx(bad), s), String(bad)).toBe("unauthorized");
    }
    expect(await verifySendcloudSender(ctx(VECTOR_SIGNATURE), s)).toBe("ok");
  });

  it("the body check alone also refuses the wrong encodings (it never trusts the sender check ran)", async () => {
    for (const bad of [VECTOR_SIGNATURE.toUpperCase(), VECTOR_BASE64, ""]) {
      expect(await verifySendcloudSignature(ctx(bad), bytes(VECTOR_BODY), settings(VECTOR_KEY)), bad).toBe(
        "unauthorized",
      );
    }
    expect(await verifySendcloudSignature(ctx(), bytes(VECTOR_BODY), settings(VECTOR_KEY))).toBe("unauthorized");
    expect(await verifySendcloudSignature(ctx(VECTOR_SIGNATURE), bytes(VECTOR_BODY), settings())).toBe(
      "not_configured",
    );
  });
});
