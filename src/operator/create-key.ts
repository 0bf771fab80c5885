import { audited } from "../audit/audited";
import type { Actor } from "../auth/actor";
import { insertApiKeyStatement } from "../keys/db/api-key-queries";
import { hashApiKey } from "../keys/hash-api-key";
import { newApiKey } from "../keys/new-api-key";
import type { CreatedKey, CreateKeyRequest } from "./team-schemas";

/** Characters of a key kept in the clear (`phk_` and 8 of its random part) so a person can tell keys apart. */
const PREFIX_CHARS = 12;

/**
 * A new API key with a name and roles. The key is in this answer only: D1 keeps its SHA-256, so
 * neither a database read nor a backup reveals it. Recorded in the audit log in the same batch.
 */
export async function createKey(env: Env, request: CreateKeyRequest, by: Actor, now = new Date()): Promise<CreatedKey> {
  const { id, key } = newApiKey(now.getTime());
  const roles = [...new Set(request.roles)];
  const entry = { actor: by, action: "key.create", target: id, changes: { name: request.name, roles } } as const;
  return audited(env.DB, entry, async (audit) => {
    const row = {
      id,
      name: request.name,
      roles,
      hash: await hashApiKey(key),
      prefix: key.slice(0, PREFIX_CHARS),
      at: now.toISOString(),
      by: by.id,
    };
    await env.DB.batch([insertApiKeyStatement(env.DB, row), audit.statement()]);
    return {
      id,
      name: row.name,
      roles,
      prefix: row.prefix,
      created_at: row.at,
      created_by: row.by,
      last_used_at: null,
      revoked_at: null,
      key,
    };
  });
}
