const encoder = new TextEncoder();

/**
 * Splits a configured secret on commas, so a secret can be rotated by listing old and new
 * together. Unset or blank means "not configured".
 */
export function parseSecretList(configured: string | undefined): string[] {
  if (!configured) return [];
  return configured
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

// Configured secrets change only with a deploy: hash each once per isolate, not once per request.
const configuredDigests = new Map<string, Promise<Uint8Array>>();

/**
 * Constant-time match of a presented value against every configured value. Both sides are
 * compared as SHA-256 digests, so neither the content nor the length of a secret shows in the
 * time taken, and every configured value is compared, so neither does which one matched.
 */
export async function matchesAnySecret(presented: string | null | undefined, secrets: string[]): Promise<boolean> {
  if (presented == null || presented === "") return false;
  const [mine, ...theirs] = await Promise.all([sha256(presented), ...secrets.map(configuredDigest)]);
  let matched = 0;
  for (const digest of theirs) matched |= equalDigests(mine as Uint8Array, digest);
  return matched === 1;
}

function configuredDigest(secret: string): Promise<Uint8Array> {
  let digest = configuredDigests.get(secret);
  if (!digest) {
    digest = sha256(secret);
    configuredDigests.set(secret, digest);
  }
  return digest;
}

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

/** 1 when equal, else 0, looking at every byte whatever differs. */
function equalDigests(a: Uint8Array, b: Uint8Array): number {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0 ? 1 : 0;
}
