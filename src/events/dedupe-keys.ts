/** The stored identity of a carrier event, and the form rows stored before keys were hashed hold. */
export interface DedupeKeys {
  /** `carrier#` + base64url of the first 16 bytes of SHA-256(identity): 30 bytes or so. */
  key: string;
  /** `carrier:identity` as rows stored before keys were hashed hold it (73 bytes on average). */
  legacy: string;
}

const encoder = new TextEncoder();

/**
 * A carrier event's identity is hashed before it is stored: the plain identity (names, ids,
 * statuses and times joined) averaged 73 bytes and was stored twice (column and UNIQUE index), the
 * largest cost per event after the raw body. 128 bits of SHA-256 keep a collision out of reach.
 * `#` cannot occur where legacy keys have `:`, so the two forms never meet.
 */
export async function dedupeKeys(carrier: string, identity: string): Promise<DedupeKeys> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(identity)));
  let binary = "";
  for (const b of digest.subarray(0, 16)) binary += String.fromCharCode(b);
  const hash = btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  return { key: `${carrier}#${hash}`, legacy: `${carrier}:${identity}` };
}
