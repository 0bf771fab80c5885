import type { CarrierProblem, SenderContext, SenderVerdict } from "../kit";
import { RemoteKeySource, verifyRsaSha256 } from "../remote-keys";
import { type ShipengineCredentials, shipengineCredentials } from "./shipengine-credentials";
import { lookupShipengineKey, shipengineKeySource } from "./shipengine-keys";
import type { ShipengineSettings } from "./shipengine-settings";

const encoder = new TextEncoder();

/**
 * The request's credentials and the key its kid names, or the verdict that ends the check: no key
 * source = 503; the three headers missing or malformed, or a timestamp more than 5 minutes off = 401;
 * a kid no key has = 401; a key set that cannot be fetched = 503 (ShipEngine retries; never 401).
 */
async function credentialsAndKey(
  ctx: SenderContext,
  s: ShipengineSettings,
): Promise<{ verdict: SenderVerdict } | { creds: ShipengineCredentials; key: CryptoKey; bytes: number }> {
  const source = shipengineKeySource(s);
  if (source === null) return { verdict: "not_configured" };
  const creds = shipengineCredentials(ctx.headers, Date.now());
  if (creds === null) return { verdict: "unauthorized" };
  const found = await lookupShipengineKey(source, creds.kid);
  if ("unavailable" in found) return { verdict: "unavailable" };
  if ("missing" in found) return { verdict: "unauthorized" };
  return { creds, key: found.key, bytes: found.bytes };
}

/** Before the body is read: everything but the RSA verify, and a signature of its key's length. */
export async function verifyShipengineSender(ctx: SenderContext, s: ShipengineSettings): Promise<SenderVerdict> {
  const r = await credentialsAndKey(ctx, s);
  if ("verdict" in r) return r.verdict;
  return r.bytes === r.creds.signature.length ? "ok" : "unauthorized";
}

/** RSASSA-PKCS1-v1_5 / SHA-256 of `timestamp + "." + raw body` under the key the kid names. */
export async function verifyShipengineBody(
  ctx: SenderContext,
  rawBody: Uint8Array,
  s: ShipengineSettings,
): Promise<SenderVerdict> {
  const r = await credentialsAndKey(ctx, s);
  if ("verdict" in r) return r.verdict;
  const prefix = encoder.encode(`${r.creds.timestamp}.`);
  const message = new Uint8Array(prefix.length + rawBody.length);
  message.set(prefix);
  message.set(rawBody, prefix.length);
  return (await verifyRsaSha256(r.key, r.creds.signature, message)) ? "ok" : "unauthorized";
}

/**
 * For /health: a JWKS URL never fetched in this isolate is fetched now (within the once-a-minute
 * limit), and a failed fetch is named, with what the route answers meanwhile.
 */
export async function shipengineHealth(s: ShipengineSettings): Promise<CarrierProblem[]> {
  const source = shipengineKeySource(s);
  if (!(source instanceof RemoteKeySource)) return [];
  if (source.status().fetchedAt === null) await source.refresh();
  const status = source.status();
  if (status.lastError === null) return [];
  return [
    {
      name: "SHIPENGINE_JWKS_URL",
      message:
        status.fetchedAt === null
          ? `unreachable (${status.lastError}): /webhooks/shipengine answers 503 until it is fetched`
          : `the last refresh failed (${status.lastError}); the set fetched at ${status.fetchedAt} is still used, and a new kid answers 503`,
    },
  ];
}
