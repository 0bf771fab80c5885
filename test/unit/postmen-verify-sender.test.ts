import { describe, expect, it } from "vitest";
import type { SenderContext } from "../../src/carriers/carrier";
import { verifyPostmenSender } from "../../src/carriers/postmen/verify-postmen-sender";
import { verifyHmacSha256 } from "../../src/security/verify-hmac-sha256";
import { signPostmen } from "../fixtures/postmen";

const RAW = '{"event":"calculate_rates"}';
// Computed outside this code: printf '%s' "$RAW" | openssl dgst -sha256 -hmac test-postmen-hmac -binary | base64
const OPENSSL_SIGNATURE = "7hW6nIwoyg9MqFyH4YwyQfTGQLrgh1emAqYQ4JQY5ZQ=";

function ctx(query: string, signature?: string, raw = RAW): SenderContext {
  const headers = new Headers(signature === undefined ? {} : { "am-webhook-signature": signature });
  return {
    url: new URL(`https://parcelhook.test/webhooks/postmen${query}`),
    headers,
    rawBody: new TextEncoder().encode(raw),
    clientIp: null,
  };
}

function envWith(vars: { POSTMEN_WEBHOOK_SECRET?: string; POSTMEN_HMAC_SECRET?: string }): Env {
  return vars as unknown as Env;
}

describe("verifyHmacSha256", () => {
  const body = new TextEncoder().encode(RAW);

  it("matches an HMAC made by openssl (the same algorithm as Postmen's Node example)", async () => {
    expect(await verifyHmacSha256(body, OPENSSL_SIGNATURE, ["test-postmen-hmac"])).toBe(true);
    expect(await verifyHmacSha256(body, OPENSSL_SIGNATURE.replace(/=+$/, ""), ["test-postmen-hmac"])).toBe(true);
  });

  it("accepts any secret of a rotation list, and refuses when none fits", async () => {
    expect(await verifyHmacSha256(body, OPENSSL_SIGNATURE, ["old", "test-postmen-hmac"])).toBe(true);
    expect(await verifyHmacSha256(body, OPENSSL_SIGNATURE, ["test-postmen-hmac", "new"])).toBe(true);
    expect(await verifyHmacSha256(body, OPENSSL_SIGNATURE, ["old", "new"])).toBe(false);
  });

  it("refuses other bytes, a truncated or garbled signature, and no signature", async () => {
    const other = new TextEncoder().encode('{"event": "calculate_rates"}');
    expect(await verifyHmacSha256(other, OPENSSL_SIGNATURE, ["test-postmen-hmac"])).toBe(false);
    expect(await verifyHmacSha256(body, OPENSSL_SIGNATURE.slice(0, 20), ["test-postmen-hmac"])).toBe(false);
    expect(await verifyHmacSha256(body, `${OPENSSL_SIGNATURE}%`, ["test-postmen-hmac"])).toBe(false);
    expect(await verifyHmacSha256(body, null, ["test-postmen-hmac"])).toBe(false);
    expect(await verifyHmacSha256(body, "", ["test-postmen-hmac"])).toBe(false);
  });
});

describe("verifyPostmenSender", () => {
  const both = envWith({ POSTMEN_WEBHOOK_SECRET: "url-old,url-new", POSTMEN_HMAC_SECRET: "test-postmen-hmac" });

  it("with POSTMEN_HMAC_SECRET unset, the URL secret alone suffices (any of the list)", async () => {
    const env = envWith({ POSTMEN_WEBHOOK_SECRET: "url-old,url-new" });
    expect(await verifyPostmenSender(ctx("?secret=url-old"), env)).toBe("ok");
    expect(await verifyPostmenSender(ctx("?secret=url-new"), env)).toBe("ok");
    expect(await verifyPostmenSender(ctx("?secret=url-older"), env)).toBe("unauthorized");
    expect(await verifyPostmenSender(ctx(""), env)).toBe("unauthorized");
  });

  it("with both set, needs both: URL secret and signature", async () => {
    expect(await verifyPostmenSender(ctx("?secret=url-new", OPENSSL_SIGNATURE), both)).toBe("ok");
    expect(await verifyPostmenSender(ctx("?secret=url-new", `hmac-sha256=${OPENSSL_SIGNATURE}`), both)).toBe("ok");
    expect(await verifyPostmenSender(ctx("?secret=url-new"), both)).toBe("unauthorized");
    expect(await verifyPostmenSender(ctx("?secret=wrong", OPENSSL_SIGNATURE), both)).toBe("unauthorized");
    expect(await verifyPostmenSender(ctx("", OPENSSL_SIGNATURE), both)).toBe("unauthorized");
  });

  it("rotates the HMAC secret like the others: old and new both pass while listed", async () => {
    const env = envWith({ POSTMEN_WEBHOOK_SECRET: "url", POSTMEN_HMAC_SECRET: "hmac-old, hmac-new" });
    expect(await verifyPostmenSender(ctx("?secret=url", await signPostmen(RAW, "hmac-old")), env)).toBe("ok");
    expect(await verifyPostmenSender(ctx("?secret=url", await signPostmen(RAW, "hmac-new")), env)).toBe("ok");
    expect(await verifyPostmenSender(ctx("?secret=url", await signPostmen(RAW, "hmac")), env)).toBe("unauthorized");
  });

  it("is not configured without POSTMEN_WEBHOOK_SECRET, even when the HMAC secret is set and fits", async () => {
    const env = envWith({ POSTMEN_HMAC_SECRET: "test-postmen-hmac" });
    expect(await verifyPostmenSender(ctx("?secret=anything", OPENSSL_SIGNATURE), env)).toBe("not_configured");
    expect(await verifyPostmenSender(ctx(""), envWith({ POSTMEN_WEBHOOK_SECRET: " , " }))).toBe("not_configured");
    expect(await verifyPostmenSender(ctx(""), envWith({}))).toBe("not_configured");
  });
});
