import { timingSafeEqual } from "hono/utils/buffer";

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

/** Constant-time match of a presented value against every configured value (all are compared). */
export async function matchesAnySecret(presented: string | null | undefined, secrets: string[]): Promise<boolean> {
  if (presented == null || presented === "") return false;
  let matched = false;
  for (const secret of secrets) {
    // Compare all of them so the time does not tell which position matched.
    if (await timingSafeEqual(secret, presented)) matched = true;
  }
  return matched;
}
