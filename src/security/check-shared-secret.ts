import type { SenderVerdict } from "../carriers/kit";
import { matchesAnySecret } from "./matches-any-secret";

/**
 * The verdict for a presented secret against a configured list (see `secretList`). Empty means
 * the carrier is not configured: 503, so it retries, and nothing is accepted unauthenticated.
 */
export async function checkSharedSecret(
  presented: string | null | undefined,
  secrets: string[],
): Promise<SenderVerdict> {
  if (secrets.length === 0) return "not_configured";
  return matchesAnySecret(presented, secrets) ? "ok" : "unauthorized";
}
