import { describe, expect, it } from "vitest";
import type { SenderContext } from "../../src/carriers/kit";
import { verifyPeddlerSender } from "../../src/carriers/peddler/verify-peddler-sender";
import { parseConfig } from "../../src/config";
import { checkSharedSecret } from "../../src/security/check-shared-secret";

function ctx(token?: string): SenderContext {
  return {
    url: new URL("https://parcelhook.test/webhooks/peddler"),
    headers: new Headers(token === undefined ? {} : { "x-webhook-shared-token": token }),
    clientIp: null,
  };
}

/** Peddler's settings as the receiver parses them from this var. */
const envWith = (token?: string) => parseConfig({ PEDDLER_WEBHOOK_TOKEN: token }).carriers.peddler;

describe("verifyPeddlerSender", () => {
  it("during a rotation accepts the old and the new token, and nothing else", async () => {
    const env = envWith("peddler-old, peddler-new");
    expect(await verifyPeddlerSender(ctx("peddler-old"), env)).toBe("ok");
    expect(await verifyPeddlerSender(ctx("peddler-new"), env)).toBe("ok");
    expect(await verifyPeddlerSender(ctx("peddler-old, peddler-new"), env)).toBe("unauthorized");
    expect(await verifyPeddlerSender(ctx("peddler"), env)).toBe("unauthorized");
    expect(await verifyPeddlerSender(ctx(""), env)).toBe("unauthorized");
    expect(await verifyPeddlerSender(ctx(), env)).toBe("unauthorized");
  });

  it("after the rotation the old token no longer passes", async () => {
    expect(await verifyPeddlerSender(ctx("peddler-old"), envWith("peddler-new"))).toBe("unauthorized");
  });

  it("is not configured when the token is unset or blank", async () => {
    expect(await verifyPeddlerSender(ctx("anything"), envWith())).toBe("not_configured");
    expect(await verifyPeddlerSender(ctx(""), envWith(""))).toBe("not_configured");
    expect(await verifyPeddlerSender(ctx(","), envWith(" , "))).toBe("not_configured");
  });
});

describe("checkSharedSecret", () => {
  it("matches whole values only: no prefix, suffix or case-folded match", async () => {
    expect(await checkSharedSecret("secret", ["secret"])).toBe("ok");
    expect(await checkSharedSecret("secre", ["secret"])).toBe("unauthorized");
    expect(await checkSharedSecret("secrets", ["secret"])).toBe("unauthorized");
    expect(await checkSharedSecret("SECRET", ["secret"])).toBe("unauthorized");
    expect(await checkSharedSecret(null, ["secret"])).toBe("unauthorized");
  });
});
