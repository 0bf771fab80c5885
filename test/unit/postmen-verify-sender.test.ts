import { describe, expect, it } from "vitest";
import type { SenderContext } from "../../src/carriers/kit";
import { postmen } from "../../src/carriers/postmen";
import { verifyPostmenSender } from "../../src/carriers/postmen/verify-postmen-sender";
import { parseConfig } from "../../src/config";
import { verifyHmacSha256 } from "../../src/security/verify-hmac-sha256";
import { signPostmen } from "../fixtures/postmen";

const RAW = '{"event":"calculate_rates"}';
// Computed outside this code: printf '%s' "$RAW" | openssl dgst -sha256 -hmac test-postmen-hmac -binary | base64
const OPENSSL_SIGNATURE = "7hW6nIwoyg9MqFyH4YwyQfTGQLrgh1emAqYQ4JQY5ZQ=";

function ctx(query: string, signature?: string, raw = RAW): SenderContext & { rawBody: Uint8Array } {
  const headers = new Headers(signature === undefined ? {} : { "am-webhook-signature": signature });
  return {
    url: new URL(`https://parcelhook.test/webhooks/postmen${query}`),
    headers,
    rawBody: new TextEncoder().encode(raw),
    clientIp: null,
  };
}

/** Both of Postmen's checks in the receiver's order: the URL secret, then (only if it passed) the signature. */
async function verifyPostmen(c: ReturnType<typeof ctx>, env: Settings): Promise<string> {
  const verdict = await postmen.verifySender(c, env);
  if (verdict !== "ok" || !postmen.verifyBody) return verdict;
  return postmen.verifyBody(c, c.rawBody, env);
}

type Settings = ReturnType<typeof parseConfig>["carriers"]["postmen"];

/** Postmen's settings as the receiver parses them from these vars. */
function envWith(vars: { POSTMEN_WEBHOOK_SECRET?: string; POSTMEN_HMAC_SECRET?: string }): Settings {
  return parseConfig(vars).carriers.postmen;
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

describe("Postmen's sender checks", () => {
  const both = envWith({ POSTMEN_WEBHOOK_SECRET: "url-old,url-new", POSTMEN_HMAC_SECRET: "test-postmen-hmac" });

  it("with POSTMEN_HMAC_SECRET unset, the URL secret alone suffices (any of the list)", async () => {
    const env = envWith({ POSTMEN_WEBHOOK_SECRET: "url-old,url-new" });
    expect(await verifyPostmen(ctx("?secret=url-old"), env)).toBe("ok");
    expect(await verifyPostmen(ctx("?secret=url-new"), env)).toBe("ok");
    expect(await verifyPostmen(ctx("?secret=url-older"), env)).toBe("unauthorized");
    expect(await verifyPostmen(ctx(""), env)).toBe("unauthorized");
  });

  it("with both set, needs both: URL secret and signature", async () => {
    expect(await verifyPostmen(ctx("?secret=url-new", OPENSSL_SIGNATURE), both)).toBe("ok");
    expect(await verifyPostmen(ctx("?secret=url-new", `hmac-sha256=${OPENSSL_SIGNATURE}`), both)).toBe("ok");
    expect(await verifyPostmen(ctx("?secret=url-new"), both)).toBe("unauthorized");
    expect(await verifyPostmen(ctx("?secret=wrong", OPENSSL_SIGNATURE), both)).toBe("unauthorized");
    expect(await verifyPostmen(ctx("", OPENSSL_SIGNATURE), both)).toBe("unauthorized");
  });

  it("rotates the HMAC secret like the others: old and new both pass while listed", async () => {
    const env = envWith({ POSTMEN_WEBHOOK_SECRET: "url", POSTMEN_HMAC_SECRET: "hmac-old, hmac-new" });
    expect(await verifyPostmen(ctx("?secret=url", await signPostmen(RAW, "hmac-old")), env)).toBe("ok");
    expect(await verifyPostmen(ctx("?secret=url", await signPostmen(RAW, "hmac-new")), env)).toBe("ok");
    expect(await verifyPostmen(ctx("?secret=url", await signPostmen(RAW, "hmac")), env)).toBe("unauthorized");
  });

  it("checks the URL secret without the body, so a request without it is refused before the body is read", async () => {
    const env = envWith({ POSTMEN_WEBHOOK_SECRET: "url", POSTMEN_HMAC_SECRET: "test-postmen-hmac" });
    const noBody = {
      url: new URL("https://parcelhook.test/webhooks/postmen?secret=nope"),
      headers: new Headers(),
      clientIp: null,
    };
    expect(await verifyPostmenSender(noBody, env)).toBe("unauthorized");
    expect(
      await verifyPostmenSender(
        { ...noBody, url: new URL("https://parcelhook.test/webhooks/postmen?secret=url") },
        env,
      ),
    ).toBe("ok");
  });

  it("is not configured without POSTMEN_WEBHOOK_SECRET, even when the HMAC secret is set and fits", async () => {
    const env = envWith({ POSTMEN_HMAC_SECRET: "test-postmen-hmac" });
    expect(await verifyPostmen(ctx("?secret=anything", OPENSSL_SIGNATURE), env)).toBe("not_configured");
    expect(await verifyPostmen(ctx(""), envWith({ POSTMEN_WEBHOOK_SECRET: " , " }))).toBe("not_configured");
    expect(await verifyPostmen(ctx(""), envWith({}))).toBe("not_configured");
  });
});
