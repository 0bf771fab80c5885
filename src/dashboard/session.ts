import type { Context } from "hono";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import { operatorTokens } from "../api/require-admin";
import type { AppEnv } from "../app-env";
import { matchesAnySecret } from "../security/matches-any-secret";

export const SESSION_COOKIE = "ph_session";
const SESSION_SECONDS = 8 * 60 * 60;
const COOKIE = {
  path: "/dashboard",
  httpOnly: true,
  secure: true,
  sameSite: "Strict",
} as const;

/** The cookie's HMAC key, derived from an admin token: the token itself never leaves the server. */
async function sessionKey(token: string): Promise<ArrayBuffer> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(token),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return crypto.subtle.sign("HMAC", key, new TextEncoder().encode("parcelhook dashboard session v1"));
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
  await setSignedCookie(c, SESSION_COOKIE, `${expires}.${nonce}`, await sessionKey(presented), {
    ...COOKIE,
    maxAge: SESSION_SECONDS,
  });
  return true;
}

export function signOut(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, COOKIE);
}

/** Whether the request carries an unexpired session signed for a token still in ADMIN_TOKEN. */
export async function hasSession(c: Context<AppEnv>): Promise<boolean> {
  for (const token of operatorTokens(c)) {
    const value = await getSignedCookie(c, await sessionKey(token), SESSION_COOKIE);
    if (typeof value !== "string") continue;
    const expires = Number(value.split(".")[0]);
    if (Number.isFinite(expires) && expires > Date.now() / 1000) return true;
  }
  return false;
}
