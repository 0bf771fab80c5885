import { describe, expect, it } from "vitest";
import { verifyAftershipSender } from "../../src/carriers/aftership/verify-aftership-sender";
import { verifyAftershipSignature } from "../../src/carriers/aftership/verify-aftership-signature";
import { AFTERSHIP_FIXTURES, AFTERSHIP_VECTOR } from "./aftership-fixtures";

// carriers-more.md 6.1, exactly as given.
const SECRET = "aftership_test_secret";
const BODY = AFTERSHIP_VECTOR.request.body;
const BASE64 = "1EV3FSxwpwVxfaUS+wUNTLeOvw/k1NsIRLzYVyTV5l4=";
const HEX = "d44577152c70a705717da512fb050d4cb78ebf0fe4d4db0844bcd85724d5e65e";

const encoder = new TextEncoder();
const ctx = (headers: Record<string, string>) => ({
  url: new URL("https://parcelhook.test/webhooks/aftership"),
  headers: new Headers(headers),
  clientIp: null,
});
const verify = (headers: Record<string, string>, body = BODY, secrets = [SECRET]) =>
  verifyAftershipSignature(ctx(headers), encoder.encode(body), secrets);

describe("the 6.1 vector", () => {
  it("is the body, signature and secret of carriers-more.md, byte for byte", () => {
    expect(encoder.encode(BODY).length).toBe(264);
    expect(AFTERSHIP_VECTOR.request.headers["aftership-hmac-sha256"]).toBe(BASE64);
    expect(AFTERSHIP_VECTOR.settings.AFTERSHIP_WEBHOOK_SECRET).toBe(SECRET);
  });

  it("passes with the base64 signature", async () => {
    expect(await verify({ "aftership-hmac-sha256": BASE64 })).toBe("ok");
  });

  it("passes under the header name as older docs print it", async () => {
    expect(await verify({ "Aftership-Hmac-Sha256": BASE64 })).toBe("ok");
  });

  it("passes when the right secret is any of a rotation list", async () => {
    expect(await verify({ "aftership-hmac-sha256": BASE64 }, BODY, ["old-secret", SECRET])).toBe("ok");
  });

  it("refuses the same digest in hex, before the body is read and after", async () => {
    const headers = { "aftership-hmac-sha256": HEX };
    expect(await verifyAftershipSender(ctx(headers), [SECRET])).toBe("unauthorized");
    expect(await verify(headers)).toBe("unauthorized");
  });

  it.each([
    ["base64url", BASE64.replaceAll("+", "-").replaceAll("/", "_")],
    ["without padding", BASE64.slice(0, -1)],
    ["with a prefix", `sha256=${BASE64}`],
    ["twice", `${BASE64}, ${BASE64}`],
    ["empty", ""],
  ])("refuses the signature %s", async (_, signature) => {
    const headers = { "aftership-hmac-sha256": signature };
    expect(await verifyAftershipSender(ctx(headers), [SECRET])).toBe("unauthorized");
    expect(await verify(headers)).toBe("unauthorized");
  });

  it("refuses a wrong key, a changed body and a re-serialized body", async () => {
    const headers = { "aftership-hmac-sha256": BASE64 };
    expect(await verify(headers, BODY, ["aftership_test_secreT"])).toBe("unauthorized");
    expect(await verify(headers, BODY.replace("Delivered_001", "Delivered_002"))).toBe("unauthorized");
    expect(await verify(headers, `${BODY}\n`)).toBe("unauthorized");
    expect(await verify(headers, JSON.stringify(JSON.parse(BODY), null, 2))).toBe("unauthorized");
  });

  it("refuses a signature of another body in the right shape", async () => {
    expect(await verify({ "aftership-hmac-sha256": `${"A".repeat(43)}=` })).toBe("unauthorized");
  });
});

describe("verifyAftershipSender (no body read)", () => {
  it("is not configured without a secret, whatever the request carries", async () => {
    expect(await verifyAftershipSender(ctx({ "aftership-hmac-sha256": BASE64 }), [])).toBe("not_configured");
    expect(await verifyAftershipSender(ctx({}), [])).toBe("not_configured");
  });

  it("refuses a missing signature and lets a well-formed one through to the body check", async () => {
    expect(await verifyAftershipSender(ctx({}), [SECRET])).toBe("unauthorized");
    expect(await verifyAftershipSender(ctx({ "aftership-hmac-sha256": BASE64 }), [SECRET])).toBe("ok");
  });
});

describe("every fixture", () => {
  it.each(Object.entries(AFTERSHIP_FIXTURES))("%s is signed with its settings' secret", async (_, fx) => {
    const { body, headers } = fx.request;
    expect(await verify(headers, body, [fx.settings.AFTERSHIP_WEBHOOK_SECRET as string])).toBe("ok");
    expect(await verify(headers, body, ["another-secret"])).toBe("unauthorized");
  });
});
