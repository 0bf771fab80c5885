import { type KeyLookup, lookupPinned, RemoteKeySource, remoteKeySource } from "../remote-keys";
import type { ShipengineSettings } from "./shipengine-settings";

/** Where this env's keys come from: the pinned set when one is set, else the JWKS URL; null = not configured. */
export function shipengineKeySource(
  s: ShipengineSettings,
): { pinned: ShipengineSettings["SHIPENGINE_PUBLIC_KEYS"] } | RemoteKeySource | null {
  if (s.SHIPENGINE_PUBLIC_KEYS.unreadable) return null;
  if (s.SHIPENGINE_PUBLIC_KEYS.keys.size > 0) return { pinned: s.SHIPENGINE_PUBLIC_KEYS };
  return s.SHIPENGINE_JWKS_URL === null ? null : remoteKeySource(s.SHIPENGINE_JWKS_URL);
}

/** The key a kid names, from wherever this env's keys come from. */
export function lookupShipengineKey(
  source: NonNullable<ReturnType<typeof shipengineKeySource>>,
  kid: string,
): Promise<KeyLookup> {
  return source instanceof RemoteKeySource ? source.lookup(kid) : lookupPinned(source.pinned.keys, kid);
}
