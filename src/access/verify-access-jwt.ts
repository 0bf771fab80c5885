import { createLocalJWKSet, createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from "jose";
import type { AccessConfig } from "../config/access-settings";

export type AccessCheck =
  | { ok: true; claims: JWTPayload & { email?: string; common_name?: string; groups?: unknown; custom?: unknown } }
  | { ok: false; reason: "refused" | "unavailable"; detail: string };

type KeySet = ReturnType<typeof createRemoteJWKSet>;

// Per isolate, per certs URL: jose keeps the fetched keys (refetching on an unknown `kid`, at most
// every 30 s), so a sign-in costs a certs fetch only when Access rotated its key or the isolate is new.
const remoteSets = new Map<string, KeySet>();
const pinnedSets = new WeakMap<JsonWebKey[], ReturnType<typeof createLocalJWKSet>>();

function keySet(access: AccessConfig): KeySet | ReturnType<typeof createLocalJWKSet> {
  if (access.pinnedKeys) {
    let set = pinnedSets.get(access.pinnedKeys);
    if (!set) {
      set = createLocalJWKSet({ keys: access.pinnedKeys as never });
      pinnedSets.set(access.pinnedKeys, set);
    }
    return set;
  }
  let set = remoteSets.get(access.certsUrl);
  if (!set) {
    set = createRemoteJWKSet(new URL(access.certsUrl), { timeoutDuration: 5000 });
    remoteSets.set(access.certsUrl, set);
  }
  return set;
}

/** What a token got wrong: the token is refused (401). Anything else (certs not reachable) is 503. */
const REFUSALS = [
  errors.JWTExpired,
  errors.JWTClaimValidationFailed,
  errors.JWTInvalid,
  errors.JWSInvalid,
  errors.JWSSignatureVerificationFailed,
  errors.JOSEAlgNotAllowed,
  errors.JOSENotSupported,
  errors.JWKSNoMatchingKey,
  errors.JWKSMultipleMatchingKeys,
];

/**
 * Verifies a `Cf-Access-Jwt-Assertion` with jose: RS256 only (so `alg: none` and HMAC tricks are
 * refused), signed by a key of the team's certs, `aud` one of ACCESS_AUD, `iss` the team domain,
 * `exp` and `nbf` in force. Certs that cannot be fetched are `unavailable` (503), never a pass.
 */
export async function verifyAccessJwt(token: string, access: AccessConfig): Promise<AccessCheck> {
  try {
    const { payload } = await jwtVerify(token, keySet(access), {
      issuer: access.issuer,
      audience: access.audiences,
      algorithms: ["RS256"],
      requiredClaims: ["exp", "iat"],
    });
    return { ok: true, claims: payload };
  } catch (err) {
    const detail = err instanceof errors.JOSEError ? err.code : String((err as Error)?.name ?? err);
    if (REFUSALS.some((E) => err instanceof E)) return { ok: false, reason: "refused", detail };
    return { ok: false, reason: "unavailable", detail };
  }
}
