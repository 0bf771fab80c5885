const encoder = new TextEncoder();

interface PaddedSecrets {
  /** Every comparison runs over this many bytes, whatever the secrets' and the presented value's lengths. */
  width: number;
  bytes: Uint8Array[];
  lengths: number[];
}

// Configured secrets change only with a deploy: encode and pad them once per isolate.
const padded = new Map<string, PaddedSecrets>();
const MIN_WIDTH = 64;

/**
 * Constant-time match of a presented value against every configured value. Each comparison reads
 * the same number of bytes (the longest secret, at least 64) and every configured value is
 * compared, so the time taken tells neither a secret's content, nor its length, nor which one
 * matched. Synchronous: no crypto round trip on the hot path.
 */
export function matchesAnySecret(presented: string | null | undefined, secrets: string[]): boolean {
  if (presented == null || presented === "" || secrets.length === 0) return false;
  const set = paddedSecrets(secrets);
  const given = encoder.encode(presented);
  const mine = new Uint8Array(set.width);
  mine.set(given.subarray(0, set.width));
  let matched = 0;
  for (let s = 0; s < set.bytes.length; s++) {
    const theirs = set.bytes[s] as Uint8Array;
    // A longer presented value differs in length, so comparing only `width` bytes loses nothing.
    let diff = given.length ^ (set.lengths[s] as number);
    for (let i = 0; i < set.width; i++) diff |= (mine[i] as number) ^ (theirs[i] as number);
    // 1 when diff is 0, else 0, without a branch on the secret.
    matched |= ((diff - 1) >>> 31) & 1;
  }
  return matched === 1;
}

function paddedSecrets(secrets: string[]): PaddedSecrets {
  const key = secrets.join("\n");
  let set = padded.get(key);
  if (!set) {
    const encoded = secrets.map((s) => encoder.encode(s));
    const width = Math.max(MIN_WIDTH, ...encoded.map((b) => b.length));
    const bytes = encoded.map((b) => {
      const out = new Uint8Array(width);
      out.set(b);
      return out;
    });
    set = { width, bytes, lengths: encoded.map((b) => b.length) };
    padded.set(key, set);
  }
  return set;
}
