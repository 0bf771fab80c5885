import type { Role } from "../../auth/roles";

export interface ApiKeyRow {
  id: string;
  name: string;
  roles: string;
  prefix: string;
  created_at: string;
  created_by: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export function insertApiKeyStatement(
  db: D1Database,
  k: { id: string; name: string; roles: readonly Role[]; hash: string; prefix: string; at: string; by: string },
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO api_keys (id, name, roles, hash, prefix, created_at, created_by)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)`,
    )
    .bind(k.id, k.name, JSON.stringify(k.roles), k.hash, k.prefix, k.at, k.by);
}

/** Every key, revoked ones too (they show when they were revoked), newest first. */
export async function selectApiKeys(db: D1Database): Promise<ApiKeyRow[]> {
  const { results } = await db
    .prepare(
      `SELECT id, name, roles, prefix, created_at, created_by, last_used_at, revoked_at
       FROM api_keys ORDER BY created_at DESC, id DESC`,
    )
    .all<ApiKeyRow>();
  return results;
}

/** Revokes a key not yet revoked; `changes()` tells whether there was one (the audit row reads it). */
export function revokeApiKeyStatement(db: D1Database, id: string, at: string): D1PreparedStatement {
  return db.prepare("UPDATE api_keys SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL").bind(id, at);
}

/**
 * The key check's one D1 statement: finds a key by its hash and, when it is live, records this use.
 * Run at most once a minute per key and isolate (src/keys/find-api-key.ts), so `last_used_at` is
 * written at most that often and is right to within that minute.
 */
export async function useApiKey(
  db: D1Database,
  hash: string,
  at: string,
): Promise<{ id: string; name: string; roles: string; revoked_at: string | null } | null> {
  return db
    .prepare(
      `UPDATE api_keys SET last_used_at = iif(revoked_at IS NULL, ?2, last_used_at)
       WHERE hash = ?1 RETURNING id, name, roles, revoked_at`,
    )
    .bind(hash, at)
    .first();
}
