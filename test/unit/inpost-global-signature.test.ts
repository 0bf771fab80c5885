import { describe, expect, it } from "vitest";
import { inpostGlobalSettings } from "../../src/carriers/inpost-global/inpost-global-settings";
import { parsePublicKeys } from "../../src/carriers/inpost-global/public-key-setting";
import {
  verifyInpostGlobalSender,
  verifyInpostGlobalSignature,
} from "../../src/carriers/inpost-global/verify-inpost-global-signature";
import type { SenderContext } from "../../src/carriers/kit";
import mmd1001 from "../fixtures/carriers/inpost-global/mmd-1001.json";
import {
  PRODUCTION_CERTIFICATE,
  SANDBOX_CERTIFICATE,
  SANDBOX_CERTIFICATE_2024,
  SANDBOX_PUBLIC_KEY,
} from "./inpost-global-certificates";

// carriers-more.md 6.3, from InPost/webhooks-java: one body (423 bytes), three signatures.
const BODY = mmd1001.request.body;
const HMAC_KEY = "this is example of the HMAC key";
const HMAC_BODY = "i1PzFQMpGoM3YwjcDUEtBwNMCa01kjCykHLLoA5oZtE=";
// Computed there, not the vendor's: the same key over `2025-01-08T14:03:55.387Z.` + body.
const TIMESTAMP = "2025-01-08T14:03:55.387Z";
const HMAC_TIMESTAMPED = "jX6DKhQBG3S64NPvA8uZ2W0Pt4rhnCNnrPGX+X1jmUk=";
const RSA = mmd1001.request.headers["x-inpost-signature"];

function settings(pem?: string, hmac?: string) {
  const parsed = pem === undefined ? undefined : parsePublicKeys(pem);
  return {
    INPOST_GLOBAL_PUBLIC_KEY: parsed ? parsed.value : inpostGlobalSettings.INPOST_GLOBAL_PUBLIC_KEY.fallback,
    INPOST_GLOBAL_HMAC_SECRET:
      hmac === undefined
        ? []
        : (inpostGlobalSettings.INPOST_GLOBAL_HMAC_SECRET.parse(hmac) as { value: string[] }).value,
  } as Parameters<typeof verifyInpostGlobalSender>[1];
}

function ctx(headers: Record<string, string>): SenderContext {
  return {
    url: new URL("https://parcelhook.test/webhooks/inpost-global"),
    headers: new Headers(headers),
    clientIp: null,
  };
}

const bytes = (s: string) => new TextEncoder().encode(s);

/** Both checks, as the receiver runs them: the sender check, then (only if it passed) the body's. */
async function verdict(s: ReturnType<typeof settings>, headers: Record<string, string>, body = BODY) {
  const sender = await verifyInpostGlobalSender(ctx(headers), s);
  return sender === "ok" ? verifyInpostGlobalSignature(ctx(headers), bytes(body), s) : sender;
}

describe("InPost's vectors (carriers-more.md 6.3)", () => {
  it("the body is the vendor's 423 bytes", async () => {
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes(BODY)));
    expect(bytes(BODY).length).toBe(423);
    expect([...digest].map((b) => b.toString(16).padStart(2, "0")).join("")).toBe(
      "7787db78451a5c5e9348e0b3b2cc642e4f3831144c78049ec1025a0398d3b0f1",
    );
  });

  it("HMAC over the body verifies with InPost's example key", async () => {
    expect(await verdict(settings(undefined, HMAC_KEY), { "x-inpost-signature": HMAC_BODY })).toBe("ok");
    // The timestamp header does not stop a body-only signature from verifying.
    const withTimestamp = { "x-inpost-signature": HMAC_BODY, "x-inpost-timestamp": TIMESTAMP };
    expect(await verdict(settings(undefined, HMAC_KEY), withTimestamp)).toBe("ok");
  });

  it("HMAC over timestamp + '.' + body verifies, and only with that timestamp", async () => {
    const s = settings(undefined, HMAC_KEY);
    expect(await verdict(s, { "x-inpost-signature": HMAC_TIMESTAMPED, "x-inpost-timestamp": TIMESTAMP })).toBe("ok");
    expect(await verdict(s, { "x-inpost-signature": HMAC_TIMESTAMPED })).toBe("unauthorized");
    const later = { "x-inpost-signature": HMAC_TIMESTAMPED, "x-inpost-timestamp": "2025-01-08T14:03:55.388Z" };
    expect(await verdict(s, later)).toBe("unauthorized");
  });

  it("body-only and timestamped signatures keep verifying whichever came last (the order adapts, the outcome not)", async () => {
    const s = settings(undefined, HMAC_KEY);
    const stamped = { "x-inpost-signature": HMAC_TIMESTAMPED, "x-inpost-timestamp": TIMESTAMP };
    const plain = { "x-inpost-signature": HMAC_BODY, "x-inpost-timestamp": TIMESTAMP };
    for (const headers of [stamped, stamped, plain, plain, stamped, plain])
      expect(await verdict(s, headers)).toBe("ok");
    for (const headers of [stamped, plain]) {
      expect(await verdict(s, headers, BODY.replace("9000010305", "9000010306"))).toBe("unauthorized");
    }
  });

  it("RSA verifies with the sandbox certificate, renewed or expired, and with its bare public key", async () => {
    for (const pem of [SANDBOX_CERTIFICATE, SANDBOX_CERTIFICATE_2024, SANDBOX_PUBLIC_KEY]) {
      expect(await verdict(settings(pem), { "x-inpost-signature": RSA })).toBe("ok");
    }
  });

  it("RSA fails with the production certificate, and passes when both are configured", async () => {
    expect(await verdict(settings(PRODUCTION_CERTIFICATE), { "x-inpost-signature": RSA })).toBe("unauthorized");
    const both = settings(`${PRODUCTION_CERTIFICATE}\n${SANDBOX_CERTIFICATE}`);
    expect(await verdict(both, { "x-inpost-signature": RSA })).toBe("ok");
  });

  it("with a key and an HMAC secret both configured, either kind of signature verifies", async () => {
    const s = settings(SANDBOX_CERTIFICATE, `old-key, ${HMAC_KEY}`);
    expect(await verdict(s, { "x-inpost-signature": RSA })).toBe("ok");
    expect(await verdict(s, { "x-inpost-signature": HMAC_BODY })).toBe("ok");
  });

  it("one changed byte of the body fails every vector", async () => {
    const changed = BODY.replace('MMD.1001","timestamp', 'MMD.1002","timestamp');
    expect(changed).not.toBe(BODY);
    const s = settings(SANDBOX_CERTIFICATE, HMAC_KEY);
    expect(await verdict(s, { "x-inpost-signature": RSA }, changed)).toBe("unauthorized");
    expect(await verdict(s, { "x-inpost-signature": HMAC_BODY }, changed)).toBe("unauthorized");
    const timestamped = { "x-inpost-signature": HMAC_TIMESTAMPED, "x-inpost-timestamp": TIMESTAMP };
    expect(await verdict(s, timestamped, changed)).toBe("unauthorized");
  });
});

