import type { CarrierProblem, SenderContext, SenderVerdict } from "../kit";
import { type KeyLookup, RemoteKeySource, verifyRsaSha256 } from "../remote-keys";
import { shipengineCredentials } from "./shipengine-credentials";
import { lookupShipengineKey, shipengineKeySource } from "./shipengine-keys";
import type { ShipengineSettings } from "./shipengine-settings";

const encoder = new TextEncoder();

function verdictOf(found: KeyLookup): SenderVerdict | null {
  if ("unavailable" in found) return "unavailable";
  if ("missing" in found) return "unauthorized";
  return null;
}

/**
 * Before the body is read: no key source = 503; the three headers missing or malformed, a timestamp
 * more than 5 minutes off, a kid no key has, or a signature of another length than its key's = 401;
 * a key set that cannot be fetched = 503 (ShipEngine retries; never 401, which it would not).
 */
export async function verifyShipengineSender(ctx: SenderContext, s: ShipengineSettings): Promise<SenderVerdict> {
  const source = shipengineKeySource(s);
  if (source === null) return "not_configured";
  const creds = shipengineCredentials(ctx.headers, Date.now());
  if (creds === null) return "unauthorized";
  const found = await lookupShipengineKey(source, creds.kid);
  const refused = verdictOf(found);
  if (refused !== null) return refused;
  return "key" in found && found.bytes === creds.signature.length ? "ok" : "unauthorized";
}

/** RSASSA-PKCS1-v1_5 / SHA-256 of `timestamp + "." + raw body` under the key the kid names. */
export async function verifyShipengineBody(
  ctx: SenderContext,
  rawBody: Uint8Array,
  s: ShipengineSettings,
): Promise<SenderVerdict> {
  const source = shipengineKeySource(s);
  if (source === null) return "not_configured";
  const creds = shipengineCredentials(ctx.headers, Date.now());
  if (creds === null) return "unauthorized";
  const found = await lookupShipengineKey(source, creds.kid);
  const refused = verdictOf(found);
  if (refused !== null || !("key" in found)) return refused ?? "unauthorized";
  const prefix = encoder.encode(`${creds.timestamp}.`);
  const message = new Uint8Array(prefix.length + rawBody.length);
  message.set(prefix);
  message.set(rawBody, prefix.length);
  return (await verifyRsaSha256(found.key, creds.signature, message)) ? "ok" : "unauthorized";
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
