import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

// The session cookie's exact wire format (it was hono/cookie's signed cookie: `value.base64(HMAC)`,
// URL-encoded), pinned so that sessions opened before a change of its code stay valid after it.
const ORIGIN = "https://parcelhook.test";
const TOKEN = "test-admin-token-0123456789abcdef0123";

async function hmac(key: BufferSource, data: string): Promise<ArrayBuffer> {
  const k = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return crypto.subtle.sign("HMAC", k, new TextEncoder().encode(data));
}
const b64 = (buf: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(buf)));

/** A cookie value signed as the dashboard signs one, computed here independently. */
async function signed(value: string, token = TOKEN): Promise<string> {
  const key = await hmac(new TextEncoder().encode(token), "parcelhook dashboard session v1");
  return encodeURIComponent(`${value}.${b64(await hmac(key, value))}`);
}

const dashboard = (cookie: string) => exports.default.fetch(`${ORIGIN}/dashboard`, { headers: { cookie } });
const isSignedIn = async (res: Response) => (await res.text()).includes("Sign out");

describe("the dashboard's session cookie", () => {
  it("is set as value.signature, URL-encoded, with these attributes", async () => {
    const res = await exports.default.fetch(`${ORIGIN}/dashboard/sign-in`, {
      method: "POST",
      headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
      body: `token=${TOKEN}`,
      redirect: "manual",
    });
    expect(res.status).toBe(303);
    const set = res.headers.get("set-cookie") ?? "";
    const m = /^ph_session=([^;]+); Max-Age=28800; Path=\/dashboard; HttpOnly; Secure; SameSite=Strict$/.exec(set);
    expect(m).not.toBeNull();
    const value = decodeURIComponent(m?.[1] ?? "");
    const [expires, nonce] = value.split(".");
    expect(Number(expires)).toBeGreaterThan(Date.now() / 1000 + 8 * 3600 - 60);
    expect(nonce).toMatch(/^[0-9a-f-]{36}$/);
    expect(m?.[1]).toBe(await signed(`${expires}.${nonce}`));
  });

  it("accepts a cookie signed so, among others and quoted; refuses an expired, mis-signed or other-named one", async () => {
    const future = `${Math.floor(Date.now() / 1000) + 600}.n`;
    const good = await signed(future);
    expect(await isSignedIn(await dashboard(`ph_session=${good}`))).toBe(true);
    expect(await isSignedIn(await dashboard(`a=1; ph_session="${good}" ;b=2`))).toBe(true);
    expect(
      await isSignedIn(await dashboard(`ph_session=${await signed(`${Math.floor(Date.now() / 1000) - 1}.n`)}`)),
    ).toBe(false);
    expect(
      await isSignedIn(await dashboard(`ph_session=${await signed(future, "another-token-0123456789abcdef")}`)),
    ).toBe(false);
    expect(await isSignedIn(await dashboard(`xph_session=${good}`))).toBe(false);
    expect(await isSignedIn(await dashboard(`ph_session=${good.replace(/%3D$/, "")}`))).toBe(false);
  });

  it("is cleared on sign-out with the same attributes", async () => {
    const res = await exports.default.fetch(`${ORIGIN}/dashboard/sign-out`, {
      method: "POST",
      headers: {
        origin: ORIGIN,
        "content-type": "application/x-www-form-urlencoded",
        cookie: `ph_session=${await signed(`${Math.floor(Date.now() / 1000) + 600}.n`)}`,
      },
      body: "",
      redirect: "manual",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("set-cookie")).toBe(
      "ph_session=; Max-Age=0; Path=/dashboard; HttpOnly; Secure; SameSite=Strict",
    );
  });
});
