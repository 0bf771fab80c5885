import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { app } from "../../src/app";

export const TEAM = "parcelhook-test.cloudflareaccess.com";
export const AUD = "aud-tag-0123456789abcdef";

/** A local RSA key standing in for the team's Access signing key, and its certs as ACCESS_CERTS. */
export async function localAccessKey() {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: "test-kid", alg: "RS256", use: "sig" };
  return { privateKey, certs: JSON.stringify({ keys: [jwk] }) };
}

/** A token as Access issues it (claims per Cloudflare's application token docs), with overrides. */
export function accessToken(
  privateKey: CryptoKey,
  claims: Record<string, unknown>,
  opts: { issuer?: string; audience?: string; expiresIn?: number } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ type: "app", identity_nonce: "n", country: "DE", ...claims })
    .setProtectedHeader({ alg: "RS256", kid: "test-kid", typ: "JWT" })
    .setIssuer(opts.issuer ?? `https://${TEAM}`)
    .setAudience([opts.audience ?? AUD])
    .setSubject("7335d417-61da-459d-899c-0a01c76a2f94")
    .setIssuedAt(now - 60)
    .setNotBefore(now - 60)
    .setExpirationTime(now + (opts.expiresIn ?? 600))
    .sign(privateKey);
}

/** The vars that turn Access on in a test, with the pinned certs and a role map. */
export function accessEnv(certs: string, roles: Record<string, string[]>): Partial<Env> {
  return {
    ACCESS_TEAM_DOMAIN: TEAM,
    ACCESS_AUD: AUD,
    ACCESS_CERTS: certs,
    ACCESS_ROLES: JSON.stringify(roles),
  } as Partial<Env>;
}

/**
 * A request through the app with some vars replaced, not waiting for its background work: a
 * refused request schedules the request counters' delayed flush (up to REJECTION_FLUSH_MS), which
 * these tests do not read.
 */
export async function callVars(path: string, overrides: Partial<Env>, init: RequestInit = {}): Promise<Response> {
  return app.fetch(
    new Request(`https://parcelhook.test${path}`, init),
    { ...env, ...overrides },
    createExecutionContext(),
  );
}
