import { decodeBase64 } from "../../security/verify-hmac-sha256";
import type { CarrierSetting, SettingParse } from "../kit";
import { rsaModulusBytes, spkiOfCertificate } from "./rsa-public-key-der";

/** One RSA public key, ready for WebCrypto's `spki` import. */
export interface RsaPublicKey {
  spki: Uint8Array<ArrayBuffer>;
  /** The SPKI as base64: the per-isolate key cache's index. */
  id: string;
  /** The modulus length, which is every signature's length under this key. */
  bytes: number;
}

export interface InpostGlobalPublicKeys {
  keys: RsaPublicKey[];
  /** A block could not be read: the route answers 503 until the setting is mended. */
  unreadable: boolean;
}

// Base64 has no `-`, so a block's body cannot run into the next block.
const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \1-----/g;

/**
 * INPOST_GLOBAL_PUBLIC_KEY: one or more PEM blocks, each an X.509 certificate (as InPost publishes
 * it) or a bare public key (`-----BEGIN PUBLIC KEY-----`, SPKI), RSA only. Line breaks inside a
 * block may be real, `\n` written out (a one-line env value), or missing; text between blocks is
 * ignored. A block that cannot be read is a problem named in /health, and the route answers 503
 * until it is mended, rather than quietly trusting only the blocks that could be read.
 */
export function parsePublicKeys(raw: string): SettingParse<InpostGlobalPublicKeys> {
  const keys: RsaPublicKey[] = [];
  const blocks = [...raw.matchAll(BLOCK)];
  const begun = raw.split("-----BEGIN ").length - 1;
  const faults: string[] = [];
  blocks.forEach(([, label, body], i) => {
    const der = decodeBase64(body?.replace(/\\n|\s/g, ""));
    try {
      if (der === null) throw new Error("not base64");
      const spki = label === "CERTIFICATE" ? spkiOfCertificate(der) : label === "PUBLIC KEY" ? der : fail();
      const bytes = rsaModulusBytes(spki);
      keys.push({ spki: spki.slice(), id: btoa(String.fromCharCode(...spki)), bytes });
    } catch (e) {
      faults.push(`block ${i + 1} (${label}): ${(e as Error).message}`);
    }
  });
  if (begun > blocks.length) faults.push(`${begun - blocks.length} block(s) without a matching END line`);
  if (begun === 0) faults.push("no PEM block (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)");
  const value = { keys, unreadable: faults.length > 0 };
  if (faults.length === 0) return { value };
  return { problem: `unreadable, so the route answers 503: ${faults.join("; ")}`, value };
}

function fail(): never {
  throw new Error("neither a CERTIFICATE nor a PUBLIC KEY");
}

export const publicKeySetting: CarrierSetting<InpostGlobalPublicKeys> = {
  kind: "var",
  parse: parsePublicKeys,
  fallback: { keys: [], unreadable: false },
};
