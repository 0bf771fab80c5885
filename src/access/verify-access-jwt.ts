import { errors, type JWTPayload, jwtVerify } from "jose";
import { type KeyLookup, lookupPinned, remoteKeySource } from "../carriers/remote-keys";
import type { AccessConfig } from "../config/access-settings";

export type AccessCheck =
  | { ok: true; claims: JWTPayload & { email?: string; common_name?: string; groups?: unknown; custom?: unknown } }
  | { ok: false; reason: "refused" | "unavailable"; detail: string };

/** The certs could not be fetched and the token's key is not among those in hand: 503, not 401. */
class CertsUnavailable extends Error {}

/** What a token got wrong: the token is refused (401). */
const REFUSALS = [
  errors.JWTExpired,
  errors.JWTClaimValidationFailed,
  errors.JWTInvalid,
  errors.JWSInvalid,
  errors.JWSSignatureVerificationFailed,
  errors.JOSEAlgNotAllowed,
  errors.JOSENotSupported,
  errors.JWKSNoMatchingKey,
];

/**
 * Verifies a `Cf-Access-Jwt-Assertion` with jose's `jwtVerify`: RS256 only (so `alg: none` and
 * HMAC tricks are refused), `aud` one of ACCESS_AUD, `iss` the team domain, `exp` and `nbf` in
 * force. The key comes from the team's certs through the carrier kit's RemoteKeySource (one fetch
 * per isolate, at most one a minute whether it failed or a flood of made-up key ids asks: jose's own
 * remote set refetches on every request after a failed fetch), or from ACCESS_CERTS when pinned.
 * Certs that cannot be fetched are `unavailable` (503), never a pass.
 */
export async function verifyAccessJwt(token: string, access: AccessConfig): Promise<AccessCheck> {
  const pinned = access.pinnedKeys;
  const resolve = async (header: { kid?: string }): Promise<CryptoKey> => {
    const kid = header.kid ?? "";
    const found: KeyLookup = pinned
      ? await lookupPinned(pinned, kid)
      : await remoteKeySource(access.certsUrl).lookup(kid);
    if ("unavailable" in found) throw new CertsUnavailable(found.unavailable);
    if ("missing" in found) throw new errors.JWKSNoMatchingKey();
    return found.key;
  };
  try {
    const { payload } = await jwtVerify(token, resolve, {
      issuer: access.issuer,
      audience: access.audiences,
      algorithms: ["RS256"],
      requiredClaims: ["exp", "iat"],
    });
    return { ok: true, claims: payload };
  } catch (err) {
    if (err instanceof CertsUnavailable) return { ok: false, reason: "unavailable", detail: err.message };
    const detail = err instanceof errors.JOSEError ? err.code : String((err as Error)?.name ?? err);
    if (REFUSALS.some((E) => err instanceof E)) return { ok: false, reason: "refused", detail };
    return { ok: false, reason: "unavailable", detail };
  }
}
