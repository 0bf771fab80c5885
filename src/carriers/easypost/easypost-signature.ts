const PREFIX = "hmac-sha256-hex=";
const encoder = new TextEncoder();

// Importing a key costs as much as the HMAC itself; the secrets change only with a deploy.
const keys = new Map<string, Promise<CryptoKey>>();

function signingKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    // EasyPost's client libraries key the HMAC with the NFKD form of the secret: `sécret` typed
    // with a precomposed `é` would otherwise give another key than the one EasyPost signs with.
    const raw = encoder.encode(secret.normalize("NFKD"));
    key = crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    keys.set(secret, key);
  }
  return key;
}

/** The `X-Hmac-Signature` value EasyPost sends for `body` under `secret`. */
export async function easypostSignature(body: Uint8Array, secret: string): Promise<string> {
  // A request body is never a SharedArrayBuffer; the cast only satisfies WebCrypto's typing.
  const mac = new Uint8Array(
    await crypto.subtle.sign("HMAC", await signingKey(secret), body as Uint8Array<ArrayBuffer>),
  );
  let hex = PREFIX;
  for (const byte of mac) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/**
 * Whether `header` is, as a whole (prefix included, lowercase hex), the signature of `body` under
 * any of `secrets`, as EasyPost's libraries compare it. Every secret is tried and every byte of
 * each expected value is compared, so the time taken tells neither which secret matched nor how
 * much of a forged value was right.
 */
export async function verifyEasypostSignature(
  header: string | null | undefined,
  body: Uint8Array,
  secrets: readonly string[],
): Promise<boolean> {
  if (header == null || header === "") return false;
  const given = encoder.encode(header);
  let matched = 0;
  for (const secret of secrets) {
    const expected = encoder.encode(await easypostSignature(body, secret));
    let diff = given.length ^ expected.length;
    for (let i = 0; i < expected.length; i++) diff |= (given[i] ?? 0) ^ (expected[i] as number);
    // 1 when diff is 0, else 0, without a branch on the expected value.
    matched |= ((diff - 1) >>> 31) & 1;
  }
  return matched === 1;
}
