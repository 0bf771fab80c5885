import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { webhookSigner } from "../../src/consumer/sign-webhook";

const SECRET = "whsec_dGVzdC1mb3J3YXJkLXNpZ25pbmcta2V5LTMyYnl0ZXM=";

/** The Standard Webhooks signature, recomputed from the spec's words. */
async function expected(id: string, timestamp: string, body: string): Promise<string> {
  const key = Uint8Array.from(atob(SECRET.slice("whsec_".length)), (c) => c.charCodeAt(0));
  const hmac = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", hmac, new TextEncoder().encode(`${id}.${timestamp}.${body}`));
  return `v1,${btoa(String.fromCharCode(...new Uint8Array(mac)))}`;
}

describe("webhookSigner", () => {
  it("signs `{id}.{timestamp}.{body}` with the base64 key after whsec_", async () => {
    const signer = webhookSigner(SECRET);
    if (!("sign" in signer)) throw new Error(signer.error);
    const body = JSON.stringify({ id: "evt_1", note: "zażółć ✓" });
    const headers = await signer.sign("evt_1", body, new Date("2026-01-02T03:04:05.678Z"));
    expect(headers).toEqual({
      "webhook-id": "evt_1",
      "webhook-timestamp": "1767323045",
      "webhook-signature": await expected("evt_1", "1767323045", body),
    });
  });

  it("gives the signature of the spec's published example", async () => {
    const signer = webhookSigner("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    if (!("sign" in signer)) throw new Error(signer.error);
    const headers = await signer.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", '{"test": 2432232314}', new Date(1614265330_000));
    expect(headers["webhook-signature"]).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  });

  it("signs what the reference `standardwebhooks` library verifies", async () => {
    const signer = webhookSigner(SECRET);
    if (!("sign" in signer)) throw new Error(signer.error);
    const body = JSON.stringify({ id: "evt_2", note: "ąęł 🚚" });
    const headers = await signer.sign("evt_2", body, new Date());
    expect(new Webhook(SECRET).verify(body, { ...headers })).toEqual({ id: "evt_2", note: "ąęł 🚚" });
    expect(() => new Webhook(SECRET).verify(`${body} `, { ...headers })).toThrow();
  });

  it("refuses to sign without a usable secret", () => {
    expect(webhookSigner(null)).toEqual({ error: "FORWARD_SIGNING_SECRET is not set" });
    expect(webhookSigner("whsec_%%%not-base64%%%")).toEqual({
      error: "FORWARD_SIGNING_SECRET is not a valid whsec_ base64 key",
    });
    expect(webhookSigner("whsec_")).toEqual({ error: "FORWARD_SIGNING_SECRET is not a valid whsec_ base64 key" });
  });

  it("signs with every key given, space-separated, current first; a receiver with either verifies", async () => {
    const previous = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const signer = webhookSigner([SECRET, previous]);
    if (!("sign" in signer)) throw new Error(signer.error);
    const body = JSON.stringify({ id: "evt_3" });
    const headers = await signer.sign("evt_3", body, new Date());
    const parts = headers["webhook-signature"].split(" ");
    expect(parts).toHaveLength(2);
    expect(parts[0]).toBe(await expected("evt_3", headers["webhook-timestamp"], body));
    expect(new Webhook(SECRET).verify(body, { ...headers })).toEqual({ id: "evt_3" });
    expect(new Webhook(previous).verify(body, { ...headers })).toEqual({ id: "evt_3" });
    expect(() =>
      new Webhook("whsec_dW5yZWxhdGVkLWtleS0zMi1ieXRlcy1sb25nLXh4eA==").verify(body, { ...headers }),
    ).toThrow();
  });

  it("refuses the whole list when any key is unusable, and an empty list (never fewer keys than promised)", () => {
    expect(webhookSigner([SECRET, "whsec_"], "dst_1's secret")).toEqual({
      error: "dst_1's secret is not a valid whsec_ base64 key",
    });
    expect(webhookSigner([], "dst_1's secret")).toEqual({ error: "dst_1's secret is not set" });
  });
});