describe("verifyInpostGlobalSender (before the body is read)", () => {
  it("is not configured when neither a key nor an HMAC secret is set", async () => {
    expect(await verifyInpostGlobalSender(ctx({ "x-inpost-signature": HMAC_BODY }), settings())).toBe("not_configured");
    expect(await verifyInpostGlobalSender(ctx({ "x-inpost-signature": HMAC_BODY }), settings(undefined, " , "))).toBe(
      "not_configured",
    );
  });

  it("is not configured while a PEM block cannot be read, even with an HMAC secret that matches", async () => {
    const broken = settings(
      `${SANDBOX_CERTIFICATE}\n-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----`,
      HMAC_KEY,
    );
    expect(await verifyInpostGlobalSender(ctx({ "x-inpost-signature": HMAC_BODY }), broken)).toBe("not_configured");
    expect(await verifyInpostGlobalSender(ctx({ "x-inpost-signature": RSA }), broken)).toBe("not_configured");
  });

  it("refuses a missing, empty, hex, prefixed or non-base64 signature", async () => {
    const s = settings(SANDBOX_CERTIFICATE, HMAC_KEY);
    const hex = [...atob(HMAC_BODY)].map((c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join("");
    const refused: Record<string, string>[] = [
      {},
      { "x-inpost-signature": "" },
      { "x-inpost-signature": hex },
      { "x-inpost-signature": `sha256=${HMAC_BODY}` },
      // base64url, which InPost does not use.
      { "x-inpost-signature": RSA.replaceAll("+", "-").replaceAll("/", "_") },
      { "x-inpost-signature": `${HMAC_BODY}x` },
      // The signature under another name.
      { "x-signature": HMAC_BODY },
    ];
    for (const headers of refused) {
      expect(await verifyInpostGlobalSender(ctx(headers), s), JSON.stringify(headers)).toBe("unauthorized");
    }
  });

  it("refuses a signature no configured key could have made: its length says which kind it is", async () => {
    // An HMAC-length signature with only RSA keys, an RSA-length one with only HMAC secrets.
    expect(
      await verifyInpostGlobalSender(ctx({ "x-inpost-signature": HMAC_BODY }), settings(SANDBOX_CERTIFICATE)),
    ).toBe("unauthorized");
    expect(await verifyInpostGlobalSender(ctx({ "x-inpost-signature": RSA }), settings(undefined, HMAC_KEY))).toBe(
      "unauthorized",
    );
    // 256 bytes: a 2048-bit key's length, while the sandbox key is 4096 bits.
    const short = btoa("x".repeat(256));
    expect(await verifyInpostGlobalSender(ctx({ "x-inpost-signature": short }), settings(SANDBOX_CERTIFICATE))).toBe(
      "unauthorized",
    );
  });

  it("lets an HMAC rotation list pass the old and the new key, and nothing else", async () => {
    const s = settings(undefined, `${HMAC_KEY},new-key`);
    expect(await verdict(s, { "x-inpost-signature": HMAC_BODY })).toBe("ok");
    expect(await verdict(settings(undefined, "new-key"), { "x-inpost-signature": HMAC_BODY })).toBe("unauthorized");
  });
});
