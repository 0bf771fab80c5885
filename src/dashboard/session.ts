import type { Context } from "hono";
import { operatorTokens } from "../api/require-admin";
import type { AppEnv } from "../app-env";
import { matchesAnySecret } from "../security/matches-any-secret";

export const SESSION_COOKIE = "ph_session";
const SESSION_SECONDS = 8 * 60 * 60;
const ATTRIBUTES = "Path=/dashboard; HttpOnly; Secure; SameSite=Strict";

const hmacKey = (raw: BufferSource) =>
  crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);

/** The cookie's HMAC key, derived from an admin token: the token itself never leaves the server. */
async function sessionKey(token: string): Promise<CryptoKey> {
  const key = await hmacKey(new TextEncoder().encode(token));
  return hmacKey(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode("parcelhook dashboard session v1")));
}

/**
 * The session cookie's value as sent (the format hono/cookie's signed cookies had, so sessions
 * survived the change): `value.base64(HMAC(value))`, URL-encoded. The first `ph_session` pair with
 * a cookie-safe value counts, quotes around it dropped.
 */
function sessionCookie(c: Context<AppEnv>): string | undefined {
  for (const pair of (c.req.header("Cookie") ?? "").split(";")) {
    const eq = pair.indexOf("=");
    if (eq < 0 || pair.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const value = pair
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, "$1");
    if (!/^[ !#-:<-[\]-~]*$/.test(value)) continue;
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return undefined;
}

/**
 * Signs in with an admin token (any value of the comma list): sets an HttpOnly, Secure,
 * SameSite=Strict cookie holding an expiry and a nonce, HMAC-signed with a key derived from that
 * token. Rotating the token out of ADMIN_TOKEN ends the sessions it opened.
 */
export async function signIn(c: Context<AppEnv>, presented: string): Promise<boolean> {
  const tokens = operatorTokens(c);
  if (!matchesAnySecret(presented, tokens)) return false;
  const expires = Math.floor(Date.now() / 1000) + SESSION_SECONDS;
  const nonce = crypto.randomUUID();
  const value = `${expires}.${nonce}`;
  const signature = await crypto.subtle.sign("HMAC", await sessionKey(presented), new TextEncoder().encode(value));
  const signed = encodeURIComponent(`${value}.${btoa(String.fromCharCode(...new Uint8Array(signature)))}`);
  c.header("Set-Cookie", `${SESSION_COOKIE}=${signed}; Max-Age=${SESSION_SECONDS}; ${ATTRIBUTES}`, { append: true });
  return true;
}

export function signOut(c: Context<AppEnv>): void {
  c.header("Set-Cookie", `${SESSION_COOKIE}=; Max-Age=0; ${ATTRIBUTES}`, { append: true });
}

/** Whether the request carries an unexpired session signed for a token still in ADMIN_TOKEN. */
export async function hasSession(c: Context<AppEnv>): Promise<boolean> {
  const cookie = sessionCookie(c);
  const dot = cookie?.lastIndexOf(".") ?? -1;
  if (!cookie || dot < 0) return false;
  const value = cookie.slice(0, dot);
  const signature = cookie.slice(dot + 1);
  if (signature.length !== 44 || !signature.endsWith("=")) return false;
  const expires = Number(value.split(".")[0]);
  if (!(Number.isFinite(expires) && expires > Date.now() / 1000)) return false;
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = Uint8Array.from(atob(signature), (ch) => ch.charCodeAt(0));
  } catch {
    return false;
  }
  for (const token of operatorTokens(c)) {
    if (await crypto.subtle.verify("HMAC", await sessionKey(token), bytes, new TextEncoder().encode(value)))
      return true;
  }
  return false;
}
