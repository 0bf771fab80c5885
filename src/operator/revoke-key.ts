import { audited } from "../audit/audited";
import type { Actor } from "../auth/actor";
import { ApiError } from "../errors/api-error";
import { revokeApiKeyStatement } from "../keys/db/api-key-queries";
import { forgetApiKey } from "../keys/find-api-key";

/**
 * Revokes a key: this isolate refuses it at once, every other within a minute (KEY_CACHE_MS). 404
 * for a key that does not exist or is already revoked. The row stays, to show who held what.
 */
export async function revokeKey(env: Env, id: string, by: Actor, now = new Date()): Promise<void> {
  await audited(env.DB, { actor: by, action: "key.revoke", target: id }, async (audit) => {
    const [revoked] = await env.DB.batch([
      revokeApiKeyStatement(env.DB, id, now.toISOString()),
      audit.statement("changed"),
    ]);
    forgetApiKey(id);
    if (!revoked?.meta.changes) throw new ApiError("not_found", undefined, "No live API key with this id.");
  });
}
