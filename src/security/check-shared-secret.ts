import type { SenderVerdict } from "../carriers/carrier";
import { matchesAnySecret, parseSecretList } from "./matches-any-secret";

/**
 * The verdict for a presented secret against a configured (comma-separated) list. Unset means
 * the carrier is not configured: 503, so it retries, and nothing is accepted unauthenticated.
 */
export async function checkSharedSecret(
  presented: string | null | undefined,
  configured: string | undefined,
): Promise<SenderVerdict> {
  const secrets = parseSecretList(configured);
  if (secrets.length === 0) return "not_configured";
  return matchesAnySecret(presented, secrets) ? "ok" : "unauthorized";
}
