import type { CarrierSetting, ParsedSettings } from "../kit";
import { parseJwks, type RsaJwk } from "../remote-keys";

/** ShipEngine's published JWKS (carriers-next.md 1.2; third-party, unconfirmed by ShipEngine's pages). */
export const SHIPENGINE_JWKS = "https://api.shipengine.com/jwks";

const jwksUrl: CarrierSetting<string | null> = {
  kind: "var",
  parse: (raw) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return { problem: "not a URL" };
    }
    // Plain HTTP only to this machine (a local JWKS in development): a key set is trusted as a whole.
    const local = url.hostname === "127.0.0.1" || url.hostname === "localhost" || url.hostname === "[::1]";
    if (url.protocol !== "https:" && !(url.protocol === "http:" && local)) {
      return { problem: "must be https (http only to localhost)" };
    }
    return { value: url.toString() };
  },
  fallback: null,
};

export interface PinnedKeys {
  keys: Map<string, RsaJwk>;
  /** Set but unreadable: the route answers 503 until it is mended (never falls back to fetching). */
  unreadable: boolean;
}

const publicKeys: CarrierSetting<PinnedKeys> = {
  kind: "var",
  parse: (raw) => {
    const parsed = parseJwks(raw);
    if ("problem" in parsed) {
      return { problem: `${parsed.problem}, so the route answers 503`, value: { keys: new Map(), unreadable: true } };
    }
    if (parsed.keys.size === 0) {
      return {
        problem: "holds no RSA key with a kid, so the route answers 503",
        value: { keys: new Map(), unreadable: true },
      };
    }
    return { value: { keys: parsed.keys, unreadable: false } };
  },
  fallback: { keys: new Map(), unreadable: false },
};

export const shipengineSettings = {
  SHIPENGINE_JWKS_URL: jwksUrl,
  SHIPENGINE_PUBLIC_KEYS: publicKeys,
};

export type ShipengineSettings = ParsedSettings<typeof shipengineSettings>;
