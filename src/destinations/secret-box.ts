// Destination signing secrets at rest: AES-256-GCM with a key derived (HKDF-SHA-256) from the
// DESTINATIONS_KEY Worker secret, bound to the destination's id as additional data, so a
// ciphertext copied onto another row does not decrypt. docs/destinations.md says why this key.

const encoder = new TextEncoder();
const SALT = encoder.encode("parcelhook destination secrets");
const INFO = encoder.encode("aes-256-gcm v1");
const PREFIX = "v1.";

// Deriving is a few WebCrypto calls; keys change only with a deploy, so once per isolate.
const derived = new Map<string, Promise<CryptoKey>>();

function aesKey(material: string): Promise<CryptoKey> {
  let key = derived.get(material);
  if (!key) {
    key = crypto.subtle
      .importKey("raw", encoder.encode(material), "HKDF", false, ["deriveKey"])
      .then((base) =>
        crypto.subtle.deriveKey(
          { name: "HKDF", hash: "SHA-256", salt: SALT, info: INFO },
          base,
          { name: "AES-GCM", length: 256 },
          false,
          ["encrypt", "decrypt"],
        ),
      );
    derived.set(material, key);
  }
  return key;
}

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

/** Encrypts a secret with the first key of DESTINATIONS_KEY (the one new secrets use). */
export async function sealSecret(keys: readonly string[], destinationId: string, secret: string): Promise<string> {
  const material = keys[0];
  if (material === undefined) throw new Error("DESTINATIONS_KEY is not set");
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(destinationId) },
    await aesKey(material),
    encoder.encode(secret),
  );
  const out = new Uint8Array(iv.length + sealed.byteLength);
  out.set(iv);
  out.set(new Uint8Array(sealed), iv.length);
  return PREFIX + toBase64(out);
}

/**
 * The secret, decrypted with whichever key of DESTINATIONS_KEY sealed it (a comma list, so the key
 * can be rotated); null when none does (the key changed, or the row was tampered with).
 */
export async function openSecret(
  keys: readonly string[],
  destinationId: string,
  stored: string,
): Promise<string | null> {
  return (await openSecretWith(keys, destinationId, stored))?.secret ?? null;
}

/**
 * openSecret, also saying which key opened it: `key` 0 is the first of the list (what new secrets
 * are sealed with); any other is an older value the row must be re-sealed from before that value
 * is dropped (resealSecrets, the rotation).
 */
export async function openSecretWith(
  keys: readonly string[],
  destinationId: string,
  stored: string,
): Promise<{ secret: string; key: number } | null> {
  if (!stored.startsWith(PREFIX)) return null;
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = Uint8Array.from(atob(stored.slice(PREFIX.length)), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
  if (bytes.length <= 12) return null;
  for (const [key, material] of keys.entries()) {
    try {
      const plain = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: bytes.slice(0, 12), additionalData: encoder.encode(destinationId) },
        await aesKey(material),
        bytes.slice(12),
      );
      return { secret: new TextDecoder().decode(plain), key };
    } catch {
      // Not this key: try the next one.
    }
  }
  return null;
}
